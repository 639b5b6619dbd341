// Bucket policies as pure code: validation of the JSON document and evaluation of one request
// (principal, action, resource, condition keys) against it. Unit tested in
// tests/unit/s3_acl_test.cc and, as a table of cases, tests/unit/s3_policy_conditions_test.cc.
// Supported: Effect Allow/Deny; Principal/NotPrincipal "*", {"AWS": "*" | account id |
// arn:aws:iam::<id>:...}, {"CanonicalUser": id}; Action/NotAction with * and ? wildcards;
// Resource/NotResource ARNs with wildcards and policy variables (Version 2012-10-17); Condition
// with every operator and the keys of s3/policy_conditions.h.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "s3/policy_conditions.h"

namespace localaws::s3 {

// nullopt when valid, else MalformedPolicy's message. bucket: the policy must name only it.
std::optional<std::string> policy_error(std::string_view text, const std::string& bucket);

enum class Effect { kNone, kAllow, kDeny };

struct PolicyCaller {
  bool anonymous = true;
  std::string account_id;
  std::string canonical_id;
};

// One request as a policy sees it.
struct PolicyRequest {
  PolicyCaller who;
  std::string action;    // s3:GetObject
  std::string resource;  // arn:aws:s3:::bucket or arn:aws:s3:::bucket/key
  PolicyContext keys;    // condition keys (aws:SourceIp, s3:prefix ...)
};

// The combined effect of the statements that match: any matching Deny wins, then any Allow.
Effect evaluate_policy(std::string_view text, const PolicyRequest& req);
// The same for a request without condition keys.
Effect evaluate_policy(std::string_view text, const PolicyCaller& who, std::string_view action,
                       std::string_view resource);

// Whether a policy is public as S3 decides it (GetBucketPolicyStatus, BlockPublicPolicy,
// RestrictPublicBuckets): an Allow statement is public unless it names fixed principals or a
// Condition limits it to fixed values of aws:SourceIp (narrow CIDRs), aws:SourceArn, SourceVpc,
// SourceVpce, SourceOwner, SourceAccount, aws:userid, aws:PrincipalAccount / PrincipalArn /
// PrincipalOrgID, s3:DataAccessPointArn / DataAccessPointAccount or
// s3:x-amz-server-side-encryption-aws-kms-key-id (values without wildcards or policy variables,
// under an operator that must match: ...Equals, ...Like, IpAddress; not Not..., ...IfExists or
// ForAllValues:). In policy_public.cc, unit tested in tests/unit/s3_public_test.cc.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
bool policy_is_public(std::string_view text);

// Glob match with '*' (any run) and '?' (one character); case-insensitive when asked.
bool wildcard_match(std::string_view pattern, std::string_view s, bool ignore_case);

}  // namespace localaws::s3
