// Bucket policies as pure code: validation of the JSON document by S3's rules (s3: actions, the
// bucket's resources, the condition keys of s3/policy_conditions.h); evaluating one request
// against a document is the shared engine's (auth/policy.h). Unit tested in
// tests/unit/s3_acl_test.cc and, as a table of cases, tests/unit/s3_policy_conditions_test.cc.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "auth/policy.h"
#include "s3/policy_conditions.h"

namespace localaws::s3 {

// nullopt when valid, else MalformedPolicy's message. bucket: the policy must name only it.
std::optional<std::string> policy_error(std::string_view text, const std::string& bucket);

using auth::Effect;
using auth::evaluate_policy;
using auth::PolicyCaller;
using auth::PolicyRequest;
using auth::wildcard_match;

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

}  // namespace localaws::s3
