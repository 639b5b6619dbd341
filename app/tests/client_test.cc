// The signed client against a scripted local HTTP server: retries, error decoding, the DynamoDB
// CRC32 check, and S3 addressing.
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <vector>
#include <catch2/catch.hpp>
#include <thread>

#include "aws/crypto.h"
#include "aws/dynamodb.h"
#include "aws/s3.h"

namespace {

// An HTTP server on 127.0.0.1:<free port> answering with `handler`, stopped on destruction.
struct ScriptedServer {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  explicit ScriptedServer(httplib::Server::Handler handler, time_t keep_alive_seconds = 0) {
    server.Post(".*", handler);
    server.Get(".*", handler);
    server.Put(".*", handler);
    // One request per connection: the client's pooled keep-alive connections would otherwise
    // hold the server's workers until its keep-alive timeout when the test stops it.
    if (keep_alive_seconds == 0) server.set_keep_alive_max_count(1);
    else server.set_keep_alive_timeout(keep_alive_seconds);
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs, so wait for it (bounded: 5 s).
    for (int i = 0; i < 5000 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~ScriptedServer() {
    server.stop();
    thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

aws::ServiceConfig config_for(const std::string& service, const std::string& endpoint) {
  aws::ServiceConfig c;
  c.service = service;
  c.region = "eu-west-1";
  c.credentials = {"AKID", "secret", ""};
  c.endpoint_url = endpoint;
  return c;
}

aws::RetryPolicy fast_policy(int attempts) {
  aws::RetryPolicy p;
  p.max_attempts = attempts;
  p.base = std::chrono::milliseconds(1);
  p.cap = std::chrono::milliseconds(2);
  return p;
}

void ddb_answer(httplib::Response& res, int status, const std::string& body, bool good_crc = true) {
  res.status = status;
  res.set_content(body, "application/x-amz-json-1.0");
  res.set_header("x-amz-crc32", std::to_string(aws::crc32(body) + (good_crc ? 0 : 1)));
}

}  // namespace

TEST_CASE("client: 5xx and throttling are retried until success", "[client]") {
  std::atomic<int> calls{0};
  ScriptedServer srv([&](const httplib::Request& req, httplib::Response& res) {
    int n = ++calls;
    CHECK(req.get_header_value("Authorization").rfind("AWS4-HMAC-SHA256 Credential=AKID/", 0) == 0);
    if (n == 1) return ddb_answer(res, 500, R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"x"})");
    if (n == 2) return ddb_answer(res, 400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow"})");
    ddb_answer(res, 200, R"({"Item":{"id":{"S":"1"}}})");
  });
  aws::DynamoDbClient ddb{aws::SignedClient(config_for("dynamodb", srv.url()), fast_policy(3))};
  auto out = ddb.get_item({{"TableName", "t"}, {"Key", {{"id", {{"S", "1"}}}}}});
  CHECK(out["Item"]["id"]["S"] == "1");
  CHECK(calls == 3);
}

TEST_CASE("client: client errors are not retried and keep AWS's code and message", "[client]") {
  std::atomic<int> calls{0};
  ScriptedServer srv([&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    ddb_answer(res, 400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"bad key"})");
  });
  aws::DynamoDbClient ddb{aws::SignedClient(config_for("dynamodb", srv.url()), fast_policy(5))};
  try {
    ddb.get_item({{"TableName", "t"}});
    FAIL("expected an AwsError");
  } catch (const aws::AwsError& e) {
    CHECK(e.status == 400);
    CHECK(e.code == "ValidationException");
    CHECK(e.message == "bad key");
  }
  CHECK(calls == 1);
}

TEST_CASE("client: a DynamoDB body that fails its X-Amz-Crc32 is retried, then reported", "[client]") {
  std::atomic<int> calls{0};
  ScriptedServer srv([&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    ddb_answer(res, 200, R"({"Items":[]})", /*good_crc=*/false);
  });
  aws::DynamoDbClient ddb{aws::SignedClient(config_for("dynamodb", srv.url()), fast_policy(2))};
  try {
    ddb.scan({{"TableName", "t"}});
    FAIL("expected an AwsError");
  } catch (const aws::AwsError& e) {
    CHECK(e.code == "CRC32CheckFailed");
  }
  CHECK(calls == 2);
}

TEST_CASE("client: nobody listening is a NetworkError after the allowed attempts", "[client]") {
  int port;
  {
    ScriptedServer srv([](const httplib::Request&, httplib::Response&) {});
    port = srv.port;
  }
  aws::S3Client s3{aws::SignedClient(config_for("s3", "http://127.0.0.1:" + std::to_string(port)), fast_policy(2))};
  try {
    s3.get_object("bucket", "key");
    FAIL("expected an AwsError");
  } catch (const aws::AwsError& e) {
    CHECK(e.status == 0);
    CHECK(e.code == "NetworkError");
  }
}

TEST_CASE("client: S3 XML errors are decoded", "[client]") {
  ScriptedServer srv([](const httplib::Request& req, httplib::Response& res) {
    CHECK(req.target == "/my-bucket/photos/a%20b.png");  // encoded on the wire
    CHECK(req.get_header_value("x-amz-content-sha256") == aws::sha256_hex(""));
    res.status = 404;
    res.set_header("x-amz-request-id", "REQ1");
    res.set_content("<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
                    "application/xml");
  });
  aws::S3Client s3{aws::SignedClient(config_for("s3", srv.url()), fast_policy(3))};
  try {
    s3.get_object("my-bucket", "photos/a b.png");
    FAIL("expected an AwsError");
  } catch (const aws::AwsError& e) {
    CHECK(e.status == 404);
    CHECK(e.code == "NoSuchKey");
    CHECK(e.message == "The specified key does not exist.");
    CHECK(e.request_id == "REQ1");
  }
}

TEST_CASE("s3: addressing style and public URLs", "[client]") {
  auto on_aws = config_for("s3", "");
  aws::S3Client aws_s3{aws::SignedClient(on_aws, {})};
  CHECK(aws_s3.virtual_hosted("coffeeshopranker-abc"));
  CHECK(aws_s3.object_url("coffeeshopranker-abc", "photos/s 1/x.png") ==
        "https://coffeeshopranker-abc.s3.eu-west-1.amazonaws.com/photos/s%201/x.png");
  // Dotted names break the wildcard certificate: path style.
  CHECK_FALSE(aws_s3.virtual_hosted("photos.example.com"));
  CHECK(aws_s3.object_url("photos.example.com", "k") == "https://s3.eu-west-1.amazonaws.com/photos.example.com/k");
  CHECK_FALSE(aws_s3.virtual_hosted("Not_DNS"));

  aws::S3Client local{aws::SignedClient(config_for("s3", "http://localhost:4566"), {})};
  CHECK_FALSE(local.virtual_hosted("coffeeshopranker-abc"));
  CHECK(local.object_url("b1", "k") == "http://localhost:4566/b1/k");
  auto forced = config_for("s3", "http://s3.localhost:4566");
  forced.addressing = aws::AddressingStyle::kVirtual;
  CHECK(aws::S3Client{aws::SignedClient(forced, {})}.object_url("bk1", "k") == "http://bk1.s3.localhost:4566/k");
  auto path = on_aws;
  path.addressing = aws::AddressingStyle::kPath;
  CHECK(aws::S3Client{aws::SignedClient(path, {})}.object_url("b1", "k") == "https://s3.eu-west-1.amazonaws.com/b1/k");
}

TEST_CASE("s3: presigned URLs point at the object and carry the signature", "[client]") {
  aws::S3Client local{aws::SignedClient(config_for("s3", "http://127.0.0.1:4566"), {})};
  std::string url = local.presign("PUT", "b1", "photos/x.png", 600);
  CHECK(url.rfind("http://127.0.0.1:4566/b1/photos/x.png?", 0) == 0);
  CHECK(url.find("X-Amz-Expires=600") != std::string::npos);
  CHECK(url.find("X-Amz-Signature=") != std::string::npos);
}

TEST_CASE("dns_compatible follows S3's bucket naming rules", "[client]") {
  CHECK(aws::S3Client::dns_compatible("abc"));
  CHECK(aws::S3Client::dns_compatible("my.bucket-1"));
  CHECK_FALSE(aws::S3Client::dns_compatible("ab"));
  CHECK_FALSE(aws::S3Client::dns_compatible("-abc"));
  CHECK_FALSE(aws::S3Client::dns_compatible("a..b"));
  CHECK_FALSE(aws::S3Client::dns_compatible("192.168.1.1"));
  CHECK_FALSE(aws::S3Client::dns_compatible(std::string(64, 'a')));
}

TEST_CASE("client: keep-alive connections are reused, and a closed idle one is replaced", "[client]") {
  std::vector<int> ports;
  std::mutex mu;
  ScriptedServer srv(
      [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu);
        ports.push_back(req.remote_port);
        ddb_answer(res, 200, "{}");
      },
      /*keep_alive_seconds=*/1);
  aws::DynamoDbClient ddb{aws::SignedClient(config_for("dynamodb", srv.url()), fast_policy(1))};
  ddb.scan({{"TableName", "t"}});
  ddb.scan({{"TableName", "t"}});
  // The server drops the idle connection after its 1 s keep-alive timeout; with a single
  // attempt allowed the call still succeeds on a fresh connection.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  ddb.scan({{"TableName", "t"}});
  std::lock_guard<std::mutex> lock(mu);
  REQUIRE(ports.size() == 3);
  CHECK(ports[0] == ports[1]);
  CHECK(ports[2] != ports[1]);
}

TEST_CASE("Url::parse reads endpoints as the SDKs accept them", "[client]") {
  auto u = aws::Url::parse("http://localhost:4566");
  CHECK((u.scheme == "http" && u.host == "localhost" && u.port == 4566 && u.base_path.empty()));
  CHECK(u.host_header() == "localhost:4566");
  auto v = aws::Url::parse("HTTPS://s3.eu-west-1.amazonaws.com/");
  CHECK((v.scheme == "https" && v.port == 443 && v.host_header() == "s3.eu-west-1.amazonaws.com"));
  auto w = aws::Url::parse("http://proxy:8080/aws/");
  CHECK(w.base_path == "/aws");
  CHECK(aws::Url::parse("http://[::1]:9000").host == "[::1]");
  CHECK_THROWS_AS(aws::Url::parse("localhost:4566"), std::invalid_argument);
  CHECK_THROWS_AS(aws::Url::parse("ftp://x"), std::invalid_argument);
  CHECK_THROWS_AS(aws::Url::parse("http://x:port"), std::invalid_argument);
  CHECK_THROWS_AS(aws::Url::parse("http://:80"), std::invalid_argument);
}
