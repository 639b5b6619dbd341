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

XmlOut::XmlOut(std::string_view root_name, bool with_namespace) : root_(root_name) {
  out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<";
  out_ += root_name;
  if (with_namespace) out_.append(" xmlns=\"").append(kS3Namespace).append("\"");
  out_ += '>';
}

XmlOut& XmlOut::add(std::string_view name, std::string_view text) {
  out_ += '<';
  out_ += name;
  if (text.empty()) {
    out_ += "/>";
    return *this;
  }
  out_ += '>';
  size_t run = 0;  // start of the characters not yet copied (copied in runs, not one by one)
  for (size_t i = 0; i < text.size(); i++) {
    auto u = static_cast<unsigned char>(text[i]);
    if (u >= 32 && u != '&' && u != '<' && u != '>') continue;
    if (u == '\t' || u == '\n' || u == '\r') continue;
    out_.append(text.data() + run, i - run);
    run = i + 1;
    if (u == '&') out_ += "&amp;";
    else if (u == '<') out_ += "&lt;";
    else if (u == '>') out_ += "&gt;";
    else {
      char buf[5] = {'&', '#', static_cast<char>('0' + u / 10), static_cast<char>('0' + u % 10), ';'};
      out_.append(buf, 5);
    }
  }
  out_.append(text.data() + run, text.size() - run);
  out_ += "</";
  out_ += name;
  out_ += '>';
  return *this;
}

XmlOut& XmlOut::open(std::string_view name) {
  out_ += '<';
  out_ += name;
  out_ += '>';
  return *this;
}

XmlOut& XmlOut::close(std::string_view name) {
  out_ += "</";
  out_ += name;
  out_ += '>';
  return *this;
}

std::string XmlOut::finish() {
  close(root_);
  return std::move(out_);
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
  // 48 pseudo-random bytes that only depend on the request id (the access log repeats them), as
  // base64 like S3's x-amz-id-2: FNV-1a of the id seeds splitmix64 (it needs to look random and
  // be stable, not to be secret).
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : request_id) h = (h ^ c) * 1099511628211ull;
  std::string raw;
  raw.reserve(48);
  for (int i = 0; i < 6; i++) {
    uint64_t z = (h += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    for (int b = 0; b < 8; b++) raw.push_back(static_cast<char>((z >> (8 * b)) & 0xff));
  }
  return base64_encode(raw);
}

}  // namespace localaws::s3
