#include <catch2/catch.hpp>

#include "s3/acl.h"
#include "s3/policy.h"

using namespace localaws::s3;

namespace {
const AclOwner kOwner{"owner-id", "owner"};
const AclOwner kOther{"other-id", "other"};
Requester user(const std::string& id) { return Requester{false, id, "111122223333"}; }
const Requester kAnon{};
}  // namespace

TEST_CASE("s3 acl: canned ACLs expand as AWS documents") {
  auto pub = canned_acl("public-read", kOwner, kOwner);
  REQUIRE(pub);
  CHECK(pub->grants.size() == 2);
  CHECK(acl_grants(*pub, kRead, kAnon, false));
  CHECK_FALSE(acl_grants(*pub, kWrite, kAnon, false));
  CHECK_FALSE(acl_grants(*pub, kRead, kAnon, true));  // IgnorePublicAcls
  CHECK(acl_is_public(*pub));
  CHECK(acl_grants(*pub, kFullControl, user("owner-id"), false));

  auto auth = canned_acl("authenticated-read", kOwner, kOwner);
  CHECK(acl_grants(*auth, kRead, user("someone"), false));
  CHECK_FALSE(acl_grants(*auth, kRead, kAnon, false));

  auto bofc = canned_acl("bucket-owner-full-control", kOther, kOwner);
  CHECK(acl_grants(*bofc, kFullControl, user("owner-id"), false));
  CHECK(canned_acl("bucket-owner-full-control", kOwner, kOwner)->grants.size() == 1);

  auto log = canned_acl("log-delivery-write", kOwner, kOwner);
  CHECK(log->grants.size() == 3);
  CHECK_FALSE(acl_is_public(*log));
  CHECK_FALSE(canned_acl("world", kOwner, kOwner));
}

TEST_CASE("s3 acl: x-amz-grant-* header values") {
  auto g = parse_grant_header("id=\"abc\", uri=\"http://acs.amazonaws.com/groups/global/AllUsers\", emailAddress=\"a@b.c\"");
  REQUIRE(g);
  REQUIRE(g->size() == 3);
  CHECK((*g)[0].id == "abc");
  CHECK((*g)[1].kind == Grantee::Kind::kGroup);
  CHECK((*g)[2].email == "a@b.c");
  CHECK_FALSE(parse_grant_header("bogus"));
  CHECK_FALSE(parse_grant_header("uri=\"http://example.com/group\""));
  CHECK_FALSE(parse_grant_header("name=\"x\""));
}

TEST_CASE("s3 acl: AccessControlPolicy XML round trip and JSON storage") {
  Acl a = *canned_acl("public-read-write", kOwner, kOwner);
  auto back = parse_acl_xml(acl_xml(a));
  REQUIRE(back);
  CHECK(back->owner.id == "owner-id");
  CHECK(back->grants.size() == 3);
  Acl j = Acl::decode(a.encode());
  CHECK(j.grants.size() == 3);
  CHECK(acl_grants(j, kRead | kWrite, kAnon, false));
  CHECK_FALSE(parse_acl_xml("<AccessControlPolicy>"));
  CHECK_FALSE(parse_acl_xml("<Other/>"));
  CHECK_FALSE(parse_acl_xml("<AccessControlPolicy><Owner><ID>x</ID></Owner><AccessControlList><Grant><Grantee "
                            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">"
                            "<ID>y</ID></Grantee><Permission>ALL</Permission></Grant></AccessControlList>"
                            "</AccessControlPolicy>"));
}

TEST_CASE("s3 acl: the compact stored form round-trips, reads the old JSON form, refuses damage") {
  Acl a = *canned_acl("authenticated-read", AclOwner{"id:with:colons", "n\xC3\xA9 12:3"}, kOwner);
  a.grants.push_back(Grant{Grantee{Grantee::Kind::kUser, "other-id", "Other", "", ""}, kReadAcp});
  std::string enc = a.encode();
  CHECK(enc[0] == 'a');
  Acl back = Acl::decode(enc);
  REQUIRE(back.grants.size() == a.grants.size());
  CHECK(back.owner.id == "id:with:colons");
  CHECK(back.owner.name == "n\xC3\xA9 12:3");
  for (size_t i = 0; i < a.grants.size(); i++) {
    CHECK(back.grants[i].perm == a.grants[i].perm);
    CHECK(back.grants[i].grantee.kind == a.grants[i].grantee.kind);
    CHECK(back.grants[i].grantee.id == a.grants[i].grantee.id);
    CHECK(back.grants[i].grantee.uri == a.grants[i].grantee.uri);
  }
  // Rows written before the compact form hold JSON.
  Acl old = Acl::decode(R"({"oid":"o","on":"O","g":[{"p":15,"id":"o","n":"O"},{"p":1,"uri":"http://acs.amazonaws.com/groups/global/AllUsers"}]})");
  REQUIRE(old.grants.size() == 2);
  CHECK(old.owner.id == "o");
  CHECK(acl_grants(old, kRead, kAnon, false));
  // Text cut inside a field decodes to an empty ACL (private to the owner), never a garbled grant.
  std::string cut_in_name = enc.substr(0, enc.size() - 2);
  CHECK(Acl::decode(cut_in_name).empty());
  CHECK(Acl::decode(enc.substr(0, 3)).empty());
  CHECK(Acl::decode("").empty());
  CHECK(Acl::decode("a99999999999:x").empty());
  CHECK(Acl::decode("x1:a").empty());
}

TEST_CASE("s3 policy: validation") {
  std::string ok = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
    "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})";
  CHECK_FALSE(policy_error(ok, "b"));
  CHECK(policy_error(ok, "other"));  // resource outside the bucket
  CHECK(policy_error("not json", "b"));
  CHECK(policy_error(R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b"}]})", "b"));
  CHECK(policy_error(R"({"Statement":[{"Effect":"Maybe","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b"}]})", "b"));
  CHECK(policy_error(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"ec2:Run","Resource":"arn:aws:s3:::b"}]})", "b"));
}

TEST_CASE("s3 policy: evaluation, wildcards and explicit deny") {
  std::string p = R"({"Statement":[
    {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:Get*","Resource":"arn:aws:s3:::b/*"},
    {"Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::b/public/*"},
    {"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"arn:aws:s3:::b/public/secret*"}]})";
  PolicyCaller second{false, "111122223333", "c2"};
  PolicyCaller third{false, "444455556666", "c3"};
  PolicyCaller anon{};
  CHECK(evaluate_policy(p, second, "s3:GetObject", "arn:aws:s3:::b/x") == Effect::kAllow);
  CHECK(evaluate_policy(p, second, "s3:PutObject", "arn:aws:s3:::b/x") == Effect::kNone);
  CHECK(evaluate_policy(p, third, "s3:GetObject", "arn:aws:s3:::b/x") == Effect::kNone);
  CHECK(evaluate_policy(p, anon, "s3:GetObject", "arn:aws:s3:::b/public/a.jpg") == Effect::kAllow);
  CHECK(evaluate_policy(p, anon, "s3:GetObject", "arn:aws:s3:::b/public/secret.txt") == Effect::kDeny);
  CHECK(evaluate_policy(p, second, "s3:GetObject", "arn:aws:s3:::b/public/secret.txt") == Effect::kDeny);
  CHECK(policy_is_public(p));
  CHECK(wildcard_match("s3:get*", "s3:GetObject", true));
  CHECK_FALSE(wildcard_match("arn:aws:s3:::b/a?c", "arn:aws:s3:::b/abbc", false));
  CHECK(wildcard_match("arn:aws:s3:::b/*/x", "arn:aws:s3:::b/1/2/x", false));
}
