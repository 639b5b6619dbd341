#include "s3/acl.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "s3/xml.h"

namespace localaws::s3 {

using nlohmann::json;

namespace {
constexpr const char* kXsi = "http://www.w3.org/2001/XMLSchema-instance";

Grant user_grant(const AclOwner& o, unsigned perm) {
  Grant g;
  g.grantee.kind = Grantee::Kind::kUser;
  g.grantee.id = o.id;
  g.grantee.display_name = o.name;
  g.perm = perm;
  return g;
}
Grant group_grant(const char* uri, unsigned perm) {
  Grant g;
  g.grantee.kind = Grantee::Kind::kGroup;
  g.grantee.uri = uri;
  g.perm = perm;
  return g;
}
bool known_group(std::string_view uri) { return uri == kAllUsers || uri == kAuthenticatedUsers || uri == kLogDelivery; }
}  // namespace

std::optional<unsigned> perm_from_name(std::string_view n) {
  if (n == "READ") return kRead;
  if (n == "WRITE") return kWrite;
  if (n == "READ_ACP") return kReadAcp;
  if (n == "WRITE_ACP") return kWriteAcp;
  if (n == "FULL_CONTROL") return kFullControl;
  return std::nullopt;
}

const char* perm_name(unsigned p) {
  switch (p) {
    case kRead: return "READ";
    case kWrite: return "WRITE";
    case kReadAcp: return "READ_ACP";
    case kWriteAcp: return "WRITE_ACP";
    default: return "FULL_CONTROL";
  }
}

namespace {
// "<length>:<bytes>", appended to out.
void put_field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
}
// Reads one put_field from s at pos; false when malformed.
bool get_field(std::string_view s, size_t& pos, std::string& out) {
  size_t colon = s.find(':', pos);
  if (colon == std::string_view::npos || colon == pos || colon - pos > 9) return false;
  size_t n = 0;
  for (size_t i = pos; i < colon; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    n = n * 10 + static_cast<size_t>(s[i] - '0');
  }
  if (colon + 1 + n > s.size()) return false;
  out.assign(s.substr(colon + 1, n));
  pos = colon + 1 + n;
  return true;
}

Acl acl_from_legacy_json(std::string_view s) {
  Acl a;
  json j = json::parse(s, nullptr, false);
  if (!j.is_object()) return a;
  a.owner = {j.value("oid", ""), j.value("on", "")};
  for (auto& e : j.value("g", json::array())) {
    Grant g;
    g.perm = e.value("p", 0u);
    if (e.contains("uri")) {
      g.grantee.kind = Grantee::Kind::kGroup;
      g.grantee.uri = e["uri"].get<std::string>();
    } else {
      g.grantee.id = e.value("id", "");
      g.grantee.display_name = e.value("n", "");
    }
    a.grants.push_back(g);
  }
  return a;
}
}  // namespace

// "a" owner-id owner-name, then per grant: perm digit(s) as a field, "u" id name | "g" uri.
std::string Acl::encode() const {
  std::string out = "a";
  put_field(out, owner.id);
  put_field(out, owner.name);
  for (auto& x : grants) {
    put_field(out, std::to_string(x.perm));
    if (x.grantee.kind == Grantee::Kind::kGroup) {
      out += 'g';
      put_field(out, x.grantee.uri);
    } else {
      out += 'u';
      put_field(out, x.grantee.id);
      put_field(out, x.grantee.display_name);
    }
  }
  return out;
}

