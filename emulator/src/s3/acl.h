// S3 access control as pure code (no I/O): ACLs (owner, grants, canned expansion, x-amz-grant-*
// headers, the AccessControlPolicy XML), bucket ownership, the public access block and the
// permission each operation needs. The store only keeps the serialized forms.
// Unit tested in tests/unit/s3_acl_test.cc.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s3/ops.h"

namespace localaws::s3 {

inline constexpr const char* kAllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
inline constexpr const char* kAuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
inline constexpr const char* kLogDelivery = "http://acs.amazonaws.com/groups/s3/LogDelivery";

// Permission bits; FULL_CONTROL is all of them.
enum Perm : unsigned { kRead = 1, kWrite = 2, kReadAcp = 4, kWriteAcp = 8, kFullControl = 15 };
std::optional<unsigned> perm_from_name(std::string_view name);  // "READ" ... "FULL_CONTROL"
const char* perm_name(unsigned p);

struct Grantee {
  enum class Kind { kUser, kGroup, kEmail } kind = Kind::kUser;
  std::string id;            // kUser: canonical id
  std::string display_name;  // kUser
  std::string uri;           // kGroup
  std::string email;         // kEmail (resolved to kUser before storing)
};

struct Grant {
  Grantee grantee;
  unsigned perm = 0;  // one of the Perm values
};

struct AclOwner {
  std::string id;
  std::string name;
};

struct Acl {
  AclOwner owner;
  std::vector<Grant> grants;
  // A compact length-prefixed text form (no JSON parser on the GET path: public objects are read
  // by ACL). decode() also reads the JSON form rows written before it hold; empty or bad text ->
  // an empty Acl.
  std::string encode() const;
  static Acl decode(std::string_view s);
  bool empty() const { return owner.id.empty(); }
};

// FULL_CONTROL for the owner only.
Acl private_acl(const AclOwner& owner);
// The canned ACL named by x-amz-acl, or nullopt for an unknown name. bucket_owner is the owner of
// the bucket holding an object (bucket-owner-read / -full-control); for buckets pass the owner.
std::optional<Acl> canned_acl(std::string_view name, const AclOwner& owner, const AclOwner& bucket_owner);

// x-amz-grant-* header value: `id="..", uri="..", emailAddress=".."`, comma separated. Returns
// nullopt when malformed. Grantees of kind kEmail still need resolving.
std::optional<std::vector<Grantee>> parse_grant_header(std::string_view value);

// The AccessControlPolicy XML. parse: nullopt when the document is not a valid policy
// (MalformedACLError); grants to emails are left as kEmail.
std::optional<Acl> parse_acl_xml(std::string_view body);
std::string acl_xml(const Acl& acl);

// Grants to AllUsers or AuthenticatedUsers make an ACL public.
bool acl_is_public(const Acl& acl);

// The caller as ACLs see it.
struct Requester {
  bool anonymous = true;
  std::string canonical_id;
  std::string account_id;
};
// True when the ACL grants `need` (a Perm) to the caller. ignore_public drops AllUsers and
// AuthenticatedUsers grants (IgnorePublicAcls).
bool acl_grants(const Acl& acl, unsigned need, const Requester& who, bool ignore_public);

// Bucket ownership (ObjectOwnership).
enum class Ownership { kBucketOwnerEnforced, kBucketOwnerPreferred, kObjectWriter };
std::optional<Ownership> ownership_from_name(std::string_view name);
const char* ownership_name(Ownership o);

struct PublicAccessBlock {
  bool block_public_acls = false;
  bool ignore_public_acls = false;
  bool block_public_policy = false;
  bool restrict_public_buckets = false;
  std::string to_json() const;
  static std::optional<PublicAccessBlock> from_json(const std::string& s);  // "" -> nullopt (none set)
};

}  // namespace localaws::s3
