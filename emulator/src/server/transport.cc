#include "server/transport.h"

#include <netdb.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "common/log.h"
#include "common/strings.h"
#include "common/time.h"
#include "server/http1.h"

namespace localaws {

namespace {

int64_t mono_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int poll_fd(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  while (true) {
    int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    return r;
  }
}

void send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n <= 0) return;  // best effort: the connection is being closed anyway
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::string final_response(int status, const char* reason, const std::string& code, const std::string& message) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message +
                     "</Message></Error>";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nDate: " + http_date(now_ms() / 1000) +
         "\r\nContent-Type: application/xml\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

void peer_or_local(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  int r = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len)
               : getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  if (r != 0) return;
  char host[NI_MAXHOST], serv[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<sockaddr*>(&a), len, host, sizeof host, serv, sizeof serv,
                  NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(serv);
  }
}

thread_local bool t_close_after = false;
// cut_connection_before_response() / _mid_response(): asked for, then done (every later write of
// the request fails).
enum class Cut { kNo, kBefore, kMid, kDone };
thread_local Cut t_cut = Cut::kNo;

// A connection's peer address, looked up once.
struct Addresses {
  std::string remote_ip;
  int remote_port = -1;
};

}  // namespace

// The socket inside one request: first the bytes already in hand (what followed the header
// block), then the socket, each wait bounded by the I/O timeout. Writes carry out injected cuts.
class TunedHttpServer::Stream {
 public:
  Stream(int sock, int io_timeout_s) : sock_(sock), io_ms_(io_timeout_s * 1000) {}

