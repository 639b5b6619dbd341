// The application side of the transport: turns what the transport received into our http::Request
// (exactly as sent, see transport.h), calls the one pipeline (pipeline/serve.h), returns its response.
#include "server/server.h"

#include <httplib.h>
#include <sys/resource.h>

#include <strings.h>

#include <algorithm>
#include <cstring>
#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "common/log.h"
#include "pipeline/serve.h"
#include "server/tls_front.h"
#include "server/transport.h"

namespace localaws {

namespace {

// What req.body holds: the transport owns the body on the wire, and auth may replace req.body
// (DynamoDB's JSON is read whole into a StringBody) while the transport still asks afterwards
// whether the wire was drained, so it must not die with req.body.
class BorrowedBody : public http::Body {
 public:
  explicit BorrowedBody(http::Body& body) : body_(body) {}
  std::optional<http::BodyError> read(const http::Sink& sink) override {
    consumed_ = true;
    return body_.read(sink);
  }
  std::optional<uint64_t> length() const override { return body_.length(); }
  const std::map<std::string, std::string>& trailers() const override { return body_.trailers(); }

 private:
  http::Body& body_;
};

// The request as sent (the transport kept it), with its body.
http::Request to_request(const RawRequest& raw, std::unique_ptr<http::Body> body) {
  // A request line in absolute form ("PUT http://b.s3.localhost:4566/k HTTP/1.1", as sent to a
  // proxy) names the same resource as its origin form "/k" (RFC 9112 3.2.2); SigV4 signs the latter.
  std::string target = raw.target;
  for (const char* scheme : {"http://", "https://"}) {
    if (target.size() > strlen(scheme) && strncasecmp(target.c_str(), scheme, strlen(scheme)) == 0) {
      size_t slash = target.find_first_of("/?", strlen(scheme));
      target = slash == std::string::npos ? "/" : target[slash] == '?' ? "/" + target.substr(slash) : target.substr(slash);
    }
  }
  http::Request r = http::make_request(raw.method, std::move(target), raw.headers, std::move(body));
  r.remote_addr = raw.remote_addr;
  r.secure = raw.secure;
  return r;
}

// Raises the soft open-file limit to the hard one (each connection is a descriptor); returns it.
uint64_t raise_open_file_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
  if (rl.rlim_cur < rl.rlim_max) {
    rlimit want = rl;
    want.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &want) == 0) rl = want;
  }
  return rl.rlim_cur == RLIM_INFINITY ? 1u << 20 : static_cast<uint64_t>(rl.rlim_cur);
}

}  // namespace

Server::Server(Config config) : rt_(std::make_unique<Runtime>(std::move(config))) {
  http_ = std::make_unique<TunedHttpServer>();
  install_routes();
  auto& cfg = rt_->config;
  if (cfg.tls || cfg.tls_port >= 0) {
    tls::Material m = tls::prepare(cfg, (std::filesystem::path(rt_->data_root) / "tls").string());
    tls_ca_path_ = m.ca_path;
    auto* transport = static_cast<TunedHttpServer*>(http_.get());
    size_t max_conns = cfg.max_connections > 0 ? static_cast<size_t>(cfg.max_connections) : 10000;
    tls_ = std::make_unique<TlsFront>(m, cfg.header_timeout_s * 1000, max_conns,
                                      [transport](int fd, const std::string& from) { transport->adopt(fd, from); });
  }
}

Server::~Server() { stop(); }

namespace {
std::string url(const std::string& scheme, std::string host, int port) {
  if (host == "0.0.0.0" || host == "::" || host.empty()) host = "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return scheme + "://" + host + ":" + std::to_string(port);
}
}  // namespace

std::string Server::endpoint() const { return endpoints().front(); }

std::vector<std::string> Server::endpoints() const {
  const std::string& host = rt_->config.host;
  if (tls_port_ == port_) return {url("https", host, port_)};
  std::vector<std::string> out = {url("http", host, port_)};
  if (tls_) out.push_back(url("https", host, tls_port_));
  return out;
}

bool Server::bind() {
  auto& c = rt_->config;
  // With --tls the HTTP listener is the TLS front's private back end: a free loopback port no one
  // is told of (relayed connections reach the transport through socketpairs, not through it).
  bool https_only = c.tls && c.tls_port < 0;
  std::string host = https_only ? "127.0.0.1" : c.host;
  int port = https_only ? 0 : c.port;
  int bound = port;
  if (port == 0) {
    bound = http_->bind_to_any_port(host);
    if (bound <= 0) return false;
  } else if (!http_->bind_to_port(host, port)) {
    return false;
  }
  static_cast<TunedHttpServer&>(*http_).raise_backlog(1024);
  port_ = bound;
  if (tls_) {
    tls_port_ = tls_->bind(c.host, https_only ? c.port : c.tls_port);
    if (tls_port_ < 0) return false;
    if (https_only) port_ = tls_port_;
    tls_->start();
  }
  return true;
}

void Server::run() { static_cast<TunedHttpServer&>(*http_).serve(); }

void Server::start() {
  thread_ = std::thread([this] { run(); });
  // Wait until the accept loop runs so callers can connect at once.
  for (int i = 0; i < 2000 && !http_->is_running(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void Server::stop() {
  if (tls_) tls_->stop_accepting();  // relayed connections end with their transport side
  if (http_) {
    http_->stop();
    static_cast<TunedHttpServer&>(*http_).begin_stop();
  }
  if (thread_.joinable()) thread_.join();
  if (tls_) tls_->finish(2000);
}

size_t Server::open_connections() const { return static_cast<const TunedHttpServer&>(*http_).open_connections(); }

void Server::install_routes() {
  auto& s = static_cast<TunedHttpServer&>(*http_);
  auto& cfg = rt_->config;
  // See DESIGN.md: without TCP_NODELAY every response stalls ~40 ms (Nagle + delayed ACK).
  s.set_tcp_nodelay(true);
  TransportOptions opt;
  opt.workers = cfg.threads > 0 ? static_cast<size_t>(cfg.threads) : 64;
  uint64_t files = raise_open_file_limit();
  uint64_t fit = files > 512 ? files - 256 : files / 2;  // room for blobs, the database, logs
  opt.max_connections = cfg.max_connections > 0 ? static_cast<size_t>(cfg.max_connections)
                                                : static_cast<size_t>(std::min<uint64_t>(10000, fit));
  opt.header_timeout_ms = cfg.header_timeout_s * 1000;
  opt.idle_timeout_ms = cfg.idle_timeout_s * 1000;
  s.configure(opt);

  RequestHandlers h;
  h.serve = [this](const RawRequest& raw, http::Body& wire) {
    http::Request req = to_request(raw, std::make_unique<BorrowedBody>(wire));
    return serve(*rt_, req);
  };
  // Expect: 100-continue: nullopt (100) when the request will be served, else its final response
  // at once, without the body.
  h.expect = [this](const RawRequest& raw) {
    http::Request req = to_request(raw, nullptr);
    return serve_expect(*rt_, req);
  };
  s.set_handlers(std::move(h));
}

}  // namespace localaws
