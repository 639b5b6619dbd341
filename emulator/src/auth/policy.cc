#include "auth/policy.h"

#include <cctype>

#include "common/strings.h"

namespace localaws::auth {

using nlohmann::json;

namespace {

bool principal_matches(const json& p, const PolicyCaller& who) {
  if (all_principals(p)) return true;
  if (who.anonymous || !p.is_object()) return false;
  if (p.contains("AWS")) {
    for (auto& a : policy_strings(p["AWS"]).value_or(std::vector<std::string>{})) {
      if (principal_account(a) == who.account_id) return true;
    }
  }
  if (p.contains("CanonicalUser")) {
    for (auto& a : policy_strings(p["CanonicalUser"]).value_or(std::vector<std::string>{})) {
      if (a == who.canonical_id) return true;
    }
  }
  return false;
}

// Action/NotAction, Resource/NotResource. ctx (resources of 2012-10-17 policies): patterns hold
// policy variables; one whose variable is absent matches nothing.
bool any_match(const json& st, const char* field, const char* not_field, std::string_view value, bool ignore_case,
               const PolicyContext* ctx = nullptr) {
  const char* name = st.contains(field) ? field : not_field;
  auto list = policy_strings(st.value(name, json()));
  if (!list) return false;
  bool hit = false;
  for (auto& p : *list) {
    if (ctx && p.find("${") != std::string::npos) {
      auto s = substitute_variables(p, *ctx);
      hit = hit || (s && wildcard_match(*s, value, ignore_case));
    } else {
      hit = hit || wildcard_match(p, value, ignore_case);
    }
  }
  return name == field ? hit : !hit;
}

}  // namespace

std::optional<std::vector<std::string>> policy_strings(const json& v) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
  } else if (v.is_array() && !v.empty()) {
    for (auto& e : v) {
      if (!e.is_string()) return std::nullopt;
      out.push_back(e.get<std::string>());
    }
  } else {
    return std::nullopt;
  }
  return out;
}

std::vector<json> policy_statements(const json& doc) {
  std::vector<json> out;
  auto it = doc.find("Statement");
  if (it == doc.end()) return out;
  if (it->is_object()) out.push_back(*it);
  if (it->is_array()) {
    for (auto& s : *it) out.push_back(s);
  }
  return out;
}

bool all_principals(const json& p) {
  if (p.is_string()) return p.get<std::string>() == "*";
  if (!p.is_object() || !p.contains("AWS")) return false;
  auto aws = policy_strings(p["AWS"]);
  if (!aws) return false;
  for (auto& a : *aws) {
    if (a == "*") return true;
  }
  return false;
}

std::string principal_account(const std::string& p) {
  if (starts_with(p, "arn:aws:iam::")) {
    auto rest = p.substr(13);
    return rest.substr(0, rest.find(':'));
  }
  return p;
}

bool wildcard_match(std::string_view pat, std::string_view s, bool ignore_case) {
  auto eq = [&](char a, char b) {
    return ignore_case ? std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b))
                       : a == b;
  };
  size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  while (i < s.size()) {
    if (p < pat.size() && (pat[p] == '?' || (pat[p] != '*' && eq(pat[p], s[i])))) {
      ++p, ++i;
    } else if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

Effect evaluate_policy(std::string_view text, const PolicyRequest& req) {
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_object()) return Effect::kNone;
  // Policy variables exist in the 2012-10-17 language only; in older policies ${...} is literal.
  bool variables = doc.value("Version", "") == "2012-10-17";
  Effect out = Effect::kNone;
  for (auto& st : policy_statements(doc)) {
    if (!st.is_object()) continue;
    bool principal = st.contains("Principal") ? principal_matches(st["Principal"], req.who)
                                              : !principal_matches(st.value("NotPrincipal", json()), req.who);
    if (!principal || !any_match(st, "Action", "NotAction", req.action, true) ||
        !any_match(st, "Resource", "NotResource", req.resource, false, variables ? &req.keys : nullptr))
      continue;
    if (st.contains("Condition") && !conditions_hold(st["Condition"], req.keys, variables)) continue;
    if (st.value("Effect", "") == "Deny") return Effect::kDeny;
    out = Effect::kAllow;
  }
  return out;
}

Effect evaluate_policy(std::string_view text, const PolicyCaller& who, std::string_view action,
                       std::string_view resource) {
  return evaluate_policy(text, PolicyRequest{who, std::string(action), std::string(resource), {}});
}

}  // namespace localaws::auth
