// "The meaning of public" for bucket policies (s3/policy.h: policy_is_public).
#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "s3/policy.h"

namespace localaws::s3 {

using nlohmann::json;

namespace {

std::vector<std::string> string_values(const json& v) {
  std::vector<std::string> out;
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array()) {
    for (auto& e : v) {
      if (e.is_string()) out.push_back(e.get<std::string>());
    }
  }
  return out;
}

bool has_wildcard(const std::string& v) {
  return v.find('*') != std::string::npos || v.find('?') != std::string::npos || v.find("${") != std::string::npos;
}

// Every principal: "*", {"AWS": "*"} or an AWS principal with a wildcard in it.
bool open_principal(const json& p) {
  if (p.is_string()) return p.get<std::string>() == "*";
  if (!p.is_object()) return true;
  for (auto& [kind, v] : p.items()) {
    for (auto& s : string_values(v)) {
      if (s == "*" || (kind == "AWS" && has_wildcard(s))) return true;
    }
  }
  return false;
}

// A CIDR narrow enough to count as fixed: IPv4 /8 or longer, IPv6 /32 or longer (a bare address
// is a single host). 0.0.0.0/0 or 0.0.0.0/1 leave the policy public.
bool narrow_cidr(const std::string& v) {
  if (has_wildcard(v)) return false;
  bool v6 = v.find(':') != std::string::npos;
  auto slash = v.find('/');
  if (slash == std::string::npos) return true;
  auto len = parse_u64(v.substr(slash + 1));
  if (!len) return false;
  return *len >= (v6 ? 32u : 8u);
}

bool fixed_key(const std::string& key) {
  static const char* kKeys[] = {"aws:sourcearn",        "aws:sourcevpc",         "aws:sourcevpce",
                                "aws:sourceowner",      "aws:sourceaccount",     "aws:userid",
                                "aws:principalaccount", "aws:principalarn",      "aws:principalorgid",
                                "s3:dataaccesspointarn", "s3:dataaccesspointaccount",
                                "s3:x-amz-server-side-encryption-aws-kms-key-id"};
  std::string k = to_lower(key);
  for (auto* x : kKeys) {
    if (k == x) return true;
  }
  return false;
}

// Whether one operator block limits the statement to fixed values of a key that makes it
// non-public.
bool limits(std::string op, const json& block) {
  if (!block.is_object()) return false;
  if (starts_with(op, "ForAllValues:")) return false;  // holds for a request without the key
  if (starts_with(op, "ForAnyValue:")) op = op.substr(12);
  if (op.size() > 8 && op.compare(op.size() - 8, 8, "IfExists") == 0) return false;
  bool ip = op == "IpAddress";
  bool str = op == "StringEquals" || op == "StringEqualsIgnoreCase" || op == "StringLike" || op == "ArnEquals" ||
             op == "ArnLike";
  if (!ip && !str) return false;
  for (auto& [key, v] : block.items()) {
    auto values = string_values(v);
    if (values.empty()) continue;
    bool all_fixed = true;
    for (auto& x : values) all_fixed = all_fixed && (ip ? narrow_cidr(x) : !has_wildcard(x));
    if (!all_fixed) continue;
    if (ip ? to_lower(key) == "aws:sourceip" : fixed_key(key)) return true;
  }
  return false;
}

bool statement_public(const json& st) {
  if (!st.is_object() || st.value("Effect", "") != "Allow") return false;
  if (st.contains("NotPrincipal")) return true;  // everyone but the principals named
  if (!open_principal(st.value("Principal", json()))) return false;
  auto cond = st.find("Condition");
  if (cond == st.end() || !cond->is_object()) return true;
  for (auto& [op, block] : cond->items()) {
    if (limits(op, block)) return false;
  }
  return true;
}

}  // namespace

bool policy_is_public(std::string_view text) {
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_object()) return false;
  auto it = doc.find("Statement");
  if (it == doc.end()) return false;
  if (it->is_object()) return statement_public(*it);
  if (it->is_array()) {
    for (auto& s : *it) {
      if (statement_public(s)) return true;
    }
  }
  return false;
}

}  // namespace localaws::s3
