// Configuration resolution: environment versus profile versus service-specific endpoints, the
// ignore flag, and the config/credentials file formats.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "aws/config.h"

namespace fs = std::filesystem;

namespace {

// A temporary HOME-like directory with a config and a credentials file.
struct Files {
  fs::path dir;
  Files(const std::string& config, const std::string& credentials) {
    dir = fs::temp_directory_path() / ("ranker-config-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::create_directories(dir);
    std::ofstream(dir / "config") << config;
    std::ofstream(dir / "credentials") << credentials;
  }
  ~Files() { fs::remove_all(dir); }
  static int& counter() {
    static int n = 0;
    return n;
  }
  // An environment with only these variables, the files named explicitly.
  aws::EnvLookup env(std::map<std::string, std::string> vars) const {
    vars.emplace("AWS_CONFIG_FILE", (dir / "config").string());
    vars.emplace("AWS_SHARED_CREDENTIALS_FILE", (dir / "credentials").string());
    return [vars](const std::string& n) -> std::optional<std::string> {
      auto it = vars.find(n);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
  }
};

const char* kConfig = R"(# shared config
[default]
region = eu-west-1
endpoint_url = http://default-endpoint:1000

[profile dev]
region = eu-central-1
services = local-services
endpoint_url = http://dev-global:2000
s3 =
  addressing_style = virtual

[services local-services]
s3 =
  endpoint_url = http://dev-s3:3000
dynamodb =
  endpoint_url = http://dev-ddb:4000

[profile plain]
region = ap-south-1
aws_access_key_id = CONFIGKEY
aws_secret_access_key = configsecret

[profile ignoring]
region = us-west-2
endpoint_url = http://ignored:1
ignore_configured_endpoint_urls = true
)";

const char* kCredentials = R"([default]
aws_access_key_id = DEFAULTKEY
aws_secret_access_key = defaultsecret

[dev]
aws_access_key_id = DEVKEY
aws_secret_access_key = devsecret
aws_session_token = devtoken
)";

}  // namespace

TEST_CASE("config: the default profile from the files", "[config]") {
  Files f(kConfig, kCredentials);
  auto c = aws::resolve_config("s3", f.env({}));
  CHECK(c.profile == "default");
  CHECK(c.credentials.access_key_id == "DEFAULTKEY");
  CHECK(c.credentials.secret_access_key == "defaultsecret");
  CHECK(c.region == "eu-west-1");
  CHECK(c.endpoint_url == "http://default-endpoint:1000");
}

TEST_CASE("config: environment credentials and region win over the profile", "[config]") {
  Files f(kConfig, kCredentials);
  auto c = aws::resolve_config("dynamodb", f.env({{"AWS_PROFILE", "dev"},
                                                  {"AWS_ACCESS_KEY_ID", "ENVKEY"},
                                                  {"AWS_SECRET_ACCESS_KEY", "envsecret"},
                                                  {"AWS_SESSION_TOKEN", "envtoken"},
                                                  {"AWS_REGION", "sa-east-1"},
                                                  {"AWS_DEFAULT_REGION", "ca-central-1"}}));
  CHECK(c.credentials.access_key_id == "ENVKEY");
  CHECK(c.credentials.session_token == "envtoken");
  CHECK(c.region == "sa-east-1");
  auto d = aws::resolve_config("dynamodb", f.env({{"AWS_DEFAULT_REGION", "ca-central-1"}}));
  CHECK(d.region == "ca-central-1");
}

TEST_CASE("config: a named profile uses [x] in credentials and [profile x] in config", "[config]") {
  Files f(kConfig, kCredentials);
  auto c = aws::resolve_config("s3", f.env({{"AWS_PROFILE", "dev"}}));
  CHECK(c.credentials.access_key_id == "DEVKEY");
  CHECK(c.credentials.session_token == "devtoken");
  CHECK(c.region == "eu-central-1");
  CHECK(c.addressing == aws::AddressingStyle::kVirtual);
  auto p = aws::resolve_config("s3", f.env({{"AWS_PROFILE", "plain"}}));
  CHECK(p.credentials.access_key_id == "CONFIGKEY");  // keys may live in the config file too
  CHECK(p.region == "ap-south-1");
  CHECK(p.endpoint_url.empty());  // no endpoint: real AWS
  CHECK(aws::default_endpoint("s3", p.region) == "https://s3.ap-south-1.amazonaws.com");
}

