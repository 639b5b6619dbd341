// A thin layer over pugixml for S3's XML: building result documents and reading request bodies.
#pragma once
#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace localaws::s3 {

inline constexpr const char* kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

// A node being built: add() appends a child element with text and returns the parent for chaining;
// child() appends and returns the new element.
class XmlNode {
 public:
  explicit XmlNode(pugi::xml_node n) : n_(n) {}
  XmlNode& add(std::string_view name, std::string_view text);
  XmlNode& add(std::string_view name, uint64_t v) { return add(name, std::to_string(v)); }
  XmlNode& add_bool(std::string_view name, bool v) { return add(name, v ? "true" : "false"); }
  XmlNode child(std::string_view name);

 private:
  pugi::xml_node n_;
};

class XmlDoc {
 public:
  explicit XmlDoc(std::string_view root_name, bool with_namespace = true);
  std::string str() const;  // with the <?xml ...?> declaration, no indentation (as S3 sends)
  pugi::xml_document doc;
  XmlNode root;
};

// A result document written straight into a string, for long listings (a DOM costs more than the
// rest of a listing entry). Writes exactly what XmlDoc::str() writes for the same calls: the
// declaration and a newline, pugixml's raw format, its escaping (&amp; &lt; &gt;, control
// characters as &#NN;), empty elements as <Name/>.
class XmlOut {
 public:
  explicit XmlOut(std::string_view root_name, bool with_namespace = true);
  XmlOut& add(std::string_view name, std::string_view text);
  XmlOut& add(std::string_view name, uint64_t v) { return add(name, std::to_string(v)); }
  XmlOut& add_bool(std::string_view name, bool v) { return add(name, v ? "true" : "false"); }
  XmlOut& open(std::string_view name);   // <name>
  XmlOut& close(std::string_view name);  // </name>
  std::string finish();                  // closes the root; REQUIRES: every open() closed
  void reserve(size_t n) { out_.reserve(n); }

 private:
  std::string out_;
  std::string root_;
};

// Parses a request body. Returns false when it is not well-formed XML.
bool parse_xml(std::string_view body, pugi::xml_document& out);
// Text of a direct child element, or nullopt when absent.
std::optional<std::string> child_text(pugi::xml_node n, const char* name);

// The request id's companion x-amz-id-2 value (opaque, base64 as S3's).
std::string host_id_for(const std::string& request_id);

}  // namespace localaws::s3
