// Plain HTTP(S) transport over cpp-httplib. HTTPS verifies the server certificate against the
// system CA store; nothing here knows about AWS.
#pragma once
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>

#include "aws/sigv4.h"

namespace aws {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;
  int port = 0;
  std::string base_path;  // "" or "/prefix" (an endpoint may carry a path)
  // REQUIRES: "http(s)://host[:port][/path]"; throws std::invalid_argument otherwise.
  static Url parse(const std::string& url);
  bool default_port() const { return port == (scheme == "https" ? 443 : 80); }
  std::string host_header() const { return default_port() ? host : host + ":" + std::to_string(port); }
  std::string origin() const { return scheme + "://" + host_header(); }
};

struct HttpRequest {
  std::string method;
  std::string target;  // path and query as sent on the wire
  Pairs headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

struct Timeouts {
  std::chrono::milliseconds connect{3000};
  std::chrono::milliseconds read{30000};
};

// The request never got an answer (DNS, connect, TLS, timeout).
struct TransportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

HttpResponse http_send(const Url& origin, const HttpRequest& req, const Timeouts& timeouts, const std::string& ca_file);

}  // namespace aws
