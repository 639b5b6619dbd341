// The signer against botocore: data/sigv4_cases.json is written by gen_sigv4_cases.py.
#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "aws/crypto.h"
#include "aws/sigv4.h"

using nlohmann::json;

namespace {

json load_cases() {
  std::ifstream f(std::string(RANKER_TEST_DATA) + "/sigv4_cases.json");
  REQUIRE(f.good());
  return json::parse(f)["cases"];
}

std::chrono::system_clock::time_point parse_amz_date(const std::string& s) {
  std::tm tm{};
  std::istringstream in(s);
  in >> std::get_time(&tm, "%Y%m%dT%H%M%SZ");
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

aws::Pairs pairs(const json& j) {
  aws::Pairs out;
  for (const auto& p : j) out.emplace_back(p[0], p[1]);
  return out;
}

aws::SignableRequest request_of(const json& c) {
  return {c["method"], c["path"], pairs(c["query"]), pairs(c["headers"]), c.value("payload_sha256", "")};
}

aws::Credentials creds_of(const json& c) { return {c["credentials"][0], c["credentials"][1], c["credentials"][2]}; }

// Splits an encoded query string into decoded pairs.
std::set<std::pair<std::string, std::string>> decode_query(const std::string& q) {
  auto decode = [](const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  std::set<std::pair<std::string, std::string>> out;
  std::istringstream in(q);
  std::string part;
  while (std::getline(in, part, '&')) {
    size_t eq = part.find('=');
    out.emplace(decode(part.substr(0, eq)), eq == std::string::npos ? "" : decode(part.substr(eq + 1)));
  }
  return out;
}

}  // namespace

TEST_CASE("SigV4 Authorization headers match botocore", "[sigv4]") {
  json cases = load_cases();
  int checked = 0;
  for (const auto& c : cases) {
    if (c["kind"] != "header") continue;
    SECTION(c["name"].get<std::string>()) {
      aws::SignableRequest req = request_of(c);
      aws::sign_headers(req, creds_of(c), {c["region"], c["service"], parse_amz_date(c["time"])});
      std::string auth;
      for (const auto& [k, v] : req.headers)
        if (k == "authorization") auth = v;
      CHECK(auth == c["expected_authorization"].get<std::string>());
    }
    ++checked;
  }
  CHECK(checked >= 5);
}

TEST_CASE("SigV4 presigned URLs match botocore", "[sigv4]") {
  json cases = load_cases();
  int checked = 0;
  for (const auto& c : cases) {
    if (c["kind"] != "presign") continue;
    SECTION(c["name"].get<std::string>()) {
      aws::SignableRequest req = request_of(c);
      std::string q = aws::presign_query(req, creds_of(c), {c["region"], "s3", parse_amz_date(c["time"])}, c["expires"]);
      std::set<std::pair<std::string, std::string>> expected;
      for (const auto& p : c["expected_query"]) expected.emplace(p[0], p[1]);
      CHECK(decode_query(q) == expected);
    }
    ++checked;
  }
  CHECK(checked >= 2);
}

TEST_CASE("SigV4 presign refuses lifetimes SigV4 does not allow", "[sigv4]") {
  aws::SignableRequest req{"GET", "/b/k", {}, {{"host", "h"}}, ""};
  aws::SigningScope scope{"us-east-1", "s3", std::chrono::system_clock::now()};
  CHECK_THROWS_AS(aws::presign_query(req, {"a", "b", ""}, scope, 604801), std::invalid_argument);
  CHECK_THROWS_AS(aws::presign_query(req, {"a", "b", ""}, scope, 0), std::invalid_argument);
  CHECK_NOTHROW(aws::presign_query(req, {"a", "b", ""}, scope, 604800));
}

TEST_CASE("uri_encode keeps only unreserved characters", "[sigv4]") {
  CHECK(aws::uri_encode("a b+c/ü~._-", false) == "a%20b%2Bc/%C3%BC~._-");
  CHECK(aws::uri_encode("a/b", true) == "a%2Fb");
}

TEST_CASE("crypto helpers give the known digests", "[sigv4]") {
  CHECK(aws::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(aws::md5_base64("") == "1B2M2Y8AsgTpgAmY7PhCfg==");
  CHECK(aws::crc32("123456789") == 0xCBF43926u);
}
