#include <catch2/catch.hpp>

#include <string>

#include "s3/policy.h"

using namespace localaws::s3;

namespace {
// One Allow statement on GetObject with the given principal and condition JSON ("" = none).
std::string policy(const std::string& principal, const std::string& condition) {
  std::string st = R"({"Effect":"Allow","Principal":)" + principal +
                   R"(,"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*")";
  if (!condition.empty()) st += R"(,"Condition":)" + condition;
  return R"({"Version":"2012-10-17","Statement":[)" + st + "}]}";
}
}  // namespace

TEST_CASE("s3 public policy: the principal decides without conditions") {
  CHECK(policy_is_public(policy(R"("*")", "")));
  CHECK(policy_is_public(policy(R"({"AWS":"*"})", "")));
  CHECK(policy_is_public(policy(R"({"AWS":"arn:aws:iam::*:root"})", "")));
  CHECK_FALSE(policy_is_public(policy(R"({"AWS":"111122223333"})", "")));
  CHECK_FALSE(policy_is_public(policy(R"({"AWS":["arn:aws:iam::111122223333:root"]})", "")));
  CHECK_FALSE(policy_is_public(policy(R"({"Service":"logging.s3.amazonaws.com"})", "")));
  // NotPrincipal with Allow grants everyone else.
  CHECK(policy_is_public(
      R"({"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}]})"));
  // Deny statements never make a policy public.
  CHECK_FALSE(policy_is_public(
      R"({"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]})"));
  CHECK_FALSE(policy_is_public("not json"));
}

TEST_CASE("s3 public policy: conditions with fixed values make it non-public") {
  struct Case {
    const char* condition;
    bool is_public;
  };
  const Case cases[] = {
      {R"({"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}})", false},
      {R"({"IpAddress":{"aws:SourceIp":["192.0.2.0/24","198.51.100.7"]}})", false},
      {R"({"IpAddress":{"aws:SourceIp":"2001:db8::/32"}})", false},
      {R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}})", true},
      {R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}})", true},
      {R"({"IpAddress":{"aws:SourceIp":"::/0"}})", true},
      {R"({"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}})", true},
      {R"({"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}})", true},
      {R"({"StringEquals":{"aws:SourceVpc":"vpc-1a2b3c4d"}})", false},
      {R"({"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}})", false},
      {R"({"StringEquals":{"aws:SourceAccount":"111122223333"}})", false},
      {R"({"StringEquals":{"aws:SourceOwner":"111122223333"}})", false},
      {R"({"ArnEquals":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/E1"}})", false},
      {R"({"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/*"}})", true},
      {R"({"StringLike":{"aws:SourceVpc":"vpc-*"}})", true},
      {R"({"StringEquals":{"aws:PrincipalAccount":"111122223333"}})", false},
      {R"({"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}})", false},
      {R"({"StringEquals":{"aws:userid":"AROAEXAMPLE:alice"}})", false},
      {R"({"StringLike":{"aws:userid":"AROAEXAMPLE:*"}})", true},
      {R"({"StringEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"arn:aws:kms:us-east-1:1:key/k"}})", false},
      {R"({"StringNotEquals":{"aws:SourceVpc":"vpc-1a2b3c4d"}})", true},
      {R"({"StringEqualsIfExists":{"aws:SourceVpc":"vpc-1a2b3c4d"}})", true},
      {R"({"ForAllValues:StringEquals":{"aws:SourceVpc":["vpc-1"]}})", true},
      {R"({"ForAnyValue:StringEquals":{"aws:SourceVpc":["vpc-1"]}})", false},
      {R"({"StringEquals":{"aws:SourceVpc":"${aws:username}"}})", true},
      // Keys that do not say who the caller is leave the policy public.
      {R"({"StringEquals":{"s3:x-amz-acl":"private"}})", true},
      {R"({"Bool":{"aws:SecureTransport":"true"}})", true},
      {R"({"StringLike":{"aws:Referer":"https://example.com/*"}})", true},
      // One limiting block is enough (blocks AND together).
      {R"({"Bool":{"aws:SecureTransport":"true"},"IpAddress":{"aws:SourceIp":"10.1.0.0/16"}})", false},
  };
  for (auto& k : cases) {
    INFO(k.condition);
    CHECK(policy_is_public(policy(R"("*")", k.condition)) == k.is_public);
  }
}
