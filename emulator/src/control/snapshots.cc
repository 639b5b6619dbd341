#include "control/snapshots.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/crypto.h"
#include "server/runtime.h"

namespace fs = std::filesystem;

namespace localaws::control {

Snapshots::Snapshots(Runtime& rt) : rt_(rt), root_((fs::path(rt.data_root) / "snapshots").string()) {
  std::ifstream in(fs::path(root_) / "index.json");
  if (!in) return;
  try {
    auto doc = nlohmann::json::parse(in);
    for (auto& [name, id] : doc.items()) {
      if (valid_name(name) && id.is_string() && fs::exists(fs::path(root_) / id.get<std::string>()))
        index_.emplace_back(name, id.get<std::string>());
    }
  } catch (const std::exception&) {
    // A damaged index only loses the snapshot names, never live data.
  }
}

bool Snapshots::valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
  }
  return true;
}

void Snapshots::write_index() {
  nlohmann::json doc = nlohmann::json::object();
  for (auto& [name, id] : index_) doc[name] = id;
  fs::create_directories(root_);
  auto tmp = fs::path(root_) / "index.json.tmp";
  std::ofstream(tmp) << doc.dump();
  fs::rename(tmp, fs::path(root_) / "index.json");
}

void Snapshots::save(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string id = random_hex(8);
  fs::path dir = fs::path(root_) / id;
  fs::create_directories(dir);
  // The database first, holding the writer lock: blobs committed after the copy are orphans of
  // the snapshot and get swept on restore.
  rt_.db->backup_to((dir / "localaws.db").string());
  rt_.blobs->copy_all_to(dir / "blobs");
  for (auto it = index_.begin(); it != index_.end(); ++it) {
    if (it->first == name) {
      std::error_code ec;
      fs::remove_all(fs::path(root_) / it->second, ec);
      index_.erase(it);
      break;
    }
  }
  index_.emplace_back(name, id);
  write_index();
}

bool Snapshots::restore(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [n, id] : index_) {
    if (n != name) continue;
    fs::path dir = fs::path(root_) / id;
    rt_.db->restore_from((dir / "localaws.db").string());
    rt_.blobs->replace_all_from(dir / "blobs");
    rt_.sweep_orphan_blobs();
    return true;
  }
  return false;
}

bool Snapshots::remove(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = index_.begin(); it != index_.end(); ++it) {
    if (it->first == name) {
      std::error_code ec;
      fs::remove_all(fs::path(root_) / it->second, ec);
      index_.erase(it);
      write_index();
      return true;
    }
  }
  return false;
}

std::vector<std::string> Snapshots::names() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (auto& [n, id] : index_) out.push_back(n);
  return out;
}

}  // namespace localaws::control
