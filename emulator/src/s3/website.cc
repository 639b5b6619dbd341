#include "s3/website.h"

#include "common/strings.h"
#include "s3/xml.h"

namespace localaws::s3 {

namespace {
WebsiteRedirect read_redirect(pugi::xml_node n) {
  WebsiteRedirect r;
  r.host = child_text(n, "HostName").value_or("");
  r.protocol = child_text(n, "Protocol").value_or("");
  r.code = child_text(n, "HttpRedirectCode").value_or("");
  if (auto p = child_text(n, "ReplaceKeyPrefixWith")) r.replace_prefix = *p, r.has_replace_prefix = true;
  r.replace_key = child_text(n, "ReplaceKeyWith").value_or("");
  return r;
}
}  // namespace

std::optional<WebsiteConfig> parse_website(std::string_view xml, std::string& message) {
  pugi::xml_document doc;
  message = "The XML you provided was not well-formed or did not validate against our published schema";
  if (!parse_xml(xml, doc) || std::string(doc.document_element().name()) != "WebsiteConfiguration") return std::nullopt;
  auto root = doc.document_element();
  WebsiteConfig w;
  if (auto all = root.child("RedirectAllRequestsTo")) {
    w.redirect_all = read_redirect(all);
    if (w.redirect_all->host.empty()) return std::nullopt;
    return w;
  }
  w.index_suffix = child_text(root.child("IndexDocument"), "Suffix").value_or("");
  if (w.index_suffix.empty() || w.index_suffix.find('/') != std::string::npos) {
    message = "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty";
    return std::nullopt;
  }
  w.error_key = child_text(root.child("ErrorDocument"), "Key").value_or("");
  for (auto r : root.child("RoutingRules").children("RoutingRule")) {
    RoutingRule rule;
    rule.key_prefix = child_text(r.child("Condition"), "KeyPrefixEquals").value_or("");
    rule.error_code = child_text(r.child("Condition"), "HttpErrorCodeReturnedEquals").value_or("");
    if (!r.child("Redirect")) return std::nullopt;
    rule.redirect = read_redirect(r.child("Redirect"));
    w.rules.push_back(rule);
  }
  return w;
}

std::optional<WebsiteJump> route_website(const WebsiteConfig& w, const std::string& key, int status,
                                         const std::string& request_host) {
  auto jump = [&](const WebsiteRedirect& r, const std::string& new_key) {
    std::string proto = r.protocol.empty() ? "http" : r.protocol;
    WebsiteJump j{proto + "://" + (r.host.empty() ? request_host : r.host) + "/" + new_key, 301};
    if (!r.code.empty()) j.status = std::atoi(r.code.c_str());
    return j;
  };
  if (w.redirect_all) return status == 0 ? std::optional(jump(*w.redirect_all, key)) : std::nullopt;
  for (auto& rule : w.rules) {
    if (!starts_with(key, rule.key_prefix)) continue;
    bool on_error = !rule.error_code.empty();
    if (on_error != (status != 0)) continue;
    if (on_error && rule.error_code != std::to_string(status)) continue;
    const auto& r = rule.redirect;
    std::string new_key = key;
    if (!r.replace_key.empty()) new_key = r.replace_key;
    else if (r.has_replace_prefix) new_key = r.replace_prefix + key.substr(rule.key_prefix.size());
    return jump(r, new_key);
  }
  return std::nullopt;
}

std::string website_bucket(std::string_view host, bool& path_form) {
  path_form = false;
  std::string h = to_lower(host);
  if (auto colon = h.rfind(':'); colon != std::string::npos) h.resize(colon);
  auto p = h.find("s3-website");
  if (p == std::string::npos) return "";
  if (p == 0) {
    path_form = true;
    return "";
  }
  if (h[p - 1] != '.') return "";
  return h.substr(0, p - 1);
}

}  // namespace localaws::s3
