#include "aws/config.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace aws {

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool truthy(const std::optional<std::string>& v) { return v && lower(trim(*v)) == "true"; }

}  // namespace

IniFile IniFile::parse(const std::string& text) {
  IniFile ini;
  std::istringstream in(text);
  std::string line, section, parent;  // parent: the key of an open nested block ("s3")
  bool have_section = false;
  while (std::getline(in, line)) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      // "[profile  dev]" and "[services  local]": keep one space between the words.
      std::istringstream words(t.substr(1, t.size() - 2));
      std::string w, name;
      while (words >> w) name += (name.empty() ? "" : " ") + w;
      section = name;
      have_section = true;
      parent.clear();
      ini.sections[section];
      continue;
    }
    size_t eq = t.find('=');
    if (!have_section || eq == std::string::npos) continue;
    std::string key = lower(trim(t.substr(0, eq)));
    std::string value = trim(t.substr(eq + 1));
    bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (indented && !parent.empty()) {
      ini.sections[section][parent + "." + key] = value;
      continue;
    }
    parent = value.empty() ? key : "";
    if (!value.empty()) ini.sections[section][key] = value;
  }
  return ini;
}

IniFile IniFile::load(const std::string& path) {
  std::ifstream f(path);
  if (!f) return {};
  std::stringstream ss;
  ss << f.rdbuf();
  return parse(ss.str());
}

std::optional<std::string> IniFile::get(const std::string& section, const std::string& key) const {
  auto s = sections.find(section);
  if (s == sections.end()) return std::nullopt;
  auto k = s->second.find(key);
  if (k == s->second.end()) return std::nullopt;
  return k->second;
}

std::string default_endpoint(const std::string& service, const std::string& region) {
  std::string suffix = region.rfind("cn-", 0) == 0 ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://" + service + "." + region + suffix;
}

ServiceConfig resolve_config(const std::string& service, const EnvLookup& env) {
  auto nonempty = [&](const std::string& name) -> std::optional<std::string> {
    auto v = env(name);
    if (v && !trim(*v).empty()) return trim(*v);
    return std::nullopt;
  };
  std::string home = nonempty("HOME").value_or("");
  IniFile config = IniFile::load(nonempty("AWS_CONFIG_FILE").value_or(home + "/.aws/config"));
  IniFile creds_file = IniFile::load(nonempty("AWS_SHARED_CREDENTIALS_FILE").value_or(home + "/.aws/credentials"));

  ServiceConfig c;
  c.service = service;
  auto explicit_profile = nonempty("AWS_PROFILE");
  if (!explicit_profile) explicit_profile = nonempty("AWS_DEFAULT_PROFILE");
  c.profile = explicit_profile.value_or("default");
  // The config file names profiles "[profile x]", except "[default]" (which may also be written
  // "[profile default]"); the credentials file names them "[x]".
  std::string config_section = "profile " + c.profile;
  if (c.profile == "default" && !config.sections.count(config_section)) config_section = "default";
  if (explicit_profile && c.profile != "default" && !config.sections.count(config_section) &&
      !creds_file.sections.count(c.profile))
    throw ConfigError("The config profile (" + c.profile + ") could not be found");
  auto profile_get = [&](const std::string& key) { return config.get(config_section, key); };

  // Credentials: environment, then credentials file, then config file.
  auto ak = nonempty("AWS_ACCESS_KEY_ID"), sk = nonempty("AWS_SECRET_ACCESS_KEY");
  if (ak && sk) {
    c.credentials = {*ak, *sk, nonempty("AWS_SESSION_TOKEN").value_or("")};
  } else {
    for (auto [ini, section] : {std::pair{&creds_file, c.profile}, std::pair{&config, config_section}}) {
      auto fak = ini->get(section, "aws_access_key_id"), fsk = ini->get(section, "aws_secret_access_key");
      if (fak && fsk) {
        c.credentials = {*fak, *fsk, ini->get(section, "aws_session_token").value_or("")};
        break;
      }
    }
  }

  auto region = nonempty("AWS_REGION");
  if (!region) region = nonempty("AWS_DEFAULT_REGION");
  if (!region) region = profile_get("region");
  if (!region || region->empty())
    throw ConfigError("No region: set AWS_REGION (or AWS_DEFAULT_REGION, or region in profile " + c.profile + ")");
  c.region = *region;

  std::string upper = service;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char ch) { return std::toupper(ch); });
  bool ignore = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
                    ? truthy(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
                    : truthy(profile_get("ignore_configured_endpoint_urls"));
  if (!ignore) {
    std::optional<std::string> services = profile_get("services");
    std::vector<std::pair<std::string, std::optional<std::string>>> sources = {
        {"AWS_ENDPOINT_URL_" + upper, nonempty("AWS_ENDPOINT_URL_" + upper)},
        {"AWS_ENDPOINT_URL", nonempty("AWS_ENDPOINT_URL")},
        {"[services " + services.value_or("") + "] " + service,
         services ? config.get("services " + *services, service + ".endpoint_url") : std::nullopt},
        {"profile " + c.profile + " endpoint_url", profile_get("endpoint_url")},
    };
    for (auto& [source, value] : sources) {
      if (value && !value->empty()) {
        c.endpoint_url = *value;
        c.endpoint_source = source;
        break;
      }
    }
  }
  while (!c.endpoint_url.empty() && c.endpoint_url.back() == '/') c.endpoint_url.pop_back();

  if (auto style = profile_get(service + ".addressing_style")) {
    if (*style == "path") c.addressing = AddressingStyle::kPath;
    else if (*style == "virtual") c.addressing = AddressingStyle::kVirtual;
  }
  if (auto ca = nonempty("AWS_CA_BUNDLE")) c.ca_file = *ca;
  else if (auto pca = profile_get("ca_bundle")) c.ca_file = *pca;
  return c;
}

}  // namespace aws
