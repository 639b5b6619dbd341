#include "s3/xml.h"

#include <sstream>

#include "common/crypto.h"

namespace localaws::s3 {

XmlNode& XmlNode::add(std::string_view name, std::string_view text) {
  auto c = n_.append_child(std::string(name).c_str());
  if (!text.empty()) c.append_child(pugi::node_pcdata).set_value(std::string(text).c_str());
  return *this;
}

XmlNode XmlNode::child(std::string_view name) { return XmlNode(n_.append_child(std::string(name).c_str())); }

XmlDoc::XmlDoc(std::string_view root_name, bool with_namespace) : root(pugi::xml_node()) {
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto r = doc.append_child(std::string(root_name).c_str());
  if (with_namespace) r.append_attribute("xmlns") = kS3Namespace;
  root = XmlNode(r);
}

std::string XmlDoc::str() const {
  std::ostringstream os;
  doc.save(os, "", pugi::format_raw, pugi::encoding_utf8);
  std::string s = os.str();
  // pugixml writes the declaration and root on one line; S3 puts a newline after the declaration.
  auto p = s.find("?>");
  if (p != std::string::npos && s.compare(p + 2, 1, "\n") != 0) s.insert(p + 2, "\n");
  return s;
}

bool parse_xml(std::string_view body, pugi::xml_document& out) {
  auto r = out.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
  return static_cast<bool>(r) && out.document_element();
}

std::optional<std::string> child_text(pugi::xml_node n, const char* name) {
  auto c = n.child(name);
  if (!c) return std::nullopt;
  return std::string(c.text().get());
}

std::string host_id_for(const std::string& request_id) {
  return base64_encode(sha256_hex("localaws-host:" + request_id).substr(0, 48));
}

}  // namespace localaws::s3
