// The connection layer. cpp-httplib (the Debian build, 0.11.4, compiled) only binds the listening
// socket and runs the accept loop; everything after accept() is here:
//  - one event-loop thread (epoll) owns every connection that is not inside a request: idle
//    keep-alive connections and requests whose header block is still arriving cost no worker;
//    the header block has one deadline for the whole block and a size cap;
//  - a complete header block goes to a worker, which frames the body (Content-Length or chunked,
//    http1.h), answers Expect: 100-continue, hands the request exactly as sent (target, every
//    header name and value, in order: RawRequest) with its body as a stream to the application's
//    handler, and writes the response (a file slice streamed from disk);
//  - the number of open connections is bounded; past the bound a connection gets a 503 at once;
//  - the listening socket is bound exclusively (no SO_REUSEPORT: two servers never share a port).
#pragma once
#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/body.h"
#include "http/response.h"
#include "server/worker_pool.h"

namespace localaws {

struct TransportOptions {
  size_t workers = 64;                  // requests handled at once
  size_t max_connections = 10000;       // open connections, idle ones included
  int idle_timeout_ms = 60000;          // keep-alive connection with no request started
  int header_timeout_ms = 20000;        // first byte of a request to the end of its header block
  size_t max_header_bytes = 64 * 1024;  // request line + headers
  int io_timeout_s = 60;                // one read or write inside a request (body, response)
};

// One request as it arrived: what the adapter builds our http::Request from.
struct RawRequest {
  std::string method;
  std::string target;  // exactly as sent
  std::string version;
  std::vector<std::pair<std::string, std::string>> headers;  // names and values as sent, in order
  bool secure = false;       // came through the TLS front (tls_front.h)
  std::string remote_addr;   // the client's address (the TLS client's for relayed connections)
};

// What the transport asks of the application. serve answers a request whose body is read from
// the connection as the handler asks for it (the connection closes after the response when the
// body was not read to its end). expect decides an Expect: 100-continue request before its body
// is sent: nullopt to let the client send it (100 Continue), or the final response (the
// connection closes after it). Exceptions from either are answered 500.
struct RequestHandlers {
  std::function<http::Response(const RawRequest&, http::Body&)> serve;
  std::function<std::optional<http::Response>(const RawRequest&)> expect;
};
// Fault injection (server/faults.h): the calling worker's response is cut short — half of the
// status line and headers are sent, then the connection is closed without a body.
void cut_connection_mid_response();
// Fault injection: nothing of the calling worker's response is sent; the connection is closed.
void cut_connection_before_response();

class TunedHttpServer : public httplib::Server {
 public:
  TunedHttpServer();
  ~TunedHttpServer() override;
  void configure(const TransportOptions& o);
  void set_handlers(RequestHandlers h) { handlers_ = std::move(h); }
  class Stream;  // a worker's view of one connection (transport.cc)
  // Call after bind_to_port / bind_to_any_port.
  void raise_backlog(int n);
  // Serves until stop(); in-flight requests finish before it returns.
  bool serve();
  // Makes idle keep-alive connections close promptly; in-flight requests finish.
  void begin_stop();
  size_t open_connections() const;
  // Serves a connection the TLS front relays (one end of a socketpair) like an accepted one,
  // its requests marked secure and from remote_addr. Takes ownership of fd.
  void adopt(int fd, const std::string& remote_addr);

 private:
  bool admit(int fd, bool secure, const std::string& remote_addr);
  struct Conn;
  bool process_and_close_socket(socket_t sock) override;  // runs on the accept thread
  void loop();
  void on_readable(Conn* c);
  void hand_to_worker(Conn* c);
  void serve_connection(Conn* c);
  // One request on a worker: true when the connection stays open for the next.
  bool exchange(Stream& strm, RawRequest& raw, bool shaped);
  void rearm(Conn* c);
  void close_conn(Conn* c, std::string_view last_words = {});
  void sweep(int64_t now_ms);
  // Whether a header block (ending at `end`, npos while incomplete) exceeds the cap.
  bool header_too_large(const std::string& buf, size_t end) const {
    return end == std::string::npos ? buf.size() > opt_.max_header_bytes : end > opt_.max_header_bytes;
  }

  TransportOptions opt_;
  RequestHandlers handlers_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: wakes the loop at stop
  std::atomic<bool> stopping_{false};
  std::thread loop_thread_;
  std::unique_ptr<WorkerPool> workers_;
  mutable std::mutex mu_;
  std::unordered_map<int, std::unique_ptr<Conn>> conns_;
  int64_t last_refusal_log_ms_ = 0;
};

// Where the header block of a request in `buf` ends (just past the empty line), or npos. Leading
// empty lines before a request line are allowed (RFC 9112 2.2). Exposed for unit tests.
// `scanned`: how much of buf an earlier call already searched (the search resumes there).
size_t header_block_end(std::string_view buf, size_t scanned = 0);
// Splits a raw header block ("Request-Line CRLF *(Name: value CRLF) CRLF") into the request line's
// parts and name/value pairs with values trimmed but otherwise exactly as sent. False when the
// request line is not "METHOD SP target SP version". Exposed for unit tests.
bool parse_raw_request(std::string_view block, RawRequest& out);
std::vector<std::pair<std::string, std::string>> parse_raw_headers(std::string_view block);

}  // namespace localaws