  void reset(std::string_view pending) {
    reserve(pending.size());
    if (!pending.empty()) std::memcpy(buf_.get(), pending.data(), pending.size());
    pos_ = 0;
    end_ = pending.size();
  }
  // What was received but not consumed by the request (a pipelined next request).
  std::string take_unread() {
    std::string rest(buf_.get() + pos_, end_ - pos_);
    pos_ = end_ = 0;
    return rest;
  }
  // The received bytes not yet consumed, reading the socket when there are none; empty at the end
  // of the stream, on an error or timeout.
  std::string_view peek() {
    if (pos_ == end_) {
      pos_ = end_ = 0;
      if (poll_fd(sock_, POLLIN, io_ms_) <= 0) return {};
      reserve(kChunk);
      ssize_t n;
      do {
        n = ::recv(sock_, buf_.get(), cap_, 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return {};
      end_ = static_cast<size_t>(n);
    }
    return {buf_.get() + pos_, end_ - pos_};
  }
  void consume(size_t n) { pos_ += n; }

  // Sends all of data; false when the connection failed, timed out or was cut.
  bool write_all(std::string_view data) {
    if (t_cut == Cut::kDone) return false;
    if (t_cut == Cut::kBefore) {
      // Not a byte of the response: the client sees the connection end (EOF) where it expected
      // a status line.
      t_cut = Cut::kDone;
      t_close_after = true;
      return false;
    }
    if (t_cut == Cut::kMid) {
      // The first write is the status line and headers: send the whole lines of its first half
      // (a client sees the connection end between two header lines), then fail the response.
      t_cut = Cut::kDone;
      size_t end = data.rfind('\n', data.size() / 2);
      send_all(sock_, data.substr(0, end == std::string_view::npos ? 0 : end + 1));
      t_close_after = true;
      return false;
    }
    while (!data.empty()) {
      if (poll_fd(sock_, POLLOUT, io_ms_) <= 0) return false;
      ssize_t n;
      do {
        n = ::send(sock_, data.data(), data.size(), MSG_NOSIGNAL);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

 private:
  static constexpr size_t kChunk = 64 * 1024;
  // REQUIRES: nothing unconsumed (the buffer is not kept).
  void reserve(size_t n) {
    if (cap_ >= n) return;
    buf_.reset(new char[n]);  // uninitialised: recv and memcpy fill it
    cap_ = n;
  }
  int sock_;
  int io_ms_;
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t pos_ = 0, end_ = 0;
};

namespace {

// A request body read off the connection as the handler asks for it, by its framing.
class WireBody : public http::Body {
 public:
  WireBody(TunedHttpServer::Stream& strm, http1::Framing framing) : strm_(strm), framing_(framing) {}

  std::optional<http::BodyError> read(const http::Sink& sink) override {
    consumed_ = true;
    started_ = true;
    const http::BodyError incomplete{400, "IncompleteBody",
                                     "You did not provide the number of bytes specified by the Content-Length HTTP header"};
    if (framing_.kind == http1::Framing::Kind::kLength) {
      uint64_t left = framing_.length;
      while (left > 0) {
        std::string_view v = strm_.peek();
        if (v.empty()) return incomplete;
        size_t n = static_cast<size_t>(std::min<uint64_t>(left, v.size()));
        strm_.consume(n);
        left -= n;
        if (!sink(v.data(), n)) return http::BodyError::aborted();
      }
    } else if (framing_.kind == http1::Framing::Kind::kChunked) {
      while (decoder_.state() == http1::ChunkedDecoder::State::kMore) {
        std::string_view v = strm_.peek();
        if (v.empty()) return incomplete;
        strm_.consume(decoder_.feed(v.data(), v.size(), sink));
      }
      if (decoder_.sink_refused()) return http::BodyError::aborted();
      if (decoder_.state() == http1::ChunkedDecoder::State::kError) {
        return http::BodyError{400, "IncompleteBody", "The chunked transfer coding of the request body is malformed"};
      }
    }
    complete_ = true;
    return std::nullopt;
  }
  std::optional<uint64_t> length() const override {
    if (framing_.kind == http1::Framing::Kind::kChunked) return std::nullopt;
    return framing_.length;
  }
  // Bytes of the body are left on the wire: what follows is not a request.
  bool unread() const {
    if (started_) return !complete_;
    return framing_.kind == http1::Framing::Kind::kChunked || framing_.length > 0;
  }

 private:
  TunedHttpServer::Stream& strm_;
  http1::Framing framing_;
  http1::ChunkedDecoder decoder_;
  bool started_ = false;
  bool complete_ = false;
};

// Writes res (head_request: a response to HEAD, no body bytes); false when the connection failed or was cut.
bool send_response(TunedHttpServer::Stream& strm, const http::Response& res, bool head_request, bool close) {
  bool from_file = res.file != nullptr;
  uint64_t len = from_file ? res.file->length : res.body.size();
  if (res.omit_body) {
    // HEAD / 304: no body bytes, but the length the full response would have.
    if (auto* cl = res.header("content-length")) len = parse_u64(*cl).value_or(len);
  }
  bool no_body = res.status < 200 || res.status == 204 || res.status == 304;
  bool send_body = !res.omit_body && !head_request && !no_body && len > 0;
  std::string out = http1::response_head(res, len, send_body, head_request, close);
  if (!send_body) return strm.write_all(out);
  if (!from_file) {
    if (t_cut == Cut::kNo && res.body.size() <= 64 * 1024) return strm.write_all(out.append(res.body));
    return strm.write_all(out) && strm.write_all(res.body);
  }
  // A small file goes out with the header block in one send; a large one in slices.
  const auto& slice = *res.file;
  if (t_cut == Cut::kNo && len <= 16 * 1024) {
    size_t head = out.size();
    out.resize(head + len);
    int64_t n = slice.file->read_at(slice.offset, out.data() + head, static_cast<size_t>(len));
    if (n != static_cast<int64_t>(len)) return false;
    return strm.write_all(out);
  }
  if (!strm.write_all(out)) return false;
  size_t cap = static_cast<size_t>(std::min<uint64_t>(len, 256 * 1024));
  std::unique_ptr<char[]> buf(new char[cap]);
  for (uint64_t off = 0; off < len;) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(len - off, cap));
    int64_t n = slice.file->read_at(slice.offset + off, buf.get(), want);
    if (n <= 0) return false;
    if (!strm.write_all(std::string_view(buf.get(), static_cast<size_t>(n)))) return false;
    off += static_cast<uint64_t>(n);
  }
  return true;
}

// A refusal the transport makes itself, before any handler (the connection closes after it).
http::Response transport_refusal(int status) {
  http::Response r;
  r.status = status;
  r.set_header("Date", http_date(now_ms() / 1000));
  if (status == 501) {
    r.set_header("Content-Type", "application/xml");
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NotImplemented</Code><Message>A header you "
             "provided implies functionality that is not implemented</Message></Error>";
  }
  return r;
}

// Runs what the accept loop hands over at once, on the accept thread: our override of
// process_and_close_socket only registers the socket with the event loop.
class InlineQueue : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

// How long a worker waits on its keep-alive connection for the next request before handing the
// connection back to the event loop.
constexpr int kLingerMs = 2;

std::string header_too_large_response() {
  return final_response(400, "Bad Request", "RequestHeaderSectionTooLarge",
                        "Your request header section exceeds the maximum allowed size.");
}

}  // namespace

struct TunedHttpServer::Conn {
  int fd = -1;
  std::string buf;          // received, not yet part of a request handed to a worker
  bool busy = false;        // a worker has it (not armed in epoll)
  bool started = false;     // bytes of a request have arrived: the header deadline runs
  int64_t deadline_ms = 0;  // idle or header deadline
  bool secure = false;      // relayed by the TLS front
  std::string remote_addr;  // set by the TLS front
  Addresses addrs;          // looked up on first use
};

void cut_connection_mid_response() { t_cut = Cut::kMid; }
void cut_connection_before_response() { t_cut = Cut::kBefore; }

size_t header_block_end(std::string_view buf, size_t scanned) {
  size_t start = 0;
  while (start < buf.size() && (buf[start] == '\r' || buf[start] == '\n')) start++;
  // An end split across reads ("\n" | "\r\n") starts at most two bytes before what was scanned.
  if (scanned > start + 2) start = scanned - 2;
  for (size_t i = buf.find('\n', start); i != std::string_view::npos; i = buf.find('\n', i + 1)) {
    // An empty line: "\n\n" or "\n\r\n".
    if (i + 1 < buf.size() && buf[i + 1] == '\n') return i + 2;
    if (i + 2 < buf.size() && buf[i + 1] == '\r' && buf[i + 2] == '\n') return i + 3;
  }
  return std::string_view::npos;
}

std::vector<std::pair<std::string, std::string>> parse_raw_headers(std::string_view block) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = block.find('\n');  // skip the request line
  while (pos != std::string_view::npos && pos + 1 < block.size()) {
    size_t start = pos + 1;
    size_t end = block.find('\n', start);
    std::string_view line = block.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view v = line.substr(colon + 1);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      out.emplace_back(std::string(line.substr(0, colon)), std::string(v));
    }
    pos = end;
  }
  return out;
}

bool parse_raw_request(std::string_view block, RawRequest& out) {
  while (!block.empty() && (block.front() == '\r' || block.front() == '\n')) block.remove_prefix(1);
  std::string_view line = block.substr(0, block.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  out.headers = parse_raw_headers(block);
  size_t a = line.find(' ');
  size_t b = line.rfind(' ');
  if (a == std::string_view::npos || a == b || a == 0) return false;
  std::string_view version = line.substr(b + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return false;
  out.method = std::string(line.substr(0, a));
  out.target = std::string(line.substr(a + 1, b - a - 1));
  out.version = std::string(version);
  return !out.target.empty() && out.target.find(' ') == std::string::npos;
}

TunedHttpServer::TunedHttpServer() {
  new_task_queue = [] { return new InlineQueue; };
  // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, with which a second server binds
  // the same port and the kernel splits connections between the two.
  set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

TunedHttpServer::~TunedHttpServer() {
  begin_stop();
  if (loop_thread_.joinable()) loop_thread_.join();
  if (workers_) workers_->shutdown();
  for (auto& [fd, c] : conns_) ::close(fd);
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void TunedHttpServer::configure(const TransportOptions& o) {
  opt_ = o;
  set_read_timeout(o.io_timeout_s);
  set_write_timeout(o.io_timeout_s);
  set_keep_alive_max_count(1000000);
}

void TunedHttpServer::raise_backlog(int n) { ::listen(svr_sock_, n); }

size_t TunedHttpServer::open_connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return conns_.size();
}

bool TunedHttpServer::serve() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epoll_fd_ < 0 || wake_fd_ < 0) return false;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  workers_ = std::make_unique<WorkerPool>(opt_.workers);
  loop_thread_ = std::thread([this] { loop(); });
  bool ok = listen_after_bind();  // the library's accept loop, until stop()
  begin_stop();
  loop_thread_.join();
  workers_->shutdown();  // in-flight and queued requests finish; their connections close
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [fd, c] : conns_) ::close(fd);
  conns_.clear();
  return ok;
}

void TunedHttpServer::begin_stop() {
  stopping_ = true;
  // cpp-httplib's stop() does nothing before its accept loop runs (a SIGTERM right after bind):
  // shutting the listening socket down makes that loop end at its first accept().
  socket_t listening = svr_sock_;
  if (listening != INVALID_SOCKET) ::shutdown(listening, SHUT_RDWR);
  if (wake_fd_ >= 0) {
    uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
  }
}

bool TunedHttpServer::process_and_close_socket(socket_t sock) { return admit(sock, false, {}); }

void TunedHttpServer::adopt(int fd, const std::string& remote_addr) { admit(fd, true, remote_addr); }

bool TunedHttpServer::admit(int sock, bool secure, const std::string& remote_addr) {
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_ || conns_.size() >= opt_.max_connections) {
    size_t open = conns_.size();
    lock.unlock();
    int64_t now = mono_ms();
    if (!stopping_ && now - last_refusal_log_ms_ > 5000) {
      last_refusal_log_ms_ = now;
      log::warn("refusing connections: " + std::to_string(open) + " are open, the limit (--max-connections)");
    }
    send_all(sock, final_response(503, "Service Unavailable", "SlowDown",
                                  stopping_ ? "localaws is shutting down"
                                            : "localaws: too many open connections (limit " +
                                                  std::to_string(opt_.max_connections) + ", see --max-connections)"));
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return false;
  }
  auto conn = std::make_unique<Conn>();
  conn->fd = sock;
  conn->deadline_ms = mono_ms() + opt_.idle_timeout_ms;
  conn->secure = secure;
  conn->remote_addr = remote_addr;
  Conn* c = conn.get();
  conns_.emplace(sock, std::move(conn));
  lock.unlock();
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
  ev.data.fd = sock;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, sock, &ev) != 0) close_conn(c);
  return true;
}

