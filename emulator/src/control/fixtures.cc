#include "control/fixtures.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <pugixml.hpp>
#include <sstream>

#include "common/crypto.h"
#include "pipeline/serve.h"
#include "server/runtime.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace localaws::control {

nlohmann::json FixtureStats::to_json() const {
  return {{"buckets", buckets}, {"objects", objects}, {"tables", tables}, {"items", items}};
}

namespace {

// A request body streamed from a fixture file, so large objects are not read into memory.
class FileBody : public http::Body {
 public:
  explicit FileBody(const fs::path& p) : fd_(::open(p.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ >= 0) size_ = static_cast<uint64_t>(::lseek(fd_, 0, SEEK_END)), ::lseek(fd_, 0, SEEK_SET);
  }
  ~FileBody() override {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  std::optional<http::BodyError> read(const http::Sink& sink) override {
    consumed_ = true;
    char buf[64 * 1024];
    while (true) {
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n < 0) return http::BodyError{500, "InternalError", "cannot read fixture file"};
      if (n == 0) return std::nullopt;
      if (!sink(buf, static_cast<size_t>(n))) return http::BodyError::aborted();
    }
  }
  std::optional<uint64_t> length() const override { return size_; }

 private:
  int fd_;
  uint64_t size_ = 0;
};

class Replayer {
 public:
  Replayer(Runtime& rt, std::string source) : rt_(rt), source_(std::move(source)) {
    const auto& a = rt.accounts.default_account();
    who_ = auth::Principal::from(a, a.access_key_id);
  }

  // Runs one API call through the request pipeline as the default account (no signature);
  // throws FixtureError unless it succeeded.
  std::string call(const std::string& what, const std::string& method, const std::string& target,
                   http::HeaderList headers, std::unique_ptr<http::Body> body) {
    headers.emplace_back("host", "localhost");
    if (body && body->length()) headers.emplace_back("content-length", std::to_string(*body->length()));
    http::Request req = http::make_request(method, target, headers, std::move(body));
    req.request_id = "FIXTURE";
    http::Response res = serve(rt_, req, ServeOptions{&who_, false});
    if (res.status >= 300) {
      throw FixtureError(source_ + ": " + what + " failed with HTTP " + std::to_string(res.status) + ": " +
                         describe_error(res.body));
    }
    return res.body;
  }

  std::string ddb(const std::string& op, const std::string& what, const json& payload) {
    return call(what, "POST", "/",
                {{"x-amz-target", "DynamoDB_20120810." + op}, {"content-type", "application/x-amz-json-1.0"}},
                std::make_unique<http::StringBody>(payload.dump()));
  }

 private:
  static std::string describe_error(const std::string& body) {
    if (auto j = json::parse(body, nullptr, false); !j.is_discarded() && j.is_object()) {
      std::string type = j.value("__type", "");
      return type.substr(type.find('#') == std::string::npos ? 0 : type.find('#') + 1) + ": " +
             j.value("message", j.value("Message", ""));
    }
    pugi::xml_document doc;
    if (doc.load_string(body.c_str())) {
      auto e = doc.child("Error");
      return std::string(e.child_value("Code")) + ": " + e.child_value("Message");
    }
    return body.substr(0, 200);
  }

