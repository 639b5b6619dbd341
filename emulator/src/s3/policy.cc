#include "s3/policy.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace localaws::s3 {

using nlohmann::json;
using auth::policy_statements;
using auth::policy_strings;

namespace {

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
      if ((k != "AWS" && k != "CanonicalUser" && k != "Service" && k != "Federated") || !policy_strings(v))
        return "Invalid principal in policy";
    }
  }
  const char* af = st.contains("Action") ? "Action" : "NotAction";
  auto actions = policy_strings(st.value(af, json()));
  if (!actions) return "Missing required field Action";
  for (auto& a : *actions) {
    if (a != "*" && !starts_with(a, "s3:") && !starts_with(a, "S3:")) return "Policy has invalid action";
  }
  const char* rf = st.contains("Resource") ? "Resource" : "NotResource";
  auto resources = policy_strings(st.value(rf, json()));
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

std::optional<std::string> policy_error(std::string_view text, const std::string& bucket) {
  std::string t = trim(std::string(text));
  if (t.empty() || t[0] != '{') return "Policies must be valid JSON and the first byte must be '{'";
  json doc = json::parse(t, nullptr, false);
  if (!doc.is_object()) return "This policy contains invalid Json";
  if (!doc.contains("Statement")) return "Missing required field Statement";
  auto sts = policy_statements(doc);
  if (sts.empty()) return "Could not parse the policy: Statement is empty!";
  for (auto& st : sts) {
    if (auto e = statement_error(st, bucket)) return e;
  }
  return std::nullopt;
}

}  // namespace localaws::s3