void TunedHttpServer::loop() {
  epoll_event events[256];
  int64_t next_sweep = mono_ms() + 100;
  while (!stopping_) {
    int n = ::epoll_wait(epoll_fd_, events, 256, 100);
    for (int i = 0; i < n && !stopping_; i++) {
      int fd = events[i].data.fd;
      if (fd == wake_fd_) continue;
      Conn* c = nullptr;
      {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = conns_.find(fd);
        if (it != conns_.end() && !it->second->busy) c = it->second.get();
      }
      if (c) on_readable(c);
    }
    int64_t now = mono_ms();
    if (now >= next_sweep) {
      sweep(now);
      next_sweep = now + 100;
    }
  }
  // Stopping: connections waiting for a request close now; busy ones close when done.
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = conns_.begin(); it != conns_.end();) {
    if (it->second->busy) {
      ++it;
      continue;
    }
    ::shutdown(it->first, SHUT_RDWR);
    ::close(it->first);
    it = conns_.erase(it);
  }
}

void TunedHttpServer::on_readable(Conn* c) {
  char tmp[16 * 1024];
  while (true) {
    ssize_t n = ::recv(c->fd, tmp, sizeof tmp, MSG_DONTWAIT);
    if (n == 0) return close_conn(c);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return close_conn(c);
    }
    if (!c->started) {
      c->started = true;
      c->deadline_ms = mono_ms() + opt_.header_timeout_ms;
    }
    size_t scanned = c->buf.size();
    c->buf.append(tmp, static_cast<size_t>(n));
    // Stop reading at the end of the header block: the rest is the body, read by the worker.
    // Each read scans only what it added: a header block sent a byte at a time costs linear time.
    size_t end = header_block_end(c->buf, scanned);
    if (header_too_large(c->buf, end)) return close_conn(c, header_too_large_response());
    if (end != std::string::npos) return hand_to_worker(c);
  }
  rearm(c);
}

