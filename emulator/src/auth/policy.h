// IAM-style policy documents as pure code, shared by S3 bucket policies (s3/policy.h) and DynamoDB
// resource-based policies (dynamodb/resource_policy.h): reading a document's statements and
// evaluating one request (principal, action, resource, condition keys) against it. Each service
// validates documents by its own rules with the helpers below.
// Supported: Effect Allow/Deny; Principal/NotPrincipal "*", {"AWS": "*" | account id |
// arn:aws:iam::<id>:...}, {"CanonicalUser": id}; Action/NotAction with * and ? wildcards;
// Resource/NotResource ARNs with wildcards and policy variables (Version 2012-10-17); Condition
// with every operator (auth/policy_conditions.h). Every localaws identity is an account's root
// user, so an IAM ARN principal matches every caller of its account.
// Unit tested in tests/unit/s3_acl_test.cc and tests/unit/s3_policy_conditions_test.cc.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/policy_conditions.h"

namespace localaws::auth {

enum class Effect { kNone, kAllow, kDeny };

struct PolicyCaller {
  bool anonymous = true;
  std::string account_id;
  std::string canonical_id;
};

// One request as a policy sees it.
struct PolicyRequest {
  PolicyCaller who;
  std::string action;    // s3:GetObject, dynamodb:GetItem
  std::string resource;  // arn:aws:s3:::bucket/key, arn:aws:dynamodb:us-east-1:000000000000:table/t
  PolicyContext keys;    // condition keys (aws:SourceIp, s3:prefix ...)
};

// The combined effect of the statements that match: any matching Deny wins, then any Allow.
Effect evaluate_policy(std::string_view text, const PolicyRequest& req);
// The same for a request without condition keys.
Effect evaluate_policy(std::string_view text, const PolicyCaller& who, std::string_view action,
                       std::string_view resource);

// Glob match with '*' (any run) and '?' (one character); case-insensitive when asked.
bool wildcard_match(std::string_view pattern, std::string_view s, bool ignore_case);

// ---- helpers for validation ------------------------------------------------------------------

// A string or a non-empty list of strings as a list; nullopt for anything else.
std::optional<std::vector<std::string>> policy_strings(const nlohmann::json& v);
// The document's statements: its Statement object, or the members of its Statement list.
std::vector<nlohmann::json> policy_statements(const nlohmann::json& doc);
// Whether a Principal element names everyone ("*" or {"AWS": "*"} or a list holding "*").
bool all_principals(const nlohmann::json& principal);
// The account id named by an AWS principal entry: "123456789012" or "arn:aws:iam::123456789012:...".
std::string principal_account(const std::string& principal);

}  // namespace localaws::auth
