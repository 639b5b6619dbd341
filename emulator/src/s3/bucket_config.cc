// Helpers the bucket subresource families share (logging, notification, replication, analytics,
// inventory, metrics, intelligent tiering): parsing a configuration document and storing the
// validated document in one normal form that Get answers with.
#include "common/crypto.h"
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {
constexpr const char* kXsi = "http://www.w3.org/2001/XMLSchema-instance";

// Every element with an xsi:type attribute declares the xsi prefix itself, so a copied subtree
// stays well-formed wherever the client declared it.
void declare_xsi(pugi::xml_node n) {
  for (auto c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    if (c.attribute("xsi:type") && !c.attribute("xmlns:xsi")) c.prepend_attribute("xmlns:xsi") = kXsi;
    declare_xsi(c);
  }
}
}  // namespace

pugi::xml_node config_body(pugi::xml_document& doc, const std::string& body, const char* root) {
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != root) throw S3Error("MalformedXML");
  return doc.document_element();
}

std::string stored_config(pugi::xml_node root) {
  XmlDoc out(root.name());
  auto r = out.doc.document_element();
  for (auto c : root.children()) {
    if (c.type() == pugi::node_element) r.append_copy(c);
  }
  declare_xsi(r);
  return out.str();
}

void reply_stored(Ctx& c, const std::string& xml) {
  c.res.status = 200;
  c.res.body = xml;
  c.res.set_header("Content-Type", "application/xml");
}

std::optional<std::string> s3_bucket_arn(const std::string& arn) {
  constexpr std::string_view kPrefix = "arn:aws:s3:::";
  if (arn.size() <= kPrefix.size() || arn.compare(0, kPrefix.size(), kPrefix) != 0) return std::nullopt;
  std::string name = arn.substr(kPrefix.size());
  if (name.find('/') != std::string::npos) return std::nullopt;
  return name;
}

std::string random_rule_id() { return base64_encode(random_hex(18)); }

}  // namespace localaws::s3
