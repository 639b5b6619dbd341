// Server access log delivery (emulator/src/s3/access_log.h): lines buffered per request to a bucket
// with logging on, flushed as log objects in AWS's format under SimplePrefix / PartitionedPrefix keys.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

#include "temp_dir.h"
#include "common/crypto.h"
#include "http/request.h"
#include "s3/handlers.h"
#include "storage/blob_store.h"
#include "storage/sqlite.h"

using namespace localaws;
using namespace localaws::s3;
namespace fs = std::filesystem;

namespace {

using localaws::testing::TempDir;

constexpr int64_t kNow = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
const Owner kOwner{"owner-id", "owner", "000000000000"};

struct Fx {
  TempDir dir;
  storage::Database db{(dir.path / "db").string(), false};
  storage::BlobStore blobs{dir.path / "data", false};
  Store store{db, blobs};
  auth::Accounts accounts;
  EmuClock clock;
  Env env{store, blobs, accounts, clock, {}};
  auth::Principal who;

  Fx() {
    who.anonymous = false;
    who.canonical_user_id = "requester-id";
    for (const char* n : {"src", "logs"}) {
      Bucket b{n, "us-east-1", kOwner, kNow, {}};
      REQUIRE(store.create_bucket(b, nullptr) == St::kOk);
    }
  }
  void logging(const std::string& format) {
    std::string xml = "<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>l/"
                      "</TargetPrefix>" + format + "</LoggingEnabled></BucketLoggingStatus>";
    REQUIRE(store.set_bucket_config("src", "logging", xml) == St::kOk);
  }
  void request(const std::string& method, const std::string& target, const std::string& key, Op op, int status,
               int64_t at) {
    auto req = http::make_request(method, target, {{"Host", "localhost"}, {"User-Agent", "ua/1"},
                                                    {"Authorization", "AWS4-HMAC-SHA256 Credential=x"}});
    req.request_id = "REQ123";
    req.remote_addr = "127.0.0.1";
    http::Response res;
    res.status = status;
    res.body = status >= 300 ? "<Error><Code>NoSuchKey</Code></Error>" : "hello";
    env.access_logs->record(env, req, res, who, "src", key, &op_row(op), at, at + 7);
  }
  std::vector<std::pair<std::string, std::string>> log_objects() {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& e : store.list_objects("logs", {}).entries) {
      auto f = blobs.open(e.obj.blob_id);
      std::string text(e.obj.size, '\0');
      REQUIRE(f->read_at(0, text.data(), text.size()) == static_cast<int64_t>(text.size()));
      out.emplace_back(e.key, text);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("access log: nothing is written for a bucket without logging") {
  Fx fx;
  fx.request("GET", "/src/a.txt", "a.txt", Op::kGetObject, 200, kNow);
  CHECK(flush_access_logs(fx.env, kNow + 1000) == 0);
  CHECK(fx.log_objects().empty());
}

TEST_CASE("access log: SimplePrefix object with one line per request in AWS's field order") {
  Fx fx;
  fx.logging("");
  fx.request("GET", "/src/a%20b.txt?x=1", "a b.txt", Op::kGetObject, 200, kNow);
  fx.request("GET", "/src/missing", "missing", Op::kGetObject, 404, kNow + 1);
  fx.request("PUT", "/src?versioning", "", Op::kPutBucketVersioning, 200, kNow + 2);
  CHECK(fx.log_objects().empty());  // the request path only buffers
  REQUIRE(flush_access_logs(fx.env, kNow + 60'000) == 1);
  auto objs = fx.log_objects();
  REQUIRE(objs.size() == 1);
  // [TargetPrefix]YYYY-mm-DD-HH-MM-SS-UniqueString, the delivery time.
  CHECK(std::regex_match(objs[0].first, std::regex("l/2023-11-14-22-14-20-[0-9A-F]{16}")));
  std::string text = objs[0].second;
  std::vector<std::string> lines;
  for (size_t p = 0, q; (q = text.find('\n', p)) != std::string::npos; p = q + 1)
    lines.push_back(text.substr(p, q - p));
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].rfind("owner-id src [14/Nov/2023:22:13:20 +0000] 127.0.0.1 requester-id REQ123 REST.GET.OBJECT "
                       "a%20b.txt \"GET /src/a%20b.txt?x=1 HTTP/1.1\" 200 - 5 - 7 7 \"-\" \"ua/1\" - ",
                       0) == 0);
  CHECK(lines[0].find(" SigV4 - AuthHeader localhost - - -") != std::string::npos);
  CHECK(lines[1].find("REST.GET.OBJECT missing \"GET /src/missing HTTP/1.1\" 404 NoSuchKey ") != std::string::npos);
  CHECK(lines[2].find("REST.PUT.VERSIONING - \"PUT /src?versioning HTTP/1.1\" 200 - ") != std::string::npos);
  // Flushed lines are gone.
  CHECK(flush_access_logs(fx.env, kNow + 120'000) == 0);
}

TEST_CASE("access log: PartitionedPrefix keys by account, region, bucket and event day") {
  Fx fx;
  fx.logging("<TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>EventTime</PartitionDateSource>"
             "</PartitionedPrefix></TargetObjectKeyFormat>");
  fx.request("GET", "/src/k", "k", Op::kGetObject, 200, kNow);
  fx.request("GET", "/src/k", "k", Op::kGetObject, 200, kNow + 86'400'000);  // the next day
  REQUIRE(flush_access_logs(fx.env, kNow + 2 * 86'400'000) == 2);
  auto objs = fx.log_objects();
  REQUIRE(objs.size() == 2);
  CHECK(std::regex_match(objs[0].first,
                         std::regex("l/000000000000/us-east-1/src/2023/11/14/2023-11-16-22-13-20-[0-9A-F]{16}")));
  CHECK(std::regex_match(objs[1].first,
                         std::regex("l/000000000000/us-east-1/src/2023/11/15/2023-11-16-22-13-20-[0-9A-F]{16}")));
}

TEST_CASE("access log: turning logging on is seen after forget (PutBucketLogging)") {
  Fx fx;
  fx.request("GET", "/src/k", "k", Op::kGetObject, 200, kNow);  // caches "no logging"
  fx.logging("");
  fx.request("GET", "/src/k", "k", Op::kGetObject, 200, kNow);
  CHECK(flush_access_logs(fx.env, kNow) == 0);
  fx.env.access_logs->forget("src");
  fx.request("GET", "/src/k", "k", Op::kGetObject, 200, kNow);
  CHECK(flush_access_logs(fx.env, kNow) == 1);
}