TEST_CASE("config: endpoint precedence", "[config]") {
  Files f(kConfig, kCredentials);
  // The services section beats the profile's global endpoint_url, per service.
  CHECK(aws::resolve_config("s3", f.env({{"AWS_PROFILE", "dev"}})).endpoint_url == "http://dev-s3:3000");
  CHECK(aws::resolve_config("dynamodb", f.env({{"AWS_PROFILE", "dev"}})).endpoint_url == "http://dev-ddb:4000");
  // AWS_ENDPOINT_URL beats the files.
  auto g = aws::resolve_config("s3", f.env({{"AWS_PROFILE", "dev"}, {"AWS_ENDPOINT_URL", "http://env-global:5000/"}}));
  CHECK(g.endpoint_url == "http://env-global:5000");
  CHECK(g.endpoint_source == "AWS_ENDPOINT_URL");
  // The service-specific variable beats the global one, for its service only.
  auto env = f.env({{"AWS_ENDPOINT_URL", "http://env-global:5000"}, {"AWS_ENDPOINT_URL_S3", "http://env-s3:6000"}});
  CHECK(aws::resolve_config("s3", env).endpoint_url == "http://env-s3:6000");
  CHECK(aws::resolve_config("dynamodb", env).endpoint_url == "http://env-global:5000");
  CHECK(aws::resolve_config("dynamodb", f.env({{"AWS_ENDPOINT_URL_DYNAMODB", "http://env-ddb:7000"}})).endpoint_url ==
        "http://env-ddb:7000");
}

TEST_CASE("config: ignoring configured endpoints", "[config]") {
  Files f(kConfig, kCredentials);
  auto c = aws::resolve_config("s3", f.env({{"AWS_PROFILE", "dev"},
                                           {"AWS_ENDPOINT_URL_S3", "http://env-s3:6000"},
                                           {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}}));
  CHECK(c.endpoint_url.empty());
  CHECK(aws::resolve_config("s3", f.env({{"AWS_PROFILE", "ignoring"}})).endpoint_url.empty());
  // The environment variable overrides the profile setting in both directions.
  CHECK(aws::resolve_config("s3", f.env({{"AWS_PROFILE", "ignoring"}, {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"}}))
            .endpoint_url == "http://ignored:1");
}

TEST_CASE("config: errors the SDKs also raise", "[config]") {
  Files f("", "");
  CHECK_THROWS_AS(aws::resolve_config("s3", f.env({})), aws::ConfigError);  // no region
  CHECK_THROWS_AS(aws::resolve_config("s3", f.env({{"AWS_PROFILE", "missing"}, {"AWS_REGION", "us-east-1"}})),
                  aws::ConfigError);
  // "default" may be named explicitly even when no file has it.
  CHECK_NOTHROW(aws::resolve_config("s3", f.env({{"AWS_PROFILE", "default"}, {"AWS_REGION", "us-east-1"}})));
  auto anon = aws::resolve_config("s3", f.env({{"AWS_REGION", "us-east-1"}}));
  CHECK(anon.credentials.empty());
}

TEST_CASE("config: ini parsing details", "[config]") {
  auto ini = aws::IniFile::parse("[profile   spaced]\n; comment\nREGION = x\nkey=  v  \n[services s]\ns3 =\n\tendpoint_url = http://a\n");
  CHECK(ini.get("profile spaced", "region") == "x");
  CHECK(ini.get("profile spaced", "key") == "v");
  CHECK(ini.get("services s", "s3.endpoint_url") == "http://a");
  CHECK_FALSE(ini.get("services s", "s3").has_value());
}
