// Bucket CORS as pure code: the CORSConfiguration XML and matching a request against its rules
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html). Unit tested in
// tests/unit/s3_cors_test.cc.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace localaws::s3 {

struct CorsRule {
  std::string id;
  std::vector<std::string> origins, methods, headers, expose;
  std::optional<int> max_age;
};

// Parses a CORSConfiguration document. On error returns nullopt and sets code/message to AWS's
// (MalformedXML, InvalidRequest for an unsupported method).
std::optional<std::vector<CorsRule>> parse_cors(std::string_view xml, std::string& code, std::string& message);
std::string cors_xml(const std::vector<CorsRule>& rules);

// The first rule allowing origin + method + every requested header (lower case, comma list).
const CorsRule* match_cors(const std::vector<CorsRule>& rules, std::string_view origin, std::string_view method,
                           std::string_view request_headers);

}  // namespace localaws::s3
