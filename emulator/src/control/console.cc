#include "control/console.h"

#include "common/strings.h"
#include "s3/router.h"
#include "s3/website.h"

namespace localaws::control {

namespace {

constexpr std::string_view kPrefix = "/_localaws/console";

std::string_view content_type(std::string_view name) {
  auto ends = [&](std::string_view ext) { return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext; };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

void plain(http::Response& res, int status, const std::string& text) {
  res.status = status;
  res.body = text;
  res.set_header("Content-Type", "text/plain; charset=utf-8");
}

}  // namespace

bool is_console_path(std::string_view p) {
  return p == kPrefix || (p.size() > kPrefix.size() && p.substr(0, kPrefix.size() + 1) == "/_localaws/console/");
}

void serve_console(const http::Request& req, http::Response& res) {
  res.operation = "Console";
  if (req.method != "GET" && req.method != "HEAD") {
    res.set_header("Allow", "GET, HEAD");
    return plain(res, 405, "use GET\n");
  }
  std::string_view rest = std::string_view(req.raw_path).substr(kPrefix.size());
  if (!rest.empty()) rest.remove_prefix(1);  // the '/'
  std::string_view name = rest.empty() ? "index.html" : rest;
  for (const auto& f : console_files()) {
    if (f.name != name) continue;
    res.status = 200;
    res.body.assign(f.data);
    res.set_header("Content-Type", std::string(content_type(name)));
    // The files change only with the binary; revalidating on each load keeps an upgraded console fresh.
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Content-Type-Options", "nosniff");
    // Everything the console loads comes from this origin; nothing from the network.
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    res.omit_body = req.method == "HEAD";
    return;
  }
  plain(res, 404, "no console file " + std::string(name) + "\n");
}

bool browser_wants_console(const http::Request& req, std::string_view s3_domain) {
  if (req.method != "GET" && req.method != "HEAD") return false;
  // Any query is an API parameter (ListBuckets' prefix, a presigned URL's X-Amz-Signature or
  // SigV2's Signature/AWSAccessKeyId): only the bare endpoint is a person arriving.
  if (req.raw_path != "/" || !req.raw_query.empty()) return false;
  const std::string* accept = req.header("accept");
  if (!accept || to_lower(*accept).find("text/html") == std::string::npos) return false;
  if (req.has_header("authorization")) return false;
  for (const auto& [name, value] : req.headers) {
    if (starts_with(name, "x-amz-")) return false;
  }
  // bucket.s3.localhost:4566/ is that bucket's listing, bucket.s3-website.localhost:4566/ its site.
  std::string host = req.header_or("host");
  bool website_path_form = false;
  if (!s3::website_bucket(host, website_path_form).empty() || website_path_form) return false;
  return s3::host_bucket(host, s3_domain).empty();
}

void redirect_to_console(const http::Request& req, http::Response& res) {
  res.operation = "ConsoleRedirect";
  res.status = 302;
  res.set_header("Location", "/_localaws/console/");
  // The same URL answers SDKs with XML: caches must key on Accept, and keep no redirect.
  res.set_header("Vary", "Accept, Authorization");
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Type", "text/html; charset=utf-8");
  res.body = "<!doctype html><title>localaws</title><p>localaws is running: "
             "<a href=\"/_localaws/console/\">open the web console</a>.</p>\n";
  res.omit_body = req.method == "HEAD";
}

}  // namespace localaws::control
