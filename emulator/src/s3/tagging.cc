// Put/Get/DeleteObjectTagging.
#include "http/body.h"
#include "s3/handlers.h"

namespace localaws::s3 {

void put_object_tagging(Ctx& c) {
  std::string body = read_small_body(c, 64 * 1024);
  pugi::xml_document doc;
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != "Tagging") throw S3Error("MalformedXML");
  Pairs tags;
  for (auto tag : doc.document_element().child("TagSet").children("Tag")) {
    auto k = child_text(tag, "Key");
    auto v = child_text(tag, "Value");
    if (!k || !v) throw S3Error("MalformedXML");
    tags.emplace_back(*k, *v);
  }
  validate_tags(tags);
  const Object& o = loaded_object(c);
  // ---- checks end ----
  raise(c.store().set_tags(c.bucket, c.key, o.version_id, tags), c);
  version_header(c, o, c.res);
}

void get_object_tagging(Ctx& c) {
  const Object& o = loaded_object(c);
  XmlDoc doc("Tagging");
  auto set = doc.root.child("TagSet");
  for (auto& [k, v] : o.meta.tags) set.child("Tag").add("Key", k).add("Value", v);
  version_header(c, o, c.res);
  reply_xml(c, doc);
}

void delete_object_tagging(Ctx& c) {
  const Object& o = loaded_object(c);
  raise(c.store().set_tags(c.bucket, c.key, o.version_id, {}), c);
  version_header(c, o, c.res);
  c.res.status = 204;
}

}  // namespace localaws::s3
