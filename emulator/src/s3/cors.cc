#include "s3/cors.h"

#include "common/strings.h"
#include "s3/policy.h"
#include "s3/xml.h"

namespace localaws::s3 {

namespace {
std::vector<std::string> texts(pugi::xml_node n, const char* name) {
  std::vector<std::string> out;
  for (auto c : n.children(name)) out.push_back(trim(c.text().as_string()));
  return out;
}
}  // namespace

std::optional<std::vector<CorsRule>> parse_cors(std::string_view xml, std::string& code, std::string& message) {
  pugi::xml_document doc;
  code = "MalformedXML";
  message = "";
  if (!parse_xml(xml, doc) || std::string(doc.document_element().name()) != "CORSConfiguration") return std::nullopt;
  std::vector<CorsRule> rules;
  for (auto r : doc.document_element().children("CORSRule")) {
    CorsRule rule;
    rule.id = child_text(r, "ID").value_or("");
    rule.origins = texts(r, "AllowedOrigin");
    rule.methods = texts(r, "AllowedMethod");
    rule.headers = texts(r, "AllowedHeader");
    rule.expose = texts(r, "ExposeHeader");
    if (auto m = child_text(r, "MaxAgeSeconds")) {
      auto v = parse_u64(trim(*m));
      if (!v) return std::nullopt;
      rule.max_age = static_cast<int>(*v);
    }
    if (rule.origins.empty() || rule.methods.empty()) return std::nullopt;
    for (auto& m : rule.methods) {
      if (m != "GET" && m != "PUT" && m != "HEAD" && m != "POST" && m != "DELETE") {
        code = "InvalidRequest";
        message = "Found unsupported HTTP method in CORS config. Unsupported method is " + m;
        return std::nullopt;
      }
    }
    rules.push_back(rule);
  }
  if (rules.empty() || rules.size() > 100) return std::nullopt;
  return rules;
}

std::string cors_xml(const std::vector<CorsRule>& rules) {
  XmlDoc doc("CORSConfiguration");
  for (auto& r : rules) {
    auto n = doc.root.child("CORSRule");
    if (!r.id.empty()) n.add("ID", r.id);
    for (auto& v : r.headers) n.add("AllowedHeader", v);
    for (auto& v : r.methods) n.add("AllowedMethod", v);
    for (auto& v : r.origins) n.add("AllowedOrigin", v);
    for (auto& v : r.expose) n.add("ExposeHeader", v);
    if (r.max_age) n.add("MaxAgeSeconds", static_cast<uint64_t>(*r.max_age));
  }
  return doc.str();
}

const CorsRule* match_cors(const std::vector<CorsRule>& rules, std::string_view origin, std::string_view method,
                           std::string_view request_headers) {
  for (auto& r : rules) {
    bool o = false, m = false, h = true;
    for (auto& p : r.origins) o = o || wildcard_match(p, origin, false);
    for (auto& x : r.methods) m = m || x == method;
    for (auto& want : split(std::string(request_headers), ',')) {
      std::string w = to_lower(trim(want));
      if (w.empty()) continue;
      bool allowed = false;
      for (auto& p : r.headers) allowed = allowed || wildcard_match(to_lower(p), w, false);
      h = h && allowed;
    }
    if (o && m && h) return &r;
  }
  return nullptr;
}

}  // namespace localaws::s3
