#include "s3/policy.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace localaws::s3 {

using nlohmann::json;

namespace {

// A string or a list of strings as a list; nullopt for anything else.
std::optional<std::vector<std::string>> strings(const json& v) {
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

std::vector<json> statements(const json& doc) {
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
  auto aws = strings(p["AWS"]);
  if (!aws) return false;
  for (auto& a : *aws) {
    if (a == "*") return true;
  }
  return false;
}

// The account id named by an AWS principal entry: "123456789012" or "arn:aws:iam::123456789012:...".
std::string principal_account(const std::string& p) {
  if (starts_with(p, "arn:aws:iam::")) {
    auto rest = p.substr(13);
    return rest.substr(0, rest.find(':'));
  }
  return p;
}

bool principal_matches(const json& p, const PolicyCaller& who) {
  if (all_principals(p)) return true;
  if (who.anonymous || !p.is_object()) return false;
  if (p.contains("AWS")) {
    for (auto& a : strings(p["AWS"]).value_or(std::vector<std::string>{})) {
      if (principal_account(a) == who.account_id) return true;
    }
  }
  if (p.contains("CanonicalUser")) {
    for (auto& a : strings(p["CanonicalUser"]).value_or(std::vector<std::string>{})) {
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
  auto list = strings(st.value(name, json()));
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

// Whether a Resource pattern can name this bucket or its objects: its bucket part matches the
// name as a pattern (arn:aws:s3:::*, arn:aws:s3:::logs-*/...), or holds a policy variable.
bool names_bucket(const std::string& r, const std::string& bucket) {
  if (r == "*") return true;
  const std::string arn = "arn:aws:s3:::";
  if (!starts_with(r, arn)) return wildcard_match(r, arn + bucket, false) || wildcard_match(r, arn + bucket + "/x", false);
  std::string rest = r.substr(arn.size());
  std::string part = rest.substr(0, rest.find('/'));
  if (part.find("${") != std::string::npos) return true;
  // "arn:aws:s3:::b*" without a slash may also cover b's objects.
  return wildcard_match(part, bucket, false) || wildcard_match(rest, bucket + "/", false);
}

std::optional<std::string> statement_error(const json& st, const std::string& bucket) {
  if (!st.is_object()) return "Policy has invalid Json";
  std::string effect = st.value("Effect", "");
  if (effect != "Allow" && effect != "Deny") return "Invalid effect: " + effect;
  if (!st.contains("Principal") && !st.contains("NotPrincipal")) return "Missing required field Principal";
  const json& p = st.contains("Principal") ? st["Principal"] : st["NotPrincipal"];
  if (!(p.is_string() && p.get<std::string>() == "*") && !p.is_object()) return "Invalid principal in policy";
  if (p.is_object()) {
    for (auto& [k, v] : p.items()) {
      if ((k != "AWS" && k != "CanonicalUser" && k != "Service" && k != "Federated") || !strings(v))
        return "Invalid principal in policy";
    }
  }
  const char* af = st.contains("Action") ? "Action" : "NotAction";
  auto actions = strings(st.value(af, json()));
  if (!actions) return "Missing required field Action";
  for (auto& a : *actions) {
    if (a != "*" && !starts_with(a, "s3:") && !starts_with(a, "S3:")) return "Policy has invalid action";
  }
  const char* rf = st.contains("Resource") ? "Resource" : "NotResource";
  auto resources = strings(st.value(rf, json()));
  if (!resources) return "Missing required field Resource";
  // A statement must apply to this bucket (AWS: "Policy has invalid resource"); beside such a
  // resource it may name other buckets (they never match here).
  bool ours = false;
  for (auto& r : *resources) {
    if (r != "*" && !starts_with(r, "arn:aws:s3:::") && !starts_with(r, "arn:aws:s3:*:"))
      return "Policy has invalid resource";
    ours = ours || names_bucket(r, bucket);
  }
  if (!ours) return "Policy has invalid resource";
  if (st.contains("Condition")) {
    if (auto e = condition_error(st["Condition"])) return e;
  }
  return std::nullopt;
}

}  // namespace

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

std::optional<std::string> policy_error(std::string_view text, const std::string& bucket) {
  std::string t = trim(std::string(text));
  if (t.empty() || t[0] != '{') return "Policies must be valid JSON and the first byte must be '{'";
  json doc = json::parse(t, nullptr, false);
  if (!doc.is_object()) return "This policy contains invalid Json";
  if (!doc.contains("Statement")) return "Missing required field Statement";
  auto sts = statements(doc);
  if (sts.empty()) return "Could not parse the policy: Statement is empty!";
  for (auto& st : sts) {
    if (auto e = statement_error(st, bucket)) return e;
  }
  return std::nullopt;
}

Effect evaluate_policy(std::string_view text, const PolicyRequest& req) {
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_object()) return Effect::kNone;
  // Policy variables exist in the 2012-10-17 language only; in older policies ${...} is literal.
  bool variables = doc.value("Version", "") == "2012-10-17";
  Effect out = Effect::kNone;
  for (auto& st : statements(doc)) {
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

}  // namespace localaws::s3
