#include "server/runtime.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <unordered_set>

#include "common/crypto.h"
#include "common/log.h"

namespace fs = std::filesystem;

namespace localaws {

Runtime::Runtime(Config cfg) : config(std::move(cfg)) {
  if (!config.accounts_file.empty()) accounts.load_file(config.accounts_file);
  authenticator = std::make_unique<auth::Authenticator>(accounts, config.auth_mode);

  std::error_code ec;
  if (config.in_memory) {
    data_root = (fs::temp_directory_path() / ("localaws-" + random_hex(6))).string();
    remove_data_root_on_exit = true;
  } else {
    data_root = config.data_dir;
  }
  fs::create_directories(data_root, ec);
  if (ec) throw std::runtime_error("cannot create data directory " + data_root + ": " + ec.message());
  data_lock = std::make_unique<storage::DirLock>(data_root);

  db = std::make_unique<storage::Database>(config.in_memory ? "" : (fs::path(data_root) / "localaws.db").string(),
                                           config.fsync);
  blobs = std::make_unique<storage::BlobStore>(fs::path(data_root), config.fsync);
  s3 = make_s3_service(*this);
  dynamodb = make_dynamodb_service(*this);
  snapshots = std::make_unique<control::Snapshots>(*this);
  size_t removed = sweep_orphan_blobs();
  if (removed > 0) log::info("start-up sweep removed " + std::to_string(removed) + " orphan blob(s)");
}

Runtime::~Runtime() {
  snapshots.reset();
  s3.reset();
  dynamodb.reset();
  db.reset();
  if (remove_data_root_on_exit) {
    std::error_code ec;
    fs::remove_all(data_root, ec);
  }
}

Service* Runtime::service(const std::string& name) {
  for (auto* s : services()) {
    if (s && name == s->name()) return s;
  }
  return nullptr;
}

size_t Runtime::sweep_orphan_blobs() {
  std::unordered_set<std::string> live;
  for (auto* s : services()) {
    if (s) s->collect_live_blobs(live);
  }
  return blobs->sweep([&](const std::string& id) { return live.count(id) > 0; });
}

}  // namespace localaws
