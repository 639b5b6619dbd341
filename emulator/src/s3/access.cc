// Access control: the permission check every operation passes through, the ACL a new bucket or
// object gets, and the handlers of ACLs, ownership controls, the public access block and the
// bucket policy. The rules themselves are pure code in acl.h and policy.h.
#include "common/strings.h"
#include "http/body.h"
#include "s3/acl.h"
#include "s3/handlers.h"
#include "s3/policy.h"
#include "s3/policy_request.h"

namespace localaws::s3 {

namespace {

constexpr const char* kAcl = "acl";
constexpr const char* kOwnership = "ownership";
constexpr const char* kPab = "pab";
constexpr const char* kPolicy = "policy";

AclOwner acl_owner(const Owner& o) { return {o.id, o.name}; }

// Buckets without ownership controls behave as ObjectWriter (the rule before 2023).
Ownership ownership_of(const Bucket& b) {
  auto* o = b.get(kOwnership);
  return o ? ownership_from_name(*o).value_or(Ownership::kObjectWriter) : Ownership::kObjectWriter;
}
PublicAccessBlock pab_of(const Bucket& b) {
  auto* p = b.get(kPab);
  return p ? PublicAccessBlock::from_json(*p).value_or(PublicAccessBlock{}) : PublicAccessBlock{};
}
Acl bucket_acl(const Bucket& b) {
  auto* a = b.get(kAcl);
  Acl acl = a ? Acl::decode(*a) : Acl{};
  return acl.empty() ? private_acl(acl_owner(b.owner)) : acl;
}
Acl object_acl(const Bucket& b, const Object& o) {
  if (ownership_of(b) == Ownership::kBucketOwnerEnforced) return private_acl(acl_owner(b.owner));
  Acl acl = Acl::decode(o.meta.acl);
  return acl.empty() ? private_acl(acl_owner(o.owner)) : acl;
}

// Fills display names and turns email grantees into canonical users, as S3 stores them.
void resolve(Ctx& c, std::vector<Grant>& grants) {
  for (auto& g : grants) {
    if (g.grantee.kind == Grantee::Kind::kEmail) {
      auto* a = c.env.accounts.by_email(g.grantee.email);
      if (!a) throw S3Error("UnresolvableGrantByEmailAddress").with("EmailAddress", g.grantee.email);
      g.grantee = Grantee{Grantee::Kind::kUser, a->canonical_user_id, a->display_name, "", ""};
    } else if (g.grantee.kind == Grantee::Kind::kUser) {
      auto* a = c.env.accounts.by_canonical_id(g.grantee.id);
      if (!a) throw S3Error("InvalidArgument", "Invalid id").with("ArgumentName", "CanonicalUser/ID").with("ArgumentValue", g.grantee.id);
      g.grantee.display_name = a->display_name;
    }
  }
}

// The ACL named by x-amz-acl or the x-amz-grant-* headers; nullopt when the request has none.
// canned: set to the canned name when x-amz-acl was used.
std::optional<Acl> acl_from_headers(Ctx& c, const AclOwner& owner, const AclOwner& bucket_owner, std::string* canned) {
  static const std::pair<const char*, unsigned> kGrantHeaders[] = {
      {"x-amz-grant-read", kRead},          {"x-amz-grant-write", kWrite},
      {"x-amz-grant-read-acp", kReadAcp},   {"x-amz-grant-write-acp", kWriteAcp},
      {"x-amz-grant-full-control", kFullControl}};
  const std::string* x = c.req.header("x-amz-acl");
  std::vector<Grant> grants;
  for (auto& [h, perm] : kGrantHeaders) {
    const std::string* v = c.req.header(h);
    if (!v) continue;
    auto gs = parse_grant_header(*v);
    if (!gs) throw S3Error("InvalidArgument").with("ArgumentName", h).with("ArgumentValue", *v);
    for (auto& g : *gs) grants.push_back(Grant{g, perm});
  }
  if (x && !grants.empty())
    throw S3Error("InvalidRequest", "Specifying both Canned ACLs and Header Grants is not allowed");
  if (x) {
    auto acl = canned_acl(trim(*x), owner, bucket_owner);
    if (!acl) throw S3Error("InvalidArgument").with("ArgumentName", "x-amz-acl").with("ArgumentValue", *x);
    if (canned) *canned = trim(*x);
    return acl;
  }
  if (grants.empty()) return std::nullopt;
  resolve(c, grants);
  return Acl{owner, grants};
}

// A small XML request body whose root element must be `root` (else MalformedXML).
pugi::xml_node xml_body(Ctx& c, pugi::xml_document& doc, const char* root) {
  if (!parse_xml(read_small_body(c, 64 * 1024), doc) || std::string(doc.document_element().name()) != root)
    throw S3Error("MalformedXML");
  return doc.document_element();
}

// Only the owner with FULL_CONTROL: what ACLs may still say when they are disabled.
bool owner_only_acl(const Acl& a) {
  return a.grants.size() == 1 && a.grants[0].grantee.kind == Grantee::Kind::kUser &&
         a.grants[0].grantee.id == a.owner.id && a.grants[0].perm == kFullControl;
}

void check_public_acl(const PublicAccessBlock& pab, const Acl& acl) {
  if (pab.block_public_acls && acl_is_public(acl)) throw S3Error("AccessDenied");
}

}  // namespace

namespace {

// The one permission check. on_object: the operation acts on obj (its ACL and owner count).
// key: the object the request names ("" for bucket requests; nullptr: the request's key).
// extra: condition keys the request's body adds (tags, retention, a POST form's fields).
bool permits(const Ctx& c, const Need& need, const char* action, bool on_object, const Bucket& b, const Object* obj,
             const std::string* key_override = nullptr, const PolicyContext* extra = nullptr) {
  const auth::Principal& who = c.who;
  PublicAccessBlock pab = pab_of(b);
  bool same_account = !who.anonymous && who.account_id == b.owner.account;

  Effect policy = Effect::kNone;
  if (auto* text = b.get(kPolicy)) {
    PolicyRequest pr{{who.anonymous, who.account_id, who.canonical_user_id}, action, "", policy_context(c, b, obj)};
    if (extra) pr.keys.merge(*extra);
    std::string key = key_override ? *key_override : obj ? obj->key : c.key;
    pr.resource = on_object || !key.empty() ? "arn:aws:s3:::" + b.name + "/" + key : "arn:aws:s3:::" + b.name;
    policy = evaluate_policy(*text, pr);
    // RestrictPublicBuckets: a public policy only serves the bucket owner's account.
    if (policy == Effect::kAllow && pab.restrict_public_buckets && !same_account && policy_is_public(*text))
      policy = Effect::kNone;
  }
  // The bucket owner's account may always read, replace and delete the policy, whatever it denies
  // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html).
  std::string_view act = action;
  if (policy == Effect::kDeny && same_account &&
      (act == "s3:GetBucketPolicy" || act == "s3:PutBucketPolicy" || act == "s3:DeleteBucketPolicy"))
    policy = Effect::kNone;
  if (policy == Effect::kDeny) return false;
  bool enforced = ownership_of(b) == Ownership::kBucketOwnerEnforced;
  if (same_account) {
    // The bucket owner may do everything with its bucket; objects another account wrote stay
    // theirs (ACL decides) unless ownership is enforced.
    if (!on_object || !obj || enforced || obj->owner.id == b.owner.id) return true;
  }
  if (policy == Effect::kAllow) return true;
  if (need.owner_only || enforced) {
    // With ACLs disabled only the owner and policies grant access; an object's writer from
    // another account owns nothing.
    return false;
  }
  Requester r{who.anonymous, who.canonical_user_id, who.account_id};
  if (on_object) return obj && acl_grants(object_acl(b, *obj), need.perm, r, pab.ignore_public_acls);
  return acl_grants(bucket_acl(b), need.perm, r, pab.ignore_public_acls);
}

}  // namespace

bool authorize(const Ctx& c, Op op, const Bucket* b, const Object* obj, std::optional<bool> with_version) {
  const OpRow& row = op_row(op);
  if (row.load == Load::kNone) return !c.who.anonymous;
  if (!b) return false;
  // Requester Pays (bucket_payment.cc): other accounts must accept the charge, anonymous callers cannot.
  if (requester_pays(*b) && (c.who.anonymous || (c.who.account_id != b->owner.account &&
                                                  c.req.header_or("x-amz-request-payer") != "requester")))
    return false;
  bool versioned = with_version ? *with_version : c.req.query_param("versionId") != nullptr;
  return permits(c, row.need, iam_action(row, versioned), row.load == Load::kObject, *b, obj);
}

bool authorize_key(const Ctx& c, Op op, const std::string& key, const Object* obj, bool with_version) {
  const OpRow& row = op_row(op);
  const Bucket& b = *c.bkt;
  if (requester_pays(b) && (c.who.anonymous || (c.who.account_id != b.owner.account &&
                                                c.req.header_or("x-amz-request-payer") != "requester")))
    return false;
  return permits(c, row.need, iam_action(row, with_version), row.load == Load::kObject, b, obj, &key);
}

bool authorize_with(const Ctx& c, Op op, const Object* obj, const PolicyContext& extra) {
  const OpRow& row = op_row(op);
  const Bucket& b = *c.bkt;
  if (requester_pays(b) && (c.who.anonymous || (c.who.account_id != b.owner.account &&
                                                c.req.header_or("x-amz-request-payer") != "requester")))
    return false;
  bool versioned = c.req.query_param("versionId") != nullptr;
  return permits(c, row.need, iam_action(row, versioned), row.load == Load::kObject, *c.bkt, obj, nullptr, &extra);
}

PolicyContext request_tag_keys(const Pairs& tags) {
  PolicyContext k;
  std::vector<std::string> keys;
  for (auto& [tk, tv] : tags) {
    k.set("s3:RequestObjectTag/" + tk, tv);
    keys.push_back(tk);
  }
  k.set_list("s3:RequestObjectTagKeys", std::move(keys));
  return k;
}

bool may_list_bucket(const Ctx& c) { return may_list_bucket(c, *c.bkt); }

bool may_list_bucket(const Ctx& c, const Bucket& b) {
  static const std::string kNoKey;
  const OpRow& row = op_row(Op::kListObjectsV2);
  return permits(c, row.need, iam_action(row, false), false, b, nullptr, &kNoKey);
}

bool may_bypass_governance(const Ctx& c, const Bucket& b, const Object* obj) {
  return permits(c, Need{0, true, "s3:BypassGovernanceRetention", ""}, "s3:BypassGovernanceRetention", true, b, obj);
}

std::map<std::string, std::string> new_bucket_config(Ctx& c, const Owner& owner) {
  std::map<std::string, std::string> cfg;
  bool legacy = c.env.opts.legacy_defaults;
  std::optional<Ownership> own;
  if (auto* h = c.req.header("x-amz-object-ownership")) {
    own = ownership_from_name(trim(*h));
    if (!own) throw S3Error("InvalidArgument", "Invalid x-amz-object-ownership header: " + *h);
  } else if (!legacy) {
    own = Ownership::kBucketOwnerEnforced;
  }
  PublicAccessBlock pab;
  if (!legacy) pab = PublicAccessBlock{true, true, true, true};
  auto acl = acl_from_headers(c, acl_owner(owner), acl_owner(owner), nullptr);
  if (acl && own == Ownership::kBucketOwnerEnforced && !owner_only_acl(*acl))
    throw S3Error("InvalidBucketAclWithObjectOwnership");
  if (acl) check_public_acl(pab, *acl);
  // ---- checks end ----
  if (own) cfg[kOwnership] = ownership_name(*own);
  if (!legacy) cfg[kPab] = pab.to_json();
  if (acl) cfg[kAcl] = acl->encode();
  return cfg;
}

NewObjectAccess new_object_access(Ctx& c) {
  const Bucket& b = *c.bkt;
  Ownership own = ownership_of(b);
  Owner writer = owner_of(c.who);
  std::string canned;
  auto acl = acl_from_headers(c, acl_owner(writer), acl_owner(b.owner), &canned);
  if (own == Ownership::kBucketOwnerEnforced) {
    // Only ACLs that give the bucket owner full control are accepted, and they change nothing.
    if (acl && canned != "bucket-owner-full-control" && !(owner_only_acl(*acl) && writer.id == b.owner.id))
      throw S3Error("AccessControlListNotSupported");
    return {b.owner, ""};
  }
  if (acl) check_public_acl(pab_of(b), *acl);
  if (own == Ownership::kBucketOwnerPreferred && canned == "bucket-owner-full-control") {
    return {b.owner, private_acl(acl_owner(b.owner)).encode()};
  }
  return {writer, acl ? acl->encode() : ""};
}

const Owner& listed_owner(const Ctx& c, const Object& o) { return lists_bucket_owner(c) ? c.bkt->owner : o.owner; }

bool lists_bucket_owner(const Ctx& c) { return ownership_of(*c.bkt) == Ownership::kBucketOwnerEnforced; }

Owner completed_owner(const Ctx& c, const std::string& acl) {
  const Bucket& b = *c.bkt;
  if (ownership_of(b) == Ownership::kBucketOwnerEnforced || Acl::decode(acl).owner.id == b.owner.id) return b.owner;
  return owner_of(c.who);
}

void remove_config(Ctx& c, const char* key) {
  raise(c.store().set_bucket_config(c.bucket, key, std::nullopt), c);
  c.res.status = 204;
}

void reply_config(Ctx& c, const char* key, const char* missing_code, const char* content_type) {
  auto* doc = c.bkt->get(key);
  if (!doc) throw S3Error(missing_code).with("BucketName", c.bucket);
  c.res.status = 200;
  c.res.body = *doc;
  c.res.set_header("Content-Type", content_type);
}

// ---- ACL handlers ----------------------------------------------------------------------------

void get_acl(Ctx& c) {
  Acl acl;
  if (c.key.empty()) {
    acl = bucket_acl(*c.bkt);
  } else {
    const Object& o = loaded_object(c);
    acl = object_acl(*c.bkt, o);
    version_header(c, o, c.res);
  }
  c.res.status = 200;
  c.res.body = acl_xml(acl);
  c.res.set_header("Content-Type", "application/xml");
}

void put_acl(Ctx& c) {
  const Bucket& b = *c.bkt;
  const Object* o = c.key.empty() ? nullptr : &loaded_object(c);
  Owner owner = o ? o->owner : b.owner;
  std::string body = read_small_body(c, 64 * 1024);
  auto acl = acl_from_headers(c, acl_owner(owner), acl_owner(b.owner), nullptr);
  if (acl && !trim(body).empty()) throw S3Error("UnexpectedContent", "This request does not support content");
  if (!acl) {
    if (trim(body).empty()) throw S3Error("MissingSecurityHeader").with("MissingHeaderName", "x-amz-acl");
    acl = parse_acl_xml(body);
    if (!acl) throw S3Error("MalformedACLError");
    resolve(c, acl->grants);
    acl->owner = acl_owner(owner);
  }
  if (ownership_of(b) == Ownership::kBucketOwnerEnforced && !owner_only_acl(*acl))
    throw S3Error("AccessControlListNotSupported");
  check_public_acl(pab_of(b), *acl);
  // ---- checks end ----
  if (o) {
    raise(c.store().set_object_acl(c.bucket, c.key, o->version_id, acl->encode()), c);
    version_header(c, *o, c.res);
  }
  else raise(c.store().set_bucket_config(c.bucket, kAcl, acl->encode()), c);
}

// ---- ownership controls ----------------------------------------------------------------------

void get_ownership_controls(Ctx& c) {
  auto* o = c.bkt->get(kOwnership);
  if (!o) throw S3Error("OwnershipControlsNotFoundError").with("BucketName", c.bucket);
  XmlDoc doc("OwnershipControls");
  doc.root.child("Rule").add("ObjectOwnership", *o);
  reply_xml(c, doc);
}

void put_ownership_controls(Ctx& c) {
  pugi::xml_document doc;
  auto rules = xml_body(c, doc, "OwnershipControls").children("Rule");
  if (std::distance(rules.begin(), rules.end()) != 1) throw S3Error("MalformedXML");
  auto own = ownership_from_name(trim(child_text(*rules.begin(), "ObjectOwnership").value_or("")));
  if (!own) throw S3Error("MalformedXML");
  // Disabling ACLs is refused while the bucket ACL still grants anyone but the owner.
  if (*own == Ownership::kBucketOwnerEnforced && !owner_only_acl(bucket_acl(*c.bkt)))
    throw S3Error("InvalidBucketAclWithObjectOwnership");
  raise(c.store().set_bucket_config(c.bucket, kOwnership, std::string(ownership_name(*own))), c);
}

void delete_ownership_controls(Ctx& c) {
  remove_config(c, kOwnership);
}

// ---- public access block ---------------------------------------------------------------------

void get_public_access_block(Ctx& c) {
  auto* p = c.bkt->get(kPab);
  if (!p) throw S3Error("NoSuchPublicAccessBlockConfiguration").with("BucketName", c.bucket);
  PublicAccessBlock pab = PublicAccessBlock::from_json(*p).value_or(PublicAccessBlock{});
  XmlDoc doc("PublicAccessBlockConfiguration");
  doc.root.add_bool("BlockPublicAcls", pab.block_public_acls)
      .add_bool("IgnorePublicAcls", pab.ignore_public_acls)
      .add_bool("BlockPublicPolicy", pab.block_public_policy)
      .add_bool("RestrictPublicBuckets", pab.restrict_public_buckets);
  reply_xml(c, doc);
}

void put_public_access_block(Ctx& c) {
  pugi::xml_document doc;
  auto root = xml_body(c, doc, "PublicAccessBlockConfiguration");
  auto flag = [&](const char* name) {
    std::string v = trim(child_text(root, name).value_or("false"));
    if (v != "true" && v != "false") throw S3Error("MalformedXML");
    return v == "true";
  };
  PublicAccessBlock pab{flag("BlockPublicAcls"), flag("IgnorePublicAcls"), flag("BlockPublicPolicy"),
                        flag("RestrictPublicBuckets")};
  raise(c.store().set_bucket_config(c.bucket, kPab, pab.to_json()), c);
}

void delete_public_access_block(Ctx& c) {
  remove_config(c, kPab);
}

// ---- bucket policy ---------------------------------------------------------------------------

void get_bucket_policy(Ctx& c) { reply_config(c, kPolicy, "NoSuchBucketPolicy", "application/json"); }

void put_bucket_policy(Ctx& c) {
  std::string text = read_small_body(c, 64 * 1024);
  if (text.size() > 20 * 1024) throw S3Error("PolicyTooLarge", "Policy exceeds the maximum allowed document size.");
  if (auto e = policy_error(text, c.bucket)) throw S3Error("MalformedPolicy", *e);
  if (pab_of(*c.bkt).block_public_policy && policy_is_public(text)) throw S3Error("AccessDenied");
  raise(c.store().set_bucket_config(c.bucket, kPolicy, text), c);
  c.res.status = 204;
}

void delete_bucket_policy(Ctx& c) {
  remove_config(c, kPolicy);
}

void get_bucket_policy_status(Ctx& c) {
  auto* p = c.bkt->get(kPolicy);
  if (!p) throw S3Error("NoSuchBucketPolicy").with("BucketName", c.bucket);
  XmlDoc doc("PolicyStatus");
  doc.root.add_bool("IsPublic", policy_is_public(*p));
  reply_xml(c, doc);
}

}  // namespace localaws::s3