Acl Acl::decode(std::string_view s) {
  if (!s.empty() && s[0] == '{') return acl_from_legacy_json(s);
  Acl a;
  if (s.empty() || s[0] != 'a') return a;
  size_t pos = 1;
  Acl out;
  if (!get_field(s, pos, out.owner.id) || !get_field(s, pos, out.owner.name)) return a;
  while (pos < s.size()) {
    std::string perm;
    if (!get_field(s, pos, perm) || pos >= s.size()) return a;
    Grant g;
    g.perm = static_cast<unsigned>(std::strtoul(perm.c_str(), nullptr, 10));
    char kind = s[pos++];
    if (kind == 'g') {
      g.grantee.kind = Grantee::Kind::kGroup;
      if (!get_field(s, pos, g.grantee.uri)) return a;
    } else if (kind == 'u') {
      if (!get_field(s, pos, g.grantee.id) || !get_field(s, pos, g.grantee.display_name)) return a;
    } else {
      return a;
    }
    out.grants.push_back(std::move(g));
  }
  return out;
}

// The canonical user id AWS grants READ under aws-exec-read (Amazon EC2).
constexpr const char* kEc2CanonicalId = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c";

Acl private_acl(const AclOwner& owner) { return Acl{owner, {user_grant(owner, kFullControl)}}; }

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
std::optional<Acl> canned_acl(std::string_view name, const AclOwner& owner, const AclOwner& bucket_owner) {
  Acl a = private_acl(owner);
  if (name == "private") return a;
  if (name == "public-read") {
    a.grants.push_back(group_grant(kAllUsers, kRead));
  } else if (name == "public-read-write") {
    a.grants.push_back(group_grant(kAllUsers, kRead));
    a.grants.push_back(group_grant(kAllUsers, kWrite));
  } else if (name == "authenticated-read") {
    a.grants.push_back(group_grant(kAuthenticatedUsers, kRead));
  } else if (name == "bucket-owner-read" || name == "bucket-owner-full-control") {
    if (bucket_owner.id != owner.id)
      a.grants.push_back(user_grant(bucket_owner, name == "bucket-owner-read" ? kRead : kFullControl));
  } else if (name == "log-delivery-write") {
    a.grants.push_back(group_grant(kLogDelivery, kWrite));
    a.grants.push_back(group_grant(kLogDelivery, kReadAcp));
  } else if (name == "aws-exec-read") {
    // READ for Amazon EC2's canonical user (to fetch AMI bundles), as AWS lists it.
    a.grants.push_back(user_grant(AclOwner{kEc2CanonicalId, ""}, kRead));
  } else {
    return std::nullopt;
  }
  return a;
}