void TunedHttpServer::hand_to_worker(Conn* c) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    c->busy = true;
  }
  workers_->enqueue([this, c] { serve_connection(c); });
}

void TunedHttpServer::rearm(Conn* c) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
  ev.data.fd = c->fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c->fd, &ev) != 0) close_conn(c);
}

bool TunedHttpServer::exchange(Stream& strm, RawRequest& raw, bool shaped) {
  if (!shaped || !http1::is_token(raw.method)) {
    send_response(strm, transport_refusal(400), false, true);
    return false;
  }
  if (!http1::served_method(raw.method)) {
    send_response(strm, transport_refusal(501), raw.method == "HEAD", true);
    return false;
  }
  auto framing = http1::framing_of(raw.headers);
  if (framing.refuse) {
    send_response(strm, transport_refusal(framing.refuse), false, true);
    return false;
  }
  bool head = raw.method == "HEAD";
  bool close = http1::wants_close(raw.version, raw.headers);
  auto internal_error = [] {
    http::Response r;
    r.status = 500;
    r.body = "internal error";
    r.set_header("Content-Type", "text/plain");
    r.set_header("Date", http_date(now_ms() / 1000));
    return r;
  };
  if (http1::expects_continue(raw.headers)) {
    std::optional<http::Response> early;
    try {
      if (handlers_.expect) early = handlers_.expect(raw);
    } catch (...) {
      early = internal_error();
    }
    if (early) {
      send_response(strm, *early, head, true);
      return false;
    }
    if (!strm.write_all("HTTP/1.1 100 Continue\r\n\r\n")) return false;
  }
  WireBody body(strm, framing.framing);
  http::Response res;
  try {
    res = handlers_.serve(raw, body);
  } catch (...) {
    res = internal_error();
  }
  close = close || res.close_connection || body.unread();
  if (!send_response(strm, res, head, close)) return false;
  return !close && !t_close_after;
}

