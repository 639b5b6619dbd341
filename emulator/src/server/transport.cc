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
#include "common/time.h"

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

// A connection's two addresses, looked up once (cpp-httplib asks for both on every request).
struct Addresses {
  std::string remote_ip, local_ip;
  int remote_port = -1, local_port = -1;
};

// The socket as cpp-httplib reads it inside one request: first the bytes already in hand (the
// rewritten header block and whatever followed it), then the socket, each read with a timeout.
class WorkerStream : public httplib::Stream {
 public:
  WorkerStream(int sock, int io_timeout_s, Addresses* addrs)
      : sock_(sock), io_ms_(io_timeout_s * 1000), addrs_(addrs) {}

  void reset(std::string pending) {
    buf_ = std::move(pending);
    pos_ = 0;
  }
  // What was received but not consumed by the request (a pipelined next request).
  std::string take_unread() {
    std::string rest = buf_.substr(pos_);
    buf_.clear();
    pos_ = 0;
    return rest;
  }

  bool is_readable() const override { return pos_ < buf_.size() || poll_fd(sock_, POLLIN, io_ms_) > 0; }
  bool is_writable() const override { return poll_fd(sock_, POLLOUT, io_ms_) > 0; }

  ssize_t read(char* ptr, size_t size) override {
    if (pos_ == buf_.size()) {
      if (poll_fd(sock_, POLLIN, io_ms_) <= 0) return -1;
      buf_.resize(64 * 1024);
      ssize_t n;
      do {
        n = ::recv(sock_, buf_.data(), buf_.size(), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) {
        buf_.clear();
        pos_ = 0;
        return n;
      }
      buf_.resize(static_cast<size_t>(n));
      pos_ = 0;
    }
    size_t k = std::min(size, buf_.size() - pos_);
    std::memcpy(ptr, buf_.data() + pos_, k);
    pos_ += k;
    return static_cast<ssize_t>(k);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    if (t_cut == Cut::kDone) return -1;
    if (t_cut == Cut::kBefore) {
      // Not a byte of the response: the client sees the connection end (EOF) where it expected
      // a status line.
      t_cut = Cut::kDone;
      t_close_after = true;
      return -1;
    }
    if (t_cut == Cut::kMid) {
      // The first write is the status line and headers: send the whole lines of its first half
      // (a client sees the connection end between two header lines), then fail the response.
      t_cut = Cut::kDone;
      std::string_view head(ptr, size);
      size_t end = head.rfind('\n', size / 2);
      send_all(sock_, head.substr(0, end == std::string_view::npos ? 0 : end + 1));
      t_close_after = true;
      return -1;
    }
    ssize_t n;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    if (addrs_->remote_port < 0) peer_or_local(sock_, true, addrs_->remote_ip, addrs_->remote_port);
    ip = addrs_->remote_ip, port = addrs_->remote_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    if (addrs_->local_port < 0) peer_or_local(sock_, false, addrs_->local_ip, addrs_->local_port);
    ip = addrs_->local_ip, port = addrs_->local_port;
  }
  socket_t socket() const override { return sock_; }

 private:
  int sock_;
  int io_ms_;
  Addresses* addrs_;
  std::string buf_;
  size_t pos_ = 0;
};

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

thread_local const RawRequest* t_raw = nullptr;

// What cpp-httplib is told of a request: enough to frame its body and the connection, nothing
// it would act on. Our handler reads the request as sent from RawRequest.
std::string library_view(const RawRequest& r, std::string_view raw_line) {
  std::string out;
  if (r.method.empty()) {
    out.append(raw_line);  // not a request line: the library answers 400
  } else {
    out.append(r.method).append(" / ").append(r.version);
  }
  out.append("\r\n");
  for (auto& [name, value] : r.headers) {
    bool keep = strcasecmp(name.c_str(), "content-length") == 0 || strcasecmp(name.c_str(), "transfer-encoding") == 0 ||
                strcasecmp(name.c_str(), "connection") == 0;
    if (keep) out.append(name).append(": ").append(value).append("\r\n");
    // RFC 9110 10.1.1: the expectation is case-insensitive; the library compares bytes.
    if (strcasecmp(name.c_str(), "expect") == 0 && strcasecmp(value.c_str(), "100-continue") == 0)
      out.append("Expect: 100-continue\r\n");
  }
  out.append("\r\n");
  return out;
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

const RawRequest* current_raw_request() { return t_raw; }
void close_after_response() { t_close_after = true; }
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

void TunedHttpServer::serve_connection(Conn* c) {
  WorkerStream strm(c->fd, opt_.io_timeout_s, &c->addrs);
  while (true) {
    size_t end = header_block_end(c->buf);
    std::string_view block = std::string_view(c->buf).substr(0, end);
    RawRequest raw;
    bool shaped = parse_raw_request(block, raw);
    if (!shaped) raw.method.clear();
    raw.secure = c->secure;
    raw.remote_addr = c->remote_addr;
    std::string_view first = block.substr(block.find_first_not_of("\r\n"));
    std::string_view raw_line = first.substr(0, first.find_first_of("\r\n"));
    strm.reset(library_view(raw, raw_line) + c->buf.substr(end));
    c->buf.clear();
    t_raw = &raw;
    t_close_after = false;
    t_cut = Cut::kNo;
    bool connection_closed = false;
    bool ok = process_request(strm, false, connection_closed, nullptr);
    t_raw = nullptr;
    if (!ok || connection_closed || t_close_after || stopping_ || !shaped) return close_conn(c);
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
