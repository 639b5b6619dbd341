// Resource-based policy documents (dynamodb/resource_policy.h): ARN forms, the canonical form
// GetResourcePolicy returns, and the shared engine deciding a cross-account request on it.
#include <catch2/catch.hpp>

#include "auth/policy.h"
#include "dynamodb/resource_policy.h"

using namespace localaws;
using ddb::canonical_policy;
using ddb::DdbError;
using ddb::parse_ddb_arn;

namespace {
const std::string kTable = "arn:aws:dynamodb:us-east-1:000000000000:table/t";
}

TEST_CASE("ddb resource policy: ARN forms") {
  auto t = parse_ddb_arn(kTable);
  REQUIRE(t);
  CHECK((t->region == "us-east-1" && t->account == "000000000000" && t->table == "t" && !t->is_stream()));
  auto s = parse_ddb_arn(kTable + "/stream/2024-02-12T18:57:26.492");
  REQUIRE(s);
  CHECK(s->stream_label == "2024-02-12T18:57:26.492");
  CHECK(s->table_arn() == kTable);
  CHECK(parse_ddb_arn(kTable + "/index/by_g")->index == "by_g");
  CHECK_FALSE(parse_ddb_arn(kTable + "/backup/01234567890123-abcdef01"));
  CHECK_FALSE(parse_ddb_arn("arn:aws-cn:dynamodb:us-east-1:000000000000:table/t"));
  CHECK_FALSE(parse_ddb_arn("arn:aws:dynamodb:us-east-1:12:table/t"));
  CHECK_FALSE(parse_ddb_arn("t"));
}

TEST_CASE("ddb resource policy: canonical form") {
  auto target = *parse_ddb_arn(kTable);
  std::string in = R"({ "Statement": { "Resource": [")" + kTable + R"("], "Action": ["dynamodb:GetItem"],
      "Principal": {"AWS": ["111111111111", "arn:aws:iam::111111111111:root"]}, "Effect": "allow", "Sid": "s" },
      "Version": "2012-10-17" })";
  std::string out = canonical_policy(in, target);
  CHECK(out == R"({"Version":"2012-10-17","Statement":[{"Sid":"s","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"dynamodb:GetItem","Resource":")" +
                   kTable + R"("}]})");
  CHECK(canonical_policy(out, target) == out);  // a fixpoint
  CHECK(ddb::policy_for_reading(R"({"Statement":[]})") == R"({"Version":"2008-10-17","Statement":[]})");
  CHECK_THROWS_AS(canonical_policy(R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"1"},"Action":"dynamodb:GetItem","Resource":"*"}]})", target),
                  DdbError);
}

TEST_CASE("ddb resource policy: decisions") {
  auto target = *parse_ddb_arn(kTable);
  std::string p = canonical_policy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"dynamodb:*","Resource":[")" +
          kTable + R"(",")" + kTable + R"(/index/*"],"Condition":{"StringEquals":{"aws:PrincipalAccount":"111111111111"}}}]})",
      target);
  auth::PolicyRequest req{{false, "111111111111", ""}, "dynamodb:Query", kTable + "/index/g", {}};
  req.keys.set("aws:PrincipalAccount", "111111111111");
  CHECK(auth::evaluate_policy(p, req) == auth::Effect::kAllow);
  req.keys.set("aws:PrincipalAccount", "222222222222");
  CHECK(auth::evaluate_policy(p, req) == auth::Effect::kNone);
}