void TunedHttpServer::serve_connection(Conn* c) {
  Stream strm(c->fd, opt_.io_timeout_s);
  while (true) {
    size_t end = header_block_end(c->buf);
    RawRequest raw;
    bool shaped = parse_raw_request(std::string_view(c->buf).substr(0, end), raw);
    raw.secure = c->secure;
    if (!c->remote_addr.empty()) {
      raw.remote_addr = c->remote_addr;
    } else {
      if (c->addrs.remote_port < 0) peer_or_local(c->fd, true, c->addrs.remote_ip, c->addrs.remote_port);
      raw.remote_addr = c->addrs.remote_ip;
    }
    strm.reset(std::string_view(c->buf).substr(end));
    c->buf.clear();
    t_close_after = false;
    t_cut = Cut::kNo;
    bool keep = exchange(strm, raw, shaped);
    if (!keep || stopping_) return close_conn(c);
    c->buf = strm.take_unread();
    if (header_block_end(c->buf) != std::string::npos) continue;  // pipelined: serve the next
  // A keep-alive client usually sends its next request right after reading the response: wait
    // a moment for it here rather than pay two thread hand-offs through the event loop (not when
    // other requests are waiting for a worker).
    if (!c->buf.empty() || workers_->busy() || poll_fd(c->fd, POLLIN, kLingerMs) <= 0) break;
    char tmp[16 * 1024];
    ssize_t n = ::recv(c->fd, tmp, sizeof tmp, MSG_DONTWAIT);
    if (n == 0) return close_conn(c);
    if (n < 0) break;  // EAGAIN (or an error the event loop will see)
    c->buf.append(tmp, static_cast<size_t>(n));
    if (header_block_end(c->buf) == std::string::npos) break;
  }
  if (header_too_large(c->buf, header_block_end(c->buf))) return close_conn(c, header_too_large_response());
  {
    std::lock_guard<std::mutex> lock(mu_);
    c->busy = false;
    c->started = !c->buf.empty();
    c->deadline_ms = mono_ms() + (c->started ? opt_.header_timeout_ms : opt_.idle_timeout_ms);
  }
  rearm(c);
}

void TunedHttpServer::close_conn(Conn* c, std::string_view last_words) {
  int fd = c->fd;
  if (!last_words.empty()) send_all(fd, last_words);
  std::unique_ptr<Conn> owned;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = conns_.find(fd);
    if (it == conns_.end()) return;
    owned = std::move(it->second);
    conns_.erase(it);
  }
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

void TunedHttpServer::sweep(int64_t now_ms) {
  std::vector<std::pair<Conn*, bool>> expired;  // connection, whether a request had begun
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [fd, c] : conns_) {
      if (!c->busy && now_ms >= c->deadline_ms) expired.emplace_back(c.get(), c->started);
    }
  }
  for (auto& [c, started] : expired) {
    if (started) {
      close_conn(c, final_response(400, "Bad Request", "RequestTimeout",
                                   "Your socket connection to the server was not read from or written to within "
                                   "the timeout period. Idle connections will be closed."));
    } else {
      close_conn(c);
    }
  }
}

}  // namespace localaws
