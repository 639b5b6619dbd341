#include "server/server.h"

#include <httplib.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <filesystem>
#include <set>

#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>

#include "common/crypto.h"
#include "common/log.h"
#include "common/time.h"
#include "control/control.h"
#include "server/transport.h"

namespace localaws {

namespace {


// The body of a request whose handler got cpp-httplib's ContentReader: bytes are pushed to our
// sink as they arrive, never collected.
class ReaderBody : public http::Body {
 public:
  ReaderBody(const httplib::ContentReader& reader, std::optional<uint64_t> length)
      : reader_(reader), length_(length) {}
  std::optional<http::BodyError> read(const http::Sink& sink) override {
    consumed_ = true;
    bool sink_refused = false;
    uint64_t got = 0;
    started_ = true;
    bool ok = reader_([&](const char* data, size_t len) {
      got += len;
      if (!sink(data, len)) {
        sink_refused = true;
        return false;
      }
      return true;
    });
    if (sink_refused) return http::BodyError::aborted();
    complete_ = ok;
    if (!ok || (length_ && got != *length_)) {
      return http::BodyError{400, "IncompleteBody",
                             "You did not provide the number of bytes specified by the Content-Length HTTP header"};
    }
    return std::nullopt;
  }
  std::optional<uint64_t> length() const override { return length_; }
  // Reading began but did not reach the end: what is left on the wire is not a request.
  bool partly_read() const { return started_ && !complete_; }

