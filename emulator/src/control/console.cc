#include "control/console.h"

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

}  // namespace localaws::control
