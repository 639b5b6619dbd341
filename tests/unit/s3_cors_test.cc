#include <catch2/catch.hpp>

#include "s3/cors.h"

using namespace localaws::s3;

TEST_CASE("s3 cors: configuration XML and rule matching") {
  std::string code, message;
  auto rules = parse_cors(
      "<CORSConfiguration><CORSRule><AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>"
      "<AllowedHeader>x-amz-*</AllowedHeader><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule>"
      "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>",
      code, message);
  REQUIRE(rules);
  CHECK(match_cors(*rules, "https://app.example.com", "PUT", "x-amz-meta-a, X-Amz-Date") == &(*rules)[0]);
  CHECK_FALSE(match_cors(*rules, "https://app.example.com", "PUT", "content-type"));
  CHECK(match_cors(*rules, "http://any", "GET", "") == &(*rules)[1]);
  CHECK_FALSE(match_cors(*rules, "http://any", "DELETE", ""));
  auto again = parse_cors(cors_xml(*rules), code, message);
  REQUIRE(again);
  CHECK((*again)[0].max_age == 60);
  CHECK_FALSE(parse_cors("<CORSConfiguration/>", code, message));
  CHECK(code == "MalformedXML");
  CHECK_FALSE(parse_cors("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH"
                         "</AllowedMethod></CORSRule></CORSConfiguration>", code, message));
  CHECK(code == "InvalidRequest");
}
