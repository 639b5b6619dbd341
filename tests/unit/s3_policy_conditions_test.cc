// Bucket-policy conditions as data: each case is a statement, a request context and the decision
// AWS's documented rules give (s3/policy_conditions.h, s3/policy.h).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "s3/policy.h"

using namespace localaws::s3;

namespace {

using Keys = std::vector<std::pair<std::string, std::vector<std::string>>>;

PolicyContext context(const Keys& keys) {
  PolicyContext c;
  for (auto& [k, vs] : keys) c.set_list(k, vs);
  return c;
}

// An Allow of s3:* on b's objects to everyone, under `condition` (a JSON object).
std::string allow_when(const std::string& condition) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*",)"
         R"("Resource":"arn:aws:s3:::b/*","Condition":)" +
         condition + "}]}";
}

struct ConditionCase {
  const char* name;
  const char* condition;
  Keys keys;
  bool allowed;
};

const ConditionCase kConditionCases[] = {
    // String operators
    {"StringEquals hit", R"({"StringEquals":{"s3:x-amz-acl":"private"}})", {{"s3:x-amz-acl", {"private"}}}, true},
    {"StringEquals is case-sensitive", R"({"StringEquals":{"s3:x-amz-acl":"Private"}})", {{"s3:x-amz-acl", {"private"}}}, false},
    {"StringEquals any of the values", R"({"StringEquals":{"s3:x-amz-acl":["public-read","private"]}})", {{"s3:x-amz-acl", {"private"}}}, true},
    {"StringEquals missing key", R"({"StringEquals":{"s3:x-amz-acl":"private"}})", {}, false},
    {"StringEquals key names are case-insensitive", R"({"StringEquals":{"S3:X-Amz-Acl":"private"}})", {{"s3:x-amz-acl", {"private"}}}, true},
    {"StringNotEquals other value", R"({"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}})", {{"s3:x-amz-server-side-encryption", {"aws:kms"}}}, true},
    {"StringNotEquals same value", R"({"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}})", {{"s3:x-amz-server-side-encryption", {"AES256"}}}, false},
    {"StringNotEquals missing key holds", R"({"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}})", {}, true},
    {"StringEqualsIgnoreCase", R"({"StringEqualsIgnoreCase":{"aws:UserAgent":"MYAGENT"}})", {{"aws:UserAgent", {"myagent"}}}, true},
    {"StringNotEqualsIgnoreCase", R"({"StringNotEqualsIgnoreCase":{"aws:UserAgent":"MYAGENT"}})", {{"aws:UserAgent", {"myagent"}}}, false},
    {"StringLike star", R"({"StringLike":{"s3:prefix":"home/*"}})", {{"s3:prefix", {"home/alice/"}}}, true},
    {"StringLike question mark", R"({"StringLike":{"s3:prefix":"h?me"}})", {{"s3:prefix", {"home"}}}, true},
    {"StringLike miss", R"({"StringLike":{"s3:prefix":"home/*"}})", {{"s3:prefix", {"work/"}}}, false},
    {"StringLike is case-sensitive", R"({"StringLike":{"s3:prefix":"Home/*"}})", {{"s3:prefix", {"home/a"}}}, false},
    {"StringNotLike", R"({"StringNotLike":{"aws:Referer":"http://www.example.com/*"}})", {{"aws:Referer", {"http://evil.example/"}}}, true},
    {"StringNotLike matching referer", R"({"StringNotLike":{"aws:Referer":"http://www.example.com/*"}})", {{"aws:Referer", {"http://www.example.com/page"}}}, false},
    {"StringLikeIfExists missing key", R"({"StringLikeIfExists":{"aws:Referer":"http://x/*"}})", {}, true},
    {"StringLikeIfExists present and wrong", R"({"StringLikeIfExists":{"aws:Referer":"http://x/*"}})", {{"aws:Referer", {"http://y/"}}}, false},
    // Numeric
    {"NumericLessThanEquals", R"({"NumericLessThanEquals":{"s3:max-keys":"10"}})", {{"s3:max-keys", {"10"}}}, true},
    {"NumericLessThan", R"({"NumericLessThan":{"s3:max-keys":"10"}})", {{"s3:max-keys", {"10"}}}, false},
    {"NumericGreaterThan", R"({"NumericGreaterThan":{"s3:max-keys":5}})", {{"s3:max-keys", {"6"}}}, true},
    {"NumericGreaterThanEquals", R"({"NumericGreaterThanEquals":{"s3:max-keys":"5"}})", {{"s3:max-keys", {"4"}}}, false},
    {"NumericEquals", R"({"NumericEquals":{"s3:max-keys":"5"}})", {{"s3:max-keys", {"5.0"}}}, true},
    {"NumericNotEquals", R"({"NumericNotEquals":{"s3:max-keys":"5"}})", {{"s3:max-keys", {"7"}}}, true},
    {"Numeric of a non-number", R"({"NumericEquals":{"s3:max-keys":"5"}})", {{"s3:max-keys", {"five"}}}, false},
    {"NumericLessThan signatureAge", R"({"NumericLessThan":{"s3:signatureAge":"600000"}})", {{"s3:signatureAge", {"1000"}}}, true},
    // Date
    {"DateLessThan ISO", R"({"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}})", {{"aws:CurrentTime", {"2026-12-03T14:00:00.000Z"}}}, true},
    {"DateGreaterThan ISO", R"({"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}})", {{"aws:CurrentTime", {"2026-12-03T14:00:00.000Z"}}}, false},
    {"DateGreaterThanEquals date only", R"({"DateGreaterThanEquals":{"aws:CurrentTime":"2026-12-03"}})", {{"aws:CurrentTime", {"2026-12-03T00:00:00.000Z"}}}, true},
    {"DateLessThan epoch", R"({"DateLessThan":{"aws:EpochTime":"1800000000"}})", {{"aws:EpochTime", {"1799999999"}}}, true},
    {"DateEquals with an offset", R"({"DateEquals":{"aws:CurrentTime":"2026-12-03T15:00:00+01:00"}})", {{"aws:CurrentTime", {"2026-12-03T14:00:00Z"}}}, true},
    {"DateNotEquals", R"({"DateNotEquals":{"aws:CurrentTime":"2026-12-03T14:00:00Z"}})", {{"aws:CurrentTime", {"2026-12-03T14:00:00Z"}}}, false},
    {"DateLessThanEquals", R"({"DateLessThanEquals":{"s3:object-lock-retain-until-date":"2030-01-01T00:00:00Z"}})", {{"s3:object-lock-retain-until-date", {"2030-01-01T00:00:00Z"}}}, true},
    // Bool
    {"Bool false SecureTransport", R"({"Bool":{"aws:SecureTransport":"false"}})", {{"aws:SecureTransport", {"false"}}}, true},
    {"Bool true SecureTransport over HTTP", R"({"Bool":{"aws:SecureTransport":"true"}})", {{"aws:SecureTransport", {"false"}}}, false},
    {"Bool JSON boolean", R"({"Bool":{"aws:SecureTransport":false}})", {{"aws:SecureTransport", {"false"}}}, true},
    {"BoolIfExists missing", R"({"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}})", {}, true},
    {"Bool missing", R"({"Bool":{"aws:MultiFactorAuthPresent":"false"}})", {}, false},
    // Binary
    {"BinaryEquals", R"({"BinaryEquals":{"s3:x-amz-content-sha256":"VU5TSUdORUQtUEFZTE9BRA=="}})", {{"s3:x-amz-content-sha256", {"UNSIGNED-PAYLOAD"}}}, true},
    {"BinaryEquals miss", R"({"BinaryEquals":{"s3:x-amz-content-sha256":"VU5TSUdORUQtUEFZTE9BRA=="}})", {{"s3:x-amz-content-sha256", {"other"}}}, false},
    // IP
    {"IpAddress single address", R"({"IpAddress":{"aws:SourceIp":"127.0.0.1"}})", {{"aws:SourceIp", {"127.0.0.1"}}}, true},
    {"IpAddress CIDR", R"({"IpAddress":{"aws:SourceIp":["10.0.0.0/8","127.0.0.0/24"]}})", {{"aws:SourceIp", {"127.0.0.9"}}}, true},
    {"IpAddress outside", R"({"IpAddress":{"aws:SourceIp":"192.168.0.0/16"}})", {{"aws:SourceIp", {"127.0.0.1"}}}, false},
    {"IpAddress odd prefix", R"({"IpAddress":{"aws:SourceIp":"10.0.0.0/9"}})", {{"aws:SourceIp", {"10.128.0.1"}}}, false},
    {"IpAddress IPv6", R"({"IpAddress":{"aws:SourceIp":"2001:db8::/32"}})", {{"aws:SourceIp", {"2001:db8::1"}}}, true},
    {"IpAddress IPv6 against IPv4 block", R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}})", {{"aws:SourceIp", {"::1"}}}, false},
    {"NotIpAddress", R"({"NotIpAddress":{"aws:SourceIp":"192.168.0.0/16"}})", {{"aws:SourceIp", {"127.0.0.1"}}}, true},
    {"NotIpAddress inside", R"({"NotIpAddress":{"aws:SourceIp":"127.0.0.0/8"}})", {{"aws:SourceIp", {"127.0.0.1"}}}, false},
    // ARN
    {"ArnLike", R"({"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}})", {{"aws:PrincipalArn", {"arn:aws:iam::111122223333:root"}}}, true},
    {"ArnEquals with wildcard per part", R"({"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::1111?2223333:*"}})", {{"aws:PrincipalArn", {"arn:aws:iam::111122223333:root"}}}, true},
    {"ArnLike part boundaries", R"({"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333"}})", {{"aws:PrincipalArn", {"arn:aws:iam::111122223333:root"}}}, false},
    {"ArnNotLike", R"({"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::444455556666:*"}})", {{"aws:PrincipalArn", {"arn:aws:iam::111122223333:root"}}}, true},
    {"ArnNotEquals missing key", R"({"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::444455556666:root"}})", {}, true},
    // Null
    {"Null true, key absent", R"({"Null":{"s3:x-amz-server-side-encryption":"true"}})", {}, true},
    {"Null true, key present", R"({"Null":{"s3:x-amz-server-side-encryption":"true"}})", {{"s3:x-amz-server-side-encryption", {"AES256"}}}, false},
    {"Null false, key present", R"({"Null":{"s3:x-amz-server-side-encryption":false}})", {{"s3:x-amz-server-side-encryption", {"AES256"}}}, true},
    {"Null false, key absent", R"({"Null":{"aws:username":"false"}})", {}, false},
    // Set operators on multi-valued keys
    {"ForAllValues subset", R"({"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["Project","Owner"]}})", {{"s3:RequestObjectTagKeys", {"Project"}}}, true},
    {"ForAllValues extra key", R"({"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["Project"]}})", {{"s3:RequestObjectTagKeys", {"Project", "Cost"}}}, false},
    {"ForAllValues empty set holds", R"({"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["Project"]}})", {}, true},
    {"ForAnyValue hit", R"({"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["Project"]}})", {{"s3:RequestObjectTagKeys", {"Cost", "Project"}}}, true},
    {"ForAnyValue empty set fails", R"({"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["Project"]}})", {}, false},
    {"ForAnyValue StringNotEquals", R"({"ForAnyValue:StringNotEquals":{"s3:RequestObjectTagKeys":["Project"]}})", {{"s3:RequestObjectTagKeys", {"Project", "Cost"}}}, true},
    {"ForAllValues StringLike", R"({"ForAllValues:StringLike":{"s3:RequestObjectTagKeys":["team-*"]}})", {{"s3:RequestObjectTagKeys", {"team-a", "team-b"}}}, true},
    // Tags
    {"ExistingObjectTag", R"({"StringEquals":{"s3:ExistingObjectTag/Classification":"public"}})", {{"s3:ExistingObjectTag/Classification", {"public"}}}, true},
    {"ExistingObjectTag: the tag key is case-sensitive", R"({"StringEquals":{"s3:ExistingObjectTag/classification":"public"}})", {{"s3:ExistingObjectTag/Classification", {"public"}}}, false},
    {"RequestObjectTag", R"({"StringEquals":{"s3:RequestObjectTag/Project":"x"}})", {{"s3:RequestObjectTag/Project", {"y"}}}, false},
    // Several operators and keys: all must hold
    {"AND of keys, one fails", R"({"StringEquals":{"s3:x-amz-acl":"private","s3:prefix":"a"}})", {{"s3:x-amz-acl", {"private"}}, {"s3:prefix", {"b"}}}, false},
    {"AND of operators", R"({"StringEquals":{"s3:x-amz-acl":"private"},"IpAddress":{"aws:SourceIp":"127.0.0.1/32"}})", {{"s3:x-amz-acl", {"private"}}, {"aws:SourceIp", {"127.0.0.1"}}}, true},
    // Policy variables in condition values
    {"Variable in StringLike", R"({"StringLike":{"s3:prefix":"home/${aws:userid}/*"}})", {{"aws:userid", {"111122223333"}}, {"s3:prefix", {"home/111122223333/docs"}}}, true},
    {"Variable of another user", R"({"StringLike":{"s3:prefix":"home/${aws:userid}/*"}})", {{"aws:userid", {"444455556666"}}, {"s3:prefix", {"home/111122223333/docs"}}}, false},
    {"Absent variable matches nothing", R"({"StringEquals":{"s3:prefix":"${aws:username}"}})", {{"s3:prefix", {""}}}, false},
    {"Variable default", R"({"StringEquals":{"s3:prefix":"${aws:username, 'guest'}/"}})", {{"s3:prefix", {"guest/"}}}, true},
    {"Escaped star", R"({"StringEquals":{"s3:prefix":"a${*}"}})", {{"s3:prefix", {"a*"}}}, true},
};

}  // namespace

TEST_CASE("s3 policy conditions: every operator as data") {
  for (auto& t : kConditionCases) {
    INFO(t.name);
    std::string policy = allow_when(t.condition);
    REQUIRE_FALSE(policy_error(policy, "b"));
    PolicyRequest req{{}, "s3:GetObject", "arn:aws:s3:::b/k", context(t.keys)};
    CHECK((evaluate_policy(policy, req) == Effect::kAllow) == t.allowed);
  }
}

namespace {

struct StatementCase {
  const char* name;
  const char* statement;  // one statement object
  PolicyCaller who;
  const char* action;
  const char* resource;
  Keys keys;
  Effect expected;
};

const PolicyCaller kAnon{};
const PolicyCaller kOther{false, "111122223333", "c2"};
const PolicyCaller kThird{false, "444455556666", "c3"};

const StatementCase kStatementCases[] = {
    {"deny unless SecureTransport (plain HTTP)",
     R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}})",
     kOther, "s3:GetObject", "arn:aws:s3:::b/k", {{"aws:SecureTransport", {"false"}}}, Effect::kDeny},
    {"deny PutObject without SSE",
     R"({"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}})",
     kOther, "s3:PutObject", "arn:aws:s3:::b/k", {}, Effect::kDeny},
    {"deny PutObject without SSE, with SSE",
     R"({"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}})",
     kOther, "s3:PutObject", "arn:aws:s3:::b/k", {{"s3:x-amz-server-side-encryption", {"AES256"}}}, Effect::kNone},
    {"NotPrincipal denies everyone else",
     R"({"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"})",
     kThird, "s3:GetObject", "arn:aws:s3:::b/k", {}, Effect::kDeny},
    {"NotPrincipal spares the named account",
     R"({"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"})",
     kOther, "s3:GetObject", "arn:aws:s3:::b/k", {}, Effect::kNone},
    {"NotAction", R"({"Effect":"Allow","Principal":"*","NotAction":"s3:Delete*","Resource":"arn:aws:s3:::b/*"})",
     kAnon, "s3:GetObject", "arn:aws:s3:::b/k", {}, Effect::kAllow},
    {"NotAction excludes", R"({"Effect":"Allow","Principal":"*","NotAction":"s3:Delete*","Resource":"arn:aws:s3:::b/*"})",
     kAnon, "s3:DeleteObject", "arn:aws:s3:::b/k", {}, Effect::kNone},
    {"NotResource", R"({"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::b/public/*"})",
     kAnon, "s3:GetObject", "arn:aws:s3:::b/secret", {}, Effect::kDeny},
    {"NotResource excludes", R"({"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::b/public/*"})",
     kAnon, "s3:GetObject", "arn:aws:s3:::b/public/x", {}, Effect::kNone},
    {"variable in Resource", R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:userid}/*"})",
     kOther, "s3:GetObject", "arn:aws:s3:::b/home/111122223333/a", {{"aws:userid", {"111122223333"}}}, Effect::kAllow},
    {"variable in Resource, another home", R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:userid}/*"})",
     kOther, "s3:GetObject", "arn:aws:s3:::b/home/444455556666/a", {{"aws:userid", {"111122223333"}}}, Effect::kNone},
    {"other bucket's ARN beside ours never matches", R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":["arn:aws:s3:::other/*","arn:aws:s3:::b/pub/*"]})",
     kAnon, "s3:GetObject", "arn:aws:s3:::b/k", {}, Effect::kNone},
    {"wildcard bucket ARN", R"({"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::*"})",
     kAnon, "s3:ListBucket", "arn:aws:s3:::b", {}, Effect::kAllow},
    {"prefix-limited listing", R"({"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":"public/*"}}})",
     kAnon, "s3:ListBucket", "arn:aws:s3:::b", {{"s3:prefix", {"private/"}}}, Effect::kNone},
    {"account condition", R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}})",
     kOther, "s3:GetObject", "arn:aws:s3:::b/k", {{"aws:PrincipalAccount", {"111122223333"}}}, Effect::kAllow},
    {"anonymous has no account", R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}})",
     kAnon, "s3:GetObject", "arn:aws:s3:::b/k", {{"aws:PrincipalType", {"Anonymous"}}}, Effect::kNone},
};

}  // namespace

TEST_CASE("s3 policy conditions: statements, principals, resources and variables as data") {
  for (auto& t : kStatementCases) {
    INFO(t.name);
    std::string policy = std::string(R"({"Version":"2012-10-17","Statement":[)") + t.statement + "]}";
    REQUIRE_FALSE(policy_error(policy, "b"));
    PolicyRequest req{t.who, t.action, t.resource, context(t.keys)};
    CHECK(evaluate_policy(policy, req) == t.expected);
  }
}

TEST_CASE("s3 policy conditions: variables are literal in 2008-10-17 policies") {
  std::string policy = R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",)"
                       R"("Resource":"arn:aws:s3:::b/${aws:userid}"}]})";
  PolicyRequest req{kOther, "s3:GetObject", "arn:aws:s3:::b/111122223333", context({{"aws:userid", {"111122223333"}}})};
  CHECK(evaluate_policy(policy, req) == Effect::kNone);
  req.resource = "arn:aws:s3:::b/${aws:userid}";
  CHECK(evaluate_policy(policy, req) == Effect::kAllow);
}

namespace {
struct ValidationCase {
  const char* name;
  const char* condition;  // "" for no Condition
  const char* resource;
  bool valid;
};
const ValidationCase kValidationCases[] = {
    {"every operator family", R"({"StringLike":{"s3:prefix":"a"},"NumericLessThan":{"s3:max-keys":"5"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"Bool":{"aws:SecureTransport":"true"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"Null":{"s3:x-amz-acl":"true"},"BinaryEquals":{"s3:x-amz-content-sha256":"YQ=="}})", "arn:aws:s3:::b/*", true},
    {"IfExists and set operators", R"({"ForAnyValue:StringEqualsIfExists":{"s3:RequestObjectTagKeys":["a"]},"ForAllValues:StringLike":{"aws:TagKeys":"x*"}})", "arn:aws:s3:::b/*", true},
    {"tag keys", R"({"StringEquals":{"s3:ExistingObjectTag/Team":"a","s3:RequestObjectTag/Team":"a","aws:ResourceTag/x":"y"}})", "arn:aws:s3:::b/*", true},
    {"unknown operator", R"({"StringEqualz":{"s3:prefix":"a"}})", "arn:aws:s3:::b/*", false},
    {"NullIfExists is no operator", R"({"NullIfExists":{"s3:prefix":"true"}})", "arn:aws:s3:::b/*", false},
    {"unknown set operator", R"({"ForSomeValues:StringEquals":{"s3:prefix":"a"}})", "arn:aws:s3:::b/*", false},
    {"unknown key", R"({"StringEquals":{"s3:colour":"red"}})", "arn:aws:s3:::b/*", false},
    {"other service's key", R"({"StringEquals":{"ec2:Region":"x"}})", "arn:aws:s3:::b/*", false},
    {"tag key without a tag", R"({"StringEquals":{"s3:ExistingObjectTag/":"a"}})", "arn:aws:s3:::b/*", false},
    {"object value", R"({"StringEquals":{"s3:prefix":{"a":1}}})", "arn:aws:s3:::b/*", false},
    {"bad IP", R"({"IpAddress":{"aws:SourceIp":"not-an-ip"}})", "arn:aws:s3:::b/*", false},
    {"bad CIDR length", R"({"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}})", "arn:aws:s3:::b/*", false},
    {"bad number", R"({"NumericEquals":{"s3:max-keys":"ten"}})", "arn:aws:s3:::b/*", false},
    {"bad date", R"({"DateLessThan":{"aws:CurrentTime":"tomorrow"}})", "arn:aws:s3:::b/*", false},
    {"bad bool", R"({"Bool":{"aws:SecureTransport":"yes"}})", "arn:aws:s3:::b/*", false},
    {"condition not an object", R"(["x"])", "arn:aws:s3:::b/*", false},
    {"empty operator block", R"({"StringEquals":{}})", "arn:aws:s3:::b/*", false},
    {"only another bucket", "", "arn:aws:s3:::other/*", false},
    {"wildcard bucket", "", "arn:aws:s3:::*", true},
    {"wildcard that covers this bucket", "", "arn:aws:s3:::b*/logs/*", true},
    {"wildcard that does not cover it", "", "arn:aws:s3:::x*", false},
    {"variable in the bucket part", "", "arn:aws:s3:::${aws:userid}/*", true},
    {"not an S3 ARN", "", "arn:aws:sqs:::b", false},
};
}  // namespace

TEST_CASE("s3 policy conditions: PutBucketPolicy validation as data") {
  for (auto& t : kValidationCases) {
    INFO(t.name);
    std::string st = std::string(R"({"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":")") + t.resource + "\"";
    if (*t.condition) st += std::string(",\"Condition\":") + t.condition;
    std::string policy = R"({"Version":"2012-10-17","Statement":[)" + st + "}]}";
    CHECK(!policy_error(policy, "b").has_value() == t.valid);
  }
  // A statement may name another bucket beside this one.
  CHECK_FALSE(policy_error(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",)"
                           R"("Resource":["arn:aws:s3:::other/*","arn:aws:s3:::b/*"]}]})",
                           "b"));
}

TEST_CASE("s3 policy conditions: substitute_variables") {
  PolicyContext c;
  c.set("aws:userid", "AIDA1");
  c.set("s3:prefix", "p");
  CHECK(substitute_variables("home/${aws:userid}/*", c) == "home/AIDA1/*");
  CHECK(substitute_variables("${AWS:UserId}", c) == "AIDA1");  // key names are case-insensitive
  CHECK(substitute_variables("${aws:username}", c) == std::nullopt);
  CHECK(substitute_variables("${aws:username,'x'}", c) == "x");
  CHECK(substitute_variables("${$}{aws:userid}", c) == "${aws:userid}");
  CHECK(substitute_variables("no variables", c) == "no variables");
}