 private:
  bool started_ = false;
  bool complete_ = false;
  const httplib::ContentReader& reader_;
  std::optional<uint64_t> length_;
};

// What req.body holds when the ReaderBody is owned by the dispatcher: auth may replace req.body
// (DynamoDB's JSON is read whole into a StringBody), and the dispatcher still asks the ReaderBody
// afterwards whether the wire was drained, so it must not die with req.body.
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

// Which request the current worker thread has dispatched; the error handler must not touch our
// own 4xx/5xx responses, only the ones cpp-httplib produced before routing.
thread_local const httplib::Request* t_dispatched = nullptr;

bool is_control_path(const std::string& raw_path) {
  return starts_with(raw_path, "/_localaws/") || raw_path == "/_localaws" ||
         starts_with(raw_path, "/_localstack/");
}

}  // namespace

Server::Server(Config config) : rt_(std::make_unique<Runtime>(std::move(config))) {
  http_ = std::make_unique<TunedHttpServer>();
  install_routes();
}

Server::~Server() {
  stop();
}

std::string Server::endpoint() const {
  std::string host = rt_->config.host;
  if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(port_);
}

bool Server::bind() {
  auto& c = rt_->config;
  if (c.port == 0) {
    port_ = http_->bind_to_any_port(c.host);
    if (port_ <= 0) return false;
  } else {
    if (!http_->bind_to_port(c.host, c.port)) return false;
    port_ = c.port;
  }
  static_cast<TunedHttpServer&>(*http_).raise_backlog(1024);
  return true;
}

void Server::run() { http_->listen_after_bind(); }

void Server::start() {
  thread_ = std::thread([this] { run(); });
  // Wait until the accept loop runs so callers can connect at once.
  for (int i = 0; i < 2000 && !http_->is_running(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void Server::stop() {
  if (http_) {
    http_->stop();
    static_cast<TunedHttpServer&>(*http_).begin_stop();
  }
  if (thread_.joinable()) thread_.join();
}

static http::Request to_request(const httplib::Request& h, const httplib::ContentReader* reader,
                                std::unique_ptr<ReaderBody>& raw) {
  http::Request r;
  r.method = h.method;
  r.target = h.target;
  auto q = r.target.find('?');
  r.raw_path = r.target.substr(0, q);
  if (q != std::string::npos) r.raw_query = r.target.substr(q + 1);
  // A malformed escape in the query keeps the raw text out of the decoded list; services
  // see an empty parameter list and SigV4 still works on the raw query.
  if (auto parsed = parse_query(r.raw_query)) r.query = std::move(*parsed);
  r.headers.reserve(h.headers.size());
  for (auto& [k, v] : h.headers) r.headers.emplace_back(to_lower(k), v);
  r.remote_addr = h.remote_addr;
  r.request_id = random_hex(8);
  for (auto& c : r.request_id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::optional<uint64_t> len;
  if (auto* cl = r.header("content-length")) len = parse_u64(*cl);
  if (reader) {
    raw = std::make_unique<ReaderBody>(*reader, len);
    r.body = std::make_unique<BorrowedBody>(*raw);
  } else {
    r.body = std::make_unique<http::StringBody>(h.body);
  }
  return r;
}

static void write_response(http::Response& res, httplib::Response& out) {
  out.status = res.status;
  std::string content_type;
  bool provider = res.file && !res.omit_body && res.file->length > 0;
  for (auto& [k, v] : res.headers) {
    if (iequals(k, "content-type")) {
      content_type = v;
      if (provider) continue;  // set_content_provider adds it; a second copy would be sent twice
    }
    if (iequals(k, "content-length")) continue;  // computed below
    out.set_header(k, v);
  }
  if (res.close_connection) out.set_header("Connection", "close");
  if (res.file && !res.omit_body && res.file->length > 0) {
    auto slice = res.file;
    out.set_content_provider(
        static_cast<size_t>(slice->length), content_type,
        [slice](size_t offset, size_t length, httplib::DataSink& sink) {
          // Must not throw: cpp-httplib does not catch exceptions from providers.
          char buf[256 * 1024];
          size_t want = std::min(length, sizeof buf);
          int64_t n = slice->file->read_at(slice->offset + offset, buf, want);
          if (n <= 0) return false;
          return sink.write(buf, static_cast<size_t>(n));
        });
    return;
  }
  if (res.omit_body) {
    // HEAD / 304: no body bytes, but the length the full response would have.
    uint64_t len = res.file ? res.file->length : res.body.size();
    if (auto* cl = res.header("content-length")) len = parse_u64(*cl).value_or(len);
    out.set_header("Content-Length", std::to_string(len));
    return;
  }
  if (res.file) {
    out.body.clear();
  } else {
    out.body = std::move(res.body);
  }
}

void Server::install_routes() {
  auto& s = *http_;
  auto& cfg = rt_->config;
  // See DESIGN.md: without TCP_NODELAY every response stalls ~40 ms (Nagle + delayed ACK).
  s.set_tcp_nodelay(true);
  static_cast<TunedHttpServer&>(s).configure(10, 100000, 60, 60);
  // Each keep-alive connection holds a worker thread in cpp-httplib, so the pool must be larger
  // than the number of connections clients keep open (SDK pools default to 10-50).
  size_t threads = cfg.threads > 0 ? static_cast<size_t>(cfg.threads) : 128;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

  auto dispatch = [this](const httplib::Request& hreq, httplib::Response& hres, const httplib::ContentReader* reader) {
    auto t0 = std::chrono::steady_clock::now();
    t_dispatched = &hreq;
    // cpp-httplib would slice the response again by Range and gzip it by Accept-Encoding: S3's
    // range rules are ours and AWS does not compress, so the library must not see either.
    // The raw body is owned here, not by req: auth may replace req.body (see BorrowedBody).
    // Our request is built before the library's view is touched: SigV4 covers Accept-Encoding.
    std::unique_ptr<ReaderBody> raw;
    http::Request req = to_request(hreq, reader, raw);
    auto& mreq = const_cast<httplib::Request&>(hreq);
    mreq.ranges.clear();
    mreq.headers.erase("Accept-Encoding");
    // cpp-httplib parses multipart/form-data bodies itself (and calls a form-part callback we do
    // not give, throwing bad_function_call): S3's POST Object reads the raw stream, so the library
    // must not know the type. req keeps the header.
    if (starts_with(to_lower(hreq.get_header_value("Content-Type")), "multipart/form-data"))
      mreq.headers.erase("Content-Type");
    http::Response res;
    Service* svc = nullptr;
    auth::Principal principal;
    try {
      if (is_control_path(req.raw_path)) {
        control::handle(*rt_, req, res);
      } else {
        const std::string* target = req.header("x-amz-target");
        svc = (target && starts_with(*target, "DynamoDB_20120810.")) ? rt_->dynamodb.get() : rt_->s3.get();
        auto ar = rt_->authenticator->authenticate(req, svc->kind(), now_ms() / 1000);
        principal = ar.principal;
        if (ar.error) {
          res.operation = "Auth";
          svc->render_auth_error(*ar.error, req, res);
        } else {
          svc->handle(req, ar.principal, res);
        }
      }
    } catch (const std::exception& e) {
      log::error("request " + req.request_id + " " + req.method + " " + req.raw_path + " failed: " + e.what());
      res = http::Response{};
      if (svc) svc->render_internal_error(req, res);
      else { res.status = 500; res.body = R"({"error":"InternalError"})"; res.set_header("Content-Type", "application/json"); }
    } catch (...) {
      log::error("request " + req.request_id + " failed with a non-standard exception");
      res = http::Response{};
      if (svc) svc->render_internal_error(req, res);
      else res.status = 500;
    }
    if (svc) {
      try {
        svc->finish(req, res);
      } catch (...) {
      }
    }
    // An unread body would be parsed as the next request: drain small ones, close otherwise.
    if (raw && !raw->consumed()) {
      auto len = raw->length();
      if (len && *len <= (8u << 20)) {
        raw->read([](const char*, size_t) { return true; });
      } else if (len.value_or(0) > 0 || req.has_header("transfer-encoding")) {
        res.close_connection = true;
      }
    }
    if (raw && raw->partly_read()) res.close_connection = true;
    uint64_t sent = res.file ? res.file->length : res.body.size();
    std::string op = res.operation.empty() ? "-" : res.operation;
    int status = res.status;
    write_response(res, hres);
    double latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (svc) {
      rt_->journal.add({now_ms(), req.request_id, principal.anonymous ? "anonymous" : principal.account_id,
                        principal.access_key_id, svc->name(), op, req.method, req.raw_path, status, latency_ms});
    }
    if (rt_->config.access_log && log::level() <= log::Level::kInfo) {
      char buf[64];
      snprintf(buf, sizeof buf, "%.2f", latency_ms);
      log::info(req.method + " " + req.raw_path + " " + (svc ? svc->name() : "control") + "." + op + " " +
                std::to_string(status) + " " + std::to_string(sent) + "B " + buf + "ms " + req.request_id);
    }
  };

  auto plain = [dispatch](const httplib::Request& q, httplib::Response& r) { dispatch(q, r, nullptr); };
  auto with_reader = [dispatch](const httplib::Request& q, httplib::Response& r, const httplib::ContentReader& c) {
    dispatch(q, r, &c);
  };
  // cpp-httplib matches the decoded path, and '.' matches no line break: with ".*" a key holding
  // "\n" or "\r" (valid in S3) found no route and got the library's bare 404.
  const char* any = R"([\s\S]*)";
  s.Get(any, plain);
  s.Options(any, plain);
  s.Post(any, with_reader);
  s.Put(any, with_reader);
  s.Patch(any, with_reader);
  s.Delete(any, with_reader);

  // cpp-httplib answers an unparsable Range header with 416 before routing; S3 ignores such a
  // header and serves the whole object, so GET/HEAD are dispatched here with ranges cleared.
  s.set_error_handler(httplib::Server::HandlerWithResponse([plain](const httplib::Request& req, httplib::Response& res) {
    if (t_dispatched == &req) return httplib::Server::HandlerResponse::Unhandled;
    if (res.status == 416 && (req.method == "GET" || req.method == "HEAD")) {
      res.status = 200;
      plain(req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }));
  s.set_logger([](const httplib::Request&, const httplib::Response&) { t_dispatched = nullptr; });
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content("internal error", "text/plain");
  });
}

}  // namespace localaws
