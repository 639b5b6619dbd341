// Put/Get/DeleteObjectTagging, and the Tagging document both object and bucket tagging read and write.
#include <cctype>

#include "common/strings.h"
#include "http/body.h"
#include "s3/handlers.h"
#include "s3/policy_request.h"

namespace localaws::s3 {

Pairs parse_tagging_xml(std::string_view body) {
  pugi::xml_document doc;
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != "Tagging") throw S3Error("MalformedXML");
  auto set = doc.document_element().child("TagSet");
  if (!set) throw S3Error("MalformedXML");
  Pairs tags;
  for (auto tag : set.children("Tag")) {
    auto k = child_text(tag, "Key");
    auto v = child_text(tag, "Value");
    if (!k || !v) throw S3Error("MalformedXML");
    tags.emplace_back(*k, *v);
  }
  return tags;
}

XmlDoc tagging_xml(const Pairs& tags) {
  XmlDoc doc("Tagging");
  auto set = doc.root.child("TagSet");
  for (auto& [k, v] : tags) set.child("Tag").add("Key", k).add("Value", v);
  return doc;
}

namespace {
size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}
}  // namespace

// Bucket tags as PutBucketTagging checks them: each tag in order (the first bad one answers),
// then the count. Lengths count characters (AWS: "128 Unicode characters in UTF-8").
void validate_bucket_tags(const Pairs& tags) {
  for (size_t i = 0; i < tags.size(); i++) {
    auto& [k, v] = tags[i];
    if (k.empty() || utf8_chars(k) > 128 || !valid_utf8(k))
      throw S3Error("InvalidTag", "The TagKey you have provided is invalid").with("TagKey", k);
    if (utf8_chars(v) > 256 || !valid_utf8(v))
      throw S3Error("InvalidTag", "The TagValue you have provided is invalid").with("TagKey", k).with("TagValue", v);
    // "aws:" is the system tags' prefix (AWS's answer as users reported it, e.g. cloud-custodian#370).
    if (starts_with(to_lower(k), "aws:")) throw S3Error("InvalidTag", "Your TagKey cannot be prefixed with aws:");
    for (size_t j = 0; j < i; j++) {
      if (tags[j].first == k)
        throw S3Error("InvalidTag", "Cannot provide multiple Tags with the same key").with("TagKey", k);
    }
  }
  if (tags.size() > 50) throw S3Error("BadRequest", "Bucket tag count cannot be greater than 50");
}

namespace {
// The characters AWS tags allow: letters (any non-ASCII UTF-8 counts as one), digits, space and
// + - = . _ : / @.
bool tag_chars(std::string_view s) {
  for (unsigned char ch : s) {
    if (ch >= 0x80 || std::isalnum(ch)) continue;
    if (std::string_view(" +-=._:/@").find(static_cast<char>(ch)) == std::string_view::npos) return false;
  }
  return true;
}

// The tag set of PutObjectTagging as S3 checks it, naming the tag at fault as AWS does: TagKey
// for a bad or repeated key, TagKey and TagValue for a bad value.
void validate_object_tags(const Pairs& tags) {
  if (tags.size() > 10) throw S3Error("BadRequest", "Object tags cannot be greater than 10");
  for (size_t i = 0; i < tags.size(); i++) {
    auto& [k, v] = tags[i];
    if (k.empty() || utf8_chars(k) > 128) throw S3Error("InvalidTag", "The TagKey you have provided is invalid");
    if (!valid_utf8(k) || !tag_chars(k))
      throw S3Error("InvalidTag", "The TagKey you have provided is invalid").with("TagKey", k);
    if (utf8_chars(v) > 256) throw S3Error("InvalidTag", "The TagValue you have provided is too long, max 256");
    if (!valid_utf8(v) || !tag_chars(v))
      throw S3Error("InvalidTag", "The TagValue you have provided is invalid").with("TagKey", k).with("TagValue", v);
    for (size_t j = 0; j < i; j++) {
      if (tags[j].first == k)
        throw S3Error("InvalidTag", "Cannot provide multiple Tags with the same key").with("TagKey", k);
    }
  }
}
}  // namespace

void put_object_tagging(Ctx& c) {
  Pairs tags = parse_tagging_xml(read_small_body(c, 64 * 1024));
  validate_object_tags(tags);
  // The policy sees the tags the body sets (s3:RequestObjectTag/<key>, s3:RequestObjectTagKeys).
  if (!authorize_with(c, c.op, c.obj ? &*c.obj : nullptr, request_tag_keys(tags))) throw S3Error("AccessDenied");
  const Object& o = loaded_object(c);
  // ---- checks end ----
  raise(c.store().set_tags(c.bucket, c.key, o.version_id, tags), c);
  version_header(c, o, c.res);
}

void get_object_tagging(Ctx& c) {
  const Object& o = loaded_object(c);
  version_header(c, o, c.res);
  reply_xml(c, tagging_xml(o.meta.tags));
}

void delete_object_tagging(Ctx& c) {
  const Object& o = loaded_object(c);
  raise(c.store().set_tags(c.bucket, c.key, o.version_id, {}), c);
  version_header(c, o, c.res);
  c.res.status = 204;
}

}  // namespace localaws::s3
