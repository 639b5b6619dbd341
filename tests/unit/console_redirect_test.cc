// A browser opening the endpoint itself is sent to the web console; API calls to GET / are not
// (control/console.h, browser_wants_console).
#include <catch2/catch.hpp>

#include "control/console.h"

using namespace localaws;

namespace {

const std::string kChromeAccept =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

http::Request get(std::string target, http::HeaderList headers = {}, std::string method = "GET") {
  bool has_host = false;
  for (auto& [k, v] : headers) has_host = has_host || k == "Host";
  if (!has_host) headers.insert(headers.begin(), {"Host", "127.0.0.1:4566"});
  return http::make_request(std::move(method), std::move(target), headers);
}

}  // namespace

TEST_CASE("a browser's GET / goes to the console", "[console]") {
  CHECK(control::browser_wants_console(get("/", {{"Accept", kChromeAccept}}), ""));
  CHECK(control::browser_wants_console(get("/", {{"Accept", kChromeAccept}}, "HEAD"), ""));
  CHECK(control::browser_wants_console(get("/", {{"accept", "TEXT/HTML"}}), ""));
  CHECK(control::browser_wants_console(get("/", {{"Host", "localhost:4566"}, {"Accept", kChromeAccept}}), ""));
  CHECK(control::browser_wants_console(get("/", {{"Host", "s3.localhost:4566"}, {"Accept", kChromeAccept}}), ""));
  CHECK(control::browser_wants_console(get("/", {{"Host", "example.test"}, {"Accept", kChromeAccept}}), "example.test"));
}

TEST_CASE("API calls to GET / are not redirected", "[console]") {
  // curl and SDKs: no text/html.
  CHECK_FALSE(control::browser_wants_console(get("/"), ""));
  CHECK_FALSE(control::browser_wants_console(get("/", {{"Accept", "*/*"}}), ""));
  CHECK_FALSE(control::browser_wants_console(get("/", {{"Accept", "application/xml"}}), ""));
  // Signed: a header signature, SigV4 or SigV2 query authentication, any x-amz-* header.
  CHECK_FALSE(control::browser_wants_console(
      get("/", {{"Accept", kChromeAccept}, {"Authorization", "AWS4-HMAC-SHA256 Credential=test/..."}}), ""));
  CHECK_FALSE(control::browser_wants_console(
      get("/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"
          "&X-Amz-Signature=abc",
          {{"Accept", kChromeAccept}}),
      ""));
  CHECK_FALSE(control::browser_wants_console(
      get("/?AWSAccessKeyId=test&Expires=1&Signature=abc", {{"Accept", kChromeAccept}}), ""));
  CHECK_FALSE(control::browser_wants_console(get("/", {{"Accept", kChromeAccept}, {"X-Amz-Date", "20260101T000000Z"}}), ""));
  CHECK_FALSE(control::browser_wants_console(
      get("/", {{"Accept", kChromeAccept}, {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}}), ""));
  // ListBuckets with parameters.
  CHECK_FALSE(control::browser_wants_console(get("/?max-buckets=10", {{"Accept", kChromeAccept}}), ""));
  // Other methods and paths.
  CHECK_FALSE(control::browser_wants_console(get("/", {{"Accept", kChromeAccept}}, "POST"), ""));
  CHECK_FALSE(control::browser_wants_console(get("/", {{"Accept", kChromeAccept}}, "OPTIONS"), ""));
  CHECK_FALSE(control::browser_wants_console(get("/bucket", {{"Accept", kChromeAccept}}), ""));
  CHECK_FALSE(control::browser_wants_console(get("/bucket/", {{"Accept", kChromeAccept}}), ""));
  // A Host naming a bucket: that bucket's listing or its website, not the endpoint.
  CHECK_FALSE(control::browser_wants_console(get("/", {{"Host", "photos.s3.localhost:4566"}, {"Accept", kChromeAccept}}), ""));
  CHECK_FALSE(control::browser_wants_console(get("/", {{"Host", "photos.localhost:4566"}, {"Accept", kChromeAccept}}), ""));
  CHECK_FALSE(control::browser_wants_console(
      get("/", {{"Host", "photos.s3-website.localhost:4566"}, {"Accept", kChromeAccept}}), ""));
  CHECK_FALSE(control::browser_wants_console(get("/", {{"Host", "s3-website.localhost:4566"}, {"Accept", kChromeAccept}}), ""));
  CHECK_FALSE(control::browser_wants_console(
      get("/", {{"Host", "photos.example.test"}, {"Accept", kChromeAccept}}), "example.test"));
}

TEST_CASE("the console redirect", "[console]") {
  http::Response res;
  control::redirect_to_console(get("/", {{"Accept", kChromeAccept}}), res);
  CHECK(res.status == 302);
  REQUIRE(res.header("Location"));
  CHECK(*res.header("Location") == "/_localaws/console/");
  CHECK(res.operation == "ConsoleRedirect");
  CHECK_FALSE(res.omit_body);
  http::Response head;
  control::redirect_to_console(get("/", {{"Accept", kChromeAccept}}, "HEAD"), head);
  CHECK(head.status == 302);
  CHECK(head.omit_body);
}
