// Client configuration resolved the way the AWS SDKs and CLI resolve it (environment first, then
// the shared config and credentials files), so switching between real AWS and a local endpoint is
// configuration only.
// https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "aws/sigv4.h"

namespace aws {

// Reads one environment variable; tests pass a map instead of the process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_env();

// One shared config/credentials file: sections of key = value lines, and nested values
// ("s3 =" followed by indented "endpoint_url = ..." lines) stored as "s3.endpoint_url".
struct IniFile {
  std::map<std::string, std::map<std::string, std::string>> sections;
  static IniFile parse(const std::string& text);
  static IniFile load(const std::string& path);  // a missing file is an empty one
  std::optional<std::string> get(const std::string& section, const std::string& key) const;
};

enum class AddressingStyle { kAuto, kPath, kVirtual };

struct ServiceConfig {
  std::string service;       // "s3" or "dynamodb" (the signing name)
  std::string profile;       // the profile that was read
  Credentials credentials;   // may be empty: requests then go unsigned
  std::string region;
  std::string endpoint_url;  // empty: the service's real regional HTTPS endpoint
  std::string endpoint_source;  // where endpoint_url came from, for messages ("AWS_ENDPOINT_URL_S3", ...)
  AddressingStyle addressing = AddressingStyle::kAuto;  // S3 only ("s3 = addressing_style = path")
  std::string ca_file = "/etc/ssl/certs/ca-certificates.crt";
};

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Resolves the configuration for `service` ("s3", "dynamodb"):
// - credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), else the
//   profile (AWS_PROFILE, else "default") in the credentials file ([name]), else in the config file
//   ([profile name], or [default]);
// - region: AWS_REGION, AWS_DEFAULT_REGION, the profile's region; none is a ConfigError;
// - endpoint, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
//   ignore_configured_endpoint_urls is true: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the
//   profile's services section (`services = x` and `[services x]` with `s3 =\n  endpoint_url = ...`),
//   the profile's endpoint_url.
// Files: AWS_CONFIG_FILE (else ~/.aws/config), AWS_SHARED_CREDENTIALS_FILE (else ~/.aws/credentials).
// Throws ConfigError when a profile other than "default" is named explicitly but exists in
// neither file.
ServiceConfig resolve_config(const std::string& service, const EnvLookup& env);

// The real AWS endpoint for a service in a region ("https://dynamodb.eu-west-1.amazonaws.com").
std::string default_endpoint(const std::string& service, const std::string& region);

}  // namespace aws