std::optional<std::vector<Grantee>> parse_grant_header(std::string_view value) {
  std::vector<Grantee> out;
  for (auto& raw : split(std::string(value), ',')) {
    std::string item = trim(raw);
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string::npos) return std::nullopt;
    std::string kind = trim(item.substr(0, eq));
    std::string v = trim(item.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    if (v.empty()) return std::nullopt;
    Grantee g;
    if (kind == "id") {
      g.kind = Grantee::Kind::kUser;
      g.id = v;
    } else if (kind == "uri") {
      if (!known_group(v)) return std::nullopt;
      g.kind = Grantee::Kind::kGroup;
      g.uri = v;
    } else if (kind == "emailAddress") {
      g.kind = Grantee::Kind::kEmail;
      g.email = v;
    } else {
      return std::nullopt;
    }
    out.push_back(g);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<Acl> parse_acl_xml(std::string_view body) {
  pugi::xml_document doc;
  if (!parse_xml(body, doc)) return std::nullopt;
  auto root = doc.document_element();
  if (std::string(root.name()) != "AccessControlPolicy") return std::nullopt;
  Acl a;
  auto owner = root.child("Owner");
  if (!owner) return std::nullopt;
  auto oid = child_text(owner, "ID");
  if (!oid) return std::nullopt;
  a.owner.id = trim(*oid);
  a.owner.name = child_text(owner, "DisplayName").value_or("");
  for (auto g : root.child("AccessControlList").children("Grant")) {
    auto perm = perm_from_name(trim(child_text(g, "Permission").value_or("")));
    auto ge = g.child("Grantee");
    if (!perm || !ge) return std::nullopt;
    Grant grant;
    grant.perm = *perm;
    std::string type = ge.attribute("xsi:type").as_string();
    if (auto id = child_text(ge, "ID"); type == "CanonicalUser" && id) {
      grant.grantee.kind = Grantee::Kind::kUser;
      grant.grantee.id = trim(*id);
    } else if (auto uri = child_text(ge, "URI"); type == "Group" && uri && known_group(trim(*uri))) {
      grant.grantee.kind = Grantee::Kind::kGroup;
      grant.grantee.uri = trim(*uri);
    } else if (auto em = child_text(ge, "EmailAddress"); type == "AmazonCustomerByEmail" && em) {
      grant.grantee.kind = Grantee::Kind::kEmail;
      grant.grantee.email = trim(*em);
    } else {
      return std::nullopt;
    }
    a.grants.push_back(grant);
  }
  return a;
}

std::string acl_xml(const Acl& acl) {
  XmlDoc doc("AccessControlPolicy");
  // No DisplayName anywhere: AWS stopped returning it on 2025-11-21 (the Owner type's notice).
  doc.root.child("Owner").add("ID", acl.owner.id);
  pugi::xml_node list_node = doc.doc.document_element().append_child("AccessControlList");
  for (auto& g : acl.grants) {
    auto grant = list_node.append_child("Grant");
    auto ge = grant.append_child("Grantee");
    ge.append_attribute("xmlns:xsi") = kXsi;
    XmlNode gn(ge);
    if (g.grantee.kind == Grantee::Kind::kGroup) {
      ge.append_attribute("xsi:type") = "Group";
      gn.add("URI", g.grantee.uri);
    } else {
      ge.append_attribute("xsi:type") = "CanonicalUser";
      gn.add("ID", g.grantee.id);
    }
    XmlNode(grant).add("Permission", perm_name(g.perm));
  }
  return doc.str();
}

bool acl_is_public(const Acl& acl) {
  for (auto& g : acl.grants) {
    if (g.grantee.kind == Grantee::Kind::kGroup && (g.grantee.uri == kAllUsers || g.grantee.uri == kAuthenticatedUsers))
      return true;
  }
  return false;
}

bool acl_grants(const Acl& acl, unsigned need, const Requester& who, bool ignore_public) {
  unsigned have = 0;
  for (auto& g : acl.grants) {
    const auto& ge = g.grantee;
    bool match = false;
    if (ge.kind == Grantee::Kind::kUser) {
      match = !who.anonymous && ge.id == who.canonical_id;
    } else if (ge.kind == Grantee::Kind::kGroup && !ignore_public) {
      match = ge.uri == kAllUsers || (ge.uri == kAuthenticatedUsers && !who.anonymous);
    }
    if (match) have |= g.perm;
  }
  return (have & need) == need;
}

std::optional<Ownership> ownership_from_name(std::string_view n) {
  if (n == "BucketOwnerEnforced") return Ownership::kBucketOwnerEnforced;
  if (n == "BucketOwnerPreferred") return Ownership::kBucketOwnerPreferred;
  if (n == "ObjectWriter") return Ownership::kObjectWriter;
  return std::nullopt;
}

const char* ownership_name(Ownership o) {
  switch (o) {
    case Ownership::kBucketOwnerEnforced: return "BucketOwnerEnforced";
    case Ownership::kBucketOwnerPreferred: return "BucketOwnerPreferred";
    case Ownership::kObjectWriter: return "ObjectWriter";
  }
  return "ObjectWriter";
}

std::string PublicAccessBlock::to_json() const {
  return json{{"bpa", block_public_acls}, {"ipa", ignore_public_acls}, {"bpp", block_public_policy},
              {"rpb", restrict_public_buckets}}
      .dump();
}

std::optional<PublicAccessBlock> PublicAccessBlock::from_json(const std::string& s) {
  json j = json::parse(s, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  return PublicAccessBlock{j.value("bpa", false), j.value("ipa", false), j.value("bpp", false), j.value("rpb", false)};
}

}  // namespace localaws::s3