  Runtime& rt_;
  std::string source_;
  auth::Principal who_;
};

std::string str_field(const json& j, const char* k, const std::string& where) {
  if (!j.contains(k)) return "";
  if (!j[k].is_string()) throw FixtureError(where + ": \"" + k + "\" must be a string");
  return j[k].get<std::string>();
}

std::string cors_xml(const json& rules, const std::string& where) {
  if (!rules.is_array()) throw FixtureError(where + ": \"cors\" must be a list of CORS rules");
  pugi::xml_document doc;
  auto root = doc.append_child("CORSConfiguration");
  for (auto& r : rules) {
    auto rule = root.append_child("CORSRule");
    for (const char* list : {"AllowedOrigin", "AllowedMethod", "AllowedHeader", "ExposeHeader"}) {
      std::string plural = std::string(list) + "s";
      if (!r.contains(plural)) continue;
      for (auto& v : r[plural]) rule.append_child(list).text().set(v.get<std::string>().c_str());
    }
    if (r.contains("MaxAgeSeconds")) rule.append_child("MaxAgeSeconds").text().set(r["MaxAgeSeconds"].get<int>());
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

void load_bucket(Replayer& rp, Runtime& rt, const json& b, const std::string& where, const fs::path* base,
                 FixtureStats& stats) {
  if (!b.is_object()) throw FixtureError(where + ": each bucket must be an object");
  std::string name = str_field(b, "name", where);
  if (name.empty()) throw FixtureError(where + ": a bucket needs a \"name\"");
  std::string path = "/" + uri_encode(name);
  std::string w = where + " bucket " + name;
  http::HeaderList create_headers;
  if (b.contains("ownership")) create_headers.emplace_back("x-amz-object-ownership", str_field(b, "ownership", w));
  std::string region = str_field(b, "region", w);
  std::string body;
  if (!region.empty() && region != "us-east-1")
    body = "<CreateBucketConfiguration><LocationConstraint>" + region + "</LocationConstraint></CreateBucketConfiguration>";
  rp.call("CreateBucket " + name, "PUT", path, create_headers, std::make_unique<http::StringBody>(body));
  stats.buckets++;
  if (b.contains("publicAccessBlock")) {
    auto& pab = b["publicAccessBlock"];
    if (pab.is_boolean() && !pab.get<bool>()) {
      rp.call("DeletePublicAccessBlock " + name, "DELETE", path + "?publicAccessBlock", {}, nullptr);
    } else if (pab.is_object()) {
      std::string x = "<PublicAccessBlockConfiguration>";
      for (const char* k : {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"})
        x += std::string("<") + k + ">" + (pab.value(k, true) ? "true" : "false") + "</" + k + ">";
      x += "</PublicAccessBlockConfiguration>";
      rp.call("PutPublicAccessBlock " + name, "PUT", path + "?publicAccessBlock", {},
              std::make_unique<http::StringBody>(x));
    } else {
      throw FixtureError(w + ": \"publicAccessBlock\" must be false or an object");
    }
  }
  if (b.contains("acl"))
    rp.call("PutBucketAcl " + name, "PUT", path + "?acl", {{"x-amz-acl", str_field(b, "acl", w)}}, nullptr);
  if (b.contains("policy"))
    rp.call("PutBucketPolicy " + name, "PUT", path + "?policy", {{"content-type", "application/json"}},
            std::make_unique<http::StringBody>(b["policy"].is_string() ? b["policy"].get<std::string>()
                                                                       : b["policy"].dump()));
  if (b.contains("cors"))
    rp.call("PutBucketCors " + name, "PUT", path + "?cors", {}, std::make_unique<http::StringBody>(cors_xml(b["cors"], w)));
  if (!b.contains("objects")) return;
  if (!b["objects"].is_array()) throw FixtureError(w + ": \"objects\" must be a list");
  for (auto& o : b["objects"]) {
    std::string key = str_field(o, "key", w);
    if (key.empty()) throw FixtureError(w + ": every object needs a \"key\"");
    std::string ow = w + " object " + key;
    std::unique_ptr<http::Body> body;
    if (o.contains("file")) {
      if (!base) throw FixtureError(ow + ": \"file\" is only allowed in fixture files (use \"content\" or \"base64\")");
      fs::path p = *base / str_field(o, "file", ow);
      auto fb = std::make_unique<FileBody>(p);
      if (!fb->ok()) throw FixtureError(ow + ": cannot read " + p.string());
      body = std::move(fb);
    } else if (o.contains("base64")) {
      std::string bytes;
      if (!base64_decode(str_field(o, "base64", ow), bytes)) throw FixtureError(ow + ": \"base64\" is not valid base64");
      body = std::make_unique<http::StringBody>(std::move(bytes));
    } else {
      body = std::make_unique<http::StringBody>(str_field(o, "content", ow));
    }
    http::HeaderList h;
    h.emplace_back("content-type", o.contains("contentType") ? str_field(o, "contentType", ow) : "binary/octet-stream");
    if (o.contains("acl")) h.emplace_back("x-amz-acl", str_field(o, "acl", ow));
    if (o.contains("metadata")) {
      for (auto& [k, v] : o["metadata"].items()) h.emplace_back("x-amz-meta-" + to_lower(k), v.get<std::string>());
    }
    std::string target = path;
    for (auto& seg : split(key, '/')) target += "/" + uri_encode(seg);
    rp.call("PutObject " + key, "PUT", target, std::move(h), std::move(body));
    stats.objects++;
  }
}

void load_table(Replayer& rp, const json& t, const std::string& where, FixtureStats& stats) {
  if (!t.is_object()) throw FixtureError(where + ": each table must be an object (a CreateTable request)");
  json create = t;
  create.erase("items");
  std::string name = str_field(t, "TableName", where);
  if (name.empty()) throw FixtureError(where + ": a table needs \"TableName\"");
  rp.ddb("CreateTable", "CreateTable " + name, create);
  stats.tables++;
  if (!t.contains("items")) return;
  if (!t["items"].is_array()) throw FixtureError(where + " table " + name + ": \"items\" must be a list");
  size_t i = 0;
  for (auto& item : t["items"]) {
    rp.ddb("PutItem", "PutItem #" + std::to_string(i++) + " into " + name, {{"TableName", name}, {"Item", item}});
    stats.items++;
  }
}

}  // namespace

FixtureStats load_fixture(Runtime& rt, const json& doc, const std::string& source, const fs::path* base_dir) {
  if (!doc.is_object()) throw FixtureError(source + ": a fixture must be a JSON object");
  for (auto& [k, v] : doc.items()) {
    if (k != "buckets" && k != "tables" && k != "description")
      throw FixtureError(source + ": unknown key \"" + k + "\" (expected buckets, tables)");
  }
  Replayer rp(rt, source);
  FixtureStats stats;
  if (doc.contains("buckets")) {
    if (!doc["buckets"].is_array()) throw FixtureError(source + ": \"buckets\" must be a list");
    for (auto& b : doc["buckets"]) load_bucket(rp, rt, b, source, base_dir, stats);
  }
  if (doc.contains("tables")) {
    if (!doc["tables"].is_array()) throw FixtureError(source + ": \"tables\" must be a list");
    for (auto& t : doc["tables"]) load_table(rp, t, source, stats);
  }
  return stats;
}

FixtureStats load_fixture_path(Runtime& rt, const fs::path& path) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (auto& e : fs::directory_iterator(path, ec)) {
      if (e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
  } else if (fs::exists(path, ec)) {
    files.push_back(path);
  } else {
    throw FixtureError(path.string() + ": no such file or directory");
  }
  FixtureStats total;
  for (auto& f : files) {
    std::ifstream in(f);
    json doc = json::parse(in, nullptr, false);
    if (doc.is_discarded()) throw FixtureError(f.string() + ": not valid JSON");
    fs::path base = f.parent_path();
    auto s = load_fixture(rt, doc, f.string(), &base);
    total.buckets += s.buckets;
    total.objects += s.objects;
    total.tables += s.tables;
    total.items += s.items;
  }
  return total;
}

}  // namespace localaws::control
