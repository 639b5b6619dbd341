#include "aws/http.h"

#include <httplib.h>

#include <algorithm>

namespace aws {

Url Url::parse(const std::string& url) {
  Url u;
  size_t p = url.find("://");
  if (p == std::string::npos) throw std::invalid_argument("not a URL: " + url);
  u.scheme = url.substr(0, p);
  std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if (u.scheme != "http" && u.scheme != "https") throw std::invalid_argument("only http and https URLs: " + url);
  std::string rest = url.substr(p + 3);
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  if (slash != std::string::npos) u.base_path = rest.substr(slash);
  while (!u.base_path.empty() && u.base_path.back() == '/') u.base_path.pop_back();
  u.port = u.scheme == "https" ? 443 : 80;
  size_t colon = hostport.rfind(':');
  if (colon != std::string::npos && hostport.find(']', colon) == std::string::npos) {
    std::string port = hostport.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit))
      throw std::invalid_argument("bad port in URL: " + url);
    u.port = std::stoi(port);
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty()) throw std::invalid_argument("no host in URL: " + url);
  u.host = hostport;
  return u;
}

HttpResponse http_send(const Url& origin, const HttpRequest& req, const Timeouts& timeouts, const std::string& ca_file) {
  // One client per request keeps this thread-safe without a pool; the app's call rate is low.
  httplib::Client cli(origin.scheme + "://" + origin.host + ":" + std::to_string(origin.port));
  if (origin.scheme == "https") {
    cli.set_ca_cert_path(ca_file);
    cli.enable_server_certificate_verification(true);
  }
  cli.set_connection_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeouts.connect));
  cli.set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeouts.read));
  cli.set_write_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeouts.read));
  cli.set_decompress(false);  // DynamoDB's X-Amz-Crc32 covers the bytes as sent
  cli.set_keep_alive(false);

  httplib::Request r;
  r.method = req.method;
  r.path = req.target;
  for (const auto& [k, v] : req.headers) r.headers.emplace(k, v);
  r.headers.emplace("accept-encoding", "identity");
  r.headers.emplace("user-agent", "coffeeshopranker/0.1");
  r.body = req.body;
  // cpp-httplib sends Content-Length only for bodies it knows; S3 wants it on empty PUTs too.
  if (!r.has_header("content-length")) r.headers.emplace("content-length", std::to_string(req.body.size()));

  auto result = cli.send(r);
  if (!result) {
    std::string why = httplib::to_string(result.error());
    if (origin.scheme == "https") {
      auto verify = cli.get_openssl_verify_result();
      if (verify) why += " (certificate verification: " + std::string(X509_verify_cert_error_string(verify)) + ")";
    }
    throw TransportError(req.method + " " + origin.origin() + ": " + why);
  }
  HttpResponse out;
  out.status = result->status;
  for (const auto& [k, v] : result->headers) {
    std::string name = k;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    out.headers[name] = v;
  }
  out.body = std::move(result->body);
  return out;
}

}  // namespace aws
