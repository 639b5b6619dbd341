#include "ranker/seed.h"

#include <fstream>
#include <ostream>
#include <sstream>

#include "ranker/image.h"

namespace ranker {

using aws::Json;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Json read_json(const std::string& path) {
  Json j = Json::parse(read_file(path), nullptr, false);
  if (j.is_discarded() || !j.is_array()) throw std::runtime_error(path + ": expected a JSON array");
  return j;
}

// Photo names come from our own fixture files, but still must not walk out of photos/.
bool plain_name(const std::string& n) {
  return !n.empty() && n.find('/') == std::string::npos && n.find("..") == std::string::npos;
}

}  // namespace

void seed(const Store& store, const std::string& dir, std::ostream& log) {
  for (const Json& s : read_json(dir + "/shops.json")) {
    std::string id = s.at("id");
    NewShop shop{s.at("name"), s.at("address"), std::nullopt, std::nullopt};
    if (s.contains("lat") && s.contains("lon")) {
      shop.lat = s["lat"].get<double>();
      shop.lon = s["lon"].get<double>();
    }
    log << "shop " << id << ": " << (store.create_shop(shop, id) ? "created" : "exists") << "\n";
    for (const Json& p : s.value("photos", Json::array())) {
      std::string name = p;
      if (!plain_name(name)) throw std::runtime_error("bad photo name in shops.json: " + name);
      std::string bytes = read_file(dir + "/photos/" + name);
      auto type = sniff_image(bytes);
      if (!type) throw std::runtime_error(name + " is not a JPEG, PNG or WebP image");
      std::string stem = name.substr(0, name.rfind('.'));
      log << "  photo " << store.add_photo(id, bytes, type->mime, type->extension, "seed-" + stem).url << "\n";
    }
  }
  int votes = 0;
  for (const Json& r : read_json(dir + "/ratings.json")) {
    store.rate(r.at("shop"), r.at("user"), r.at("stars").get<int>());
    ++votes;
  }
  log << votes << " ratings applied\n";
}

}  // namespace ranker
