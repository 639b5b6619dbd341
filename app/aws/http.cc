#include "aws/http.h"

#include <httplib.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

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

namespace {

// Idle keep-alive connections per origin, so a call does not pay a new TCP (and TLS) handshake.
// A client is used by one thread at a time: taken out of the pool, given back after a success.
class Pool {
 public:
  std::unique_ptr<httplib::Client> take(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& v = idle_[key];
    if (v.empty()) return nullptr;
    auto c = std::move(v.back());
    v.pop_back();
    return c;
  }
  void give(const std::string& key, std::unique_ptr<httplib::Client> c) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& v = idle_[key];
    if (v.size() < kMaxIdle) v.push_back(std::move(c));
  }

 private:
  static constexpr size_t kMaxIdle = 8;
  std::mutex mu_;
  std::map<std::string, std::vector<std::unique_ptr<httplib::Client>>> idle_;
};

Pool& pool() {
  static Pool p;
  return p;
}

std::unique_ptr<httplib::Client> new_client(const Url& origin, const Timeouts& timeouts, const std::string& ca_file) {
  auto c = std::make_unique<httplib::Client>(origin.scheme + "://" + origin.host + ":" + std::to_string(origin.port));
  httplib::Client& cli = *c;
  if (origin.scheme == "https") {
    cli.set_ca_cert_path(ca_file);
    cli.enable_server_certificate_verification(true);
  }
  cli.set_connection_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeouts.connect));
  cli.set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeouts.read));
  cli.set_write_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeouts.read));
  cli.set_decompress(false);  // DynamoDB's X-Amz-Crc32 covers the bytes as sent
  cli.set_keep_alive(true);
  return c;
}

}  // namespace

HttpResponse http_send(const Url& origin, const HttpRequest& req, const Timeouts& timeouts, const std::string& ca_file) {
  std::string key = origin.scheme + "://" + origin.host + ":" + std::to_string(origin.port) + "|" + ca_file + "|" +
                    std::to_string(timeouts.connect.count()) + "|" + std::to_string(timeouts.read.count());
  std::unique_ptr<httplib::Client> client = pool().take(key);
  bool reused = client != nullptr;
  if (!client) client = new_client(origin, timeouts, ca_file);

  httplib::Request r;
  r.method = req.method;
  r.path = req.target;
  for (const auto& [k, v] : req.headers) r.headers.emplace(k, v);
  r.headers.emplace("accept-encoding", "identity");
  r.headers.emplace("user-agent", "coffeeshopranker/0.1");
  r.body = req.body;
  // cpp-httplib sends Content-Length only for bodies it knows; S3 wants it on empty PUTs too.
  if (!r.has_header("content-length")) r.headers.emplace("content-length", std::to_string(req.body.size()));

  auto result = client->send(r);
  if (!result && reused) {
    // The server may have closed the idle connection; one fresh connection decides.
    client = new_client(origin, timeouts, ca_file);
    result = client->send(r);
  }
  httplib::Client& cli = *client;
  if (!result) {  // the client is dropped, not pooled: its connection is in an unknown state
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
  if (out.header("connection") != "close") pool().give(key, std::move(client));
  return out;
}

}  // namespace aws
