// Static website hosting as pure code: the WebsiteConfiguration XML and the routing decisions of
// the website endpoint (index documents, redirect-all, routing rules).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteHosting.html
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace localaws::s3 {

struct WebsiteRedirect {
  std::string host, protocol, replace_prefix, replace_key, code;
  bool has_replace_prefix = false;
};
struct RoutingRule {
  std::string key_prefix;  // Condition/KeyPrefixEquals
  std::string error_code;  // Condition/HttpErrorCodeReturnedEquals
  WebsiteRedirect redirect;
};
struct WebsiteConfig {
  std::string index_suffix;
  std::string error_key;
  std::optional<WebsiteRedirect> redirect_all;  // host, protocol
  std::vector<RoutingRule> rules;
};

// nullopt (with AWS's message in `message`) for an invalid document.
std::optional<WebsiteConfig> parse_website(std::string_view xml, std::string& message);

// The Location and status of a routing rule for `key` after `status` (0: before the lookup), or
// nullopt. request_host: the Host the browser used (kept when a rule names none).
struct WebsiteJump {
  std::string location;
  int status = 301;
};
std::optional<WebsiteJump> route_website(const WebsiteConfig& w, const std::string& key, int status,
                                         const std::string& request_host);

// The bucket named by a website Host ("<bucket>.s3-website.localhost", "<bucket>.s3-website-<region>.<domain>"
// ...), or "" when the Host is not a website endpoint. path_form: set for the bare
// "s3-website.localhost" host, whose path starts with the bucket (for dotted names).
std::string website_bucket(std::string_view host, bool& path_form);

}  // namespace localaws::s3
