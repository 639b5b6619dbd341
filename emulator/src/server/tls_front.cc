#include "server/tls_front.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "common/log.h"
#include "common/time.h"

namespace localaws {

namespace {

constexpr int kSliceMs = 100;        // how often a waiting thread looks at the stop flags
constexpr size_t kChunk = 64 * 1024;  // one read in either direction

int64_t mono_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

std::string address_of(const sockaddr_storage& a, socklen_t len) {
  char host[NI_MAXHOST];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&a), len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0)
    return {};
  return host;
}

// What poll should wait for after an SSL call returned `r`; 0 when the connection is done.
short ssl_wants(SSL* ssl, int r) {
  switch (SSL_get_error(ssl, r)) {
    case SSL_ERROR_WANT_READ: return POLLIN;
    case SSL_ERROR_WANT_WRITE: return POLLOUT;
    default: return 0;
  }
}

// Methods an HTTP client may open a connection with: a connection to the HTTPS listener that
// starts with one of them and a space is plain HTTP (a TLS ClientHello starts with 0x16).
constexpr std::string_view kMethods[] = {"GET ", "PUT ", "POST ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "};
constexpr size_t kLongestMethod = 8;

enum class Opening { kTls, kPlainHttp };

// Looks at (without reading) the first bytes of a connection, waiting until the deadline while
// they could still be either. Anything that is not an HTTP request line is the TLS library's.
Opening peek_opening(int fd, int64_t deadline, const std::atomic<bool>& stopping) {
  while (!stopping) {
    char buf[kLongestMethod];
    ssize_t n = ::recv(fd, buf, sizeof buf, MSG_PEEK);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return Opening::kTls;
    if (n > 0) {
      std::string_view got(buf, static_cast<size_t>(n));
      if (got[0] == 0x16) return Opening::kTls;
      bool maybe = false;
      for (std::string_view m : kMethods) {
        if (got.size() >= m.size() && got.substr(0, m.size()) == m) return Opening::kPlainHttp;
        maybe = maybe || m.substr(0, got.size()) == got;
      }
      if (!maybe) return Opening::kTls;
    }
    int64_t left = deadline - mono_ms();
    if (left <= 0) return Opening::kTls;
    if (n > 0) {
      // A few bytes of a method so far: poll would report them again at once.
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(left, 5)));
    } else {
      pollfd p{fd, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, kSliceMs)));
    }
  }
  return Opening::kTls;
}

// Waits (at most until the deadline) for fd to be ready for `events`; false when it is not.
bool wait_for(int fd, short events, int64_t deadline) {
  while (true) {
    int64_t left = deadline - mono_ms();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, kSliceMs)));
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) return false;
  }
}

// What nginx does for plain HTTP on an HTTPS port: a plain-HTTP 400 that says so, then the end of
// the connection. The request's header block is read first (up to a limit), and the client's
// further bytes after the answer, so that closing does not reset the connection before the client
// has read the answer.
void answer_plain_http(int fd, int64_t deadline) {
  std::string got;
  char buf[16 * 1024];
  while (got.find("\r\n\r\n") == std::string::npos && got.find("\n\n") == std::string::npos &&
         got.size() < 64 * 1024 && wait_for(fd, POLLIN, deadline)) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) break;
    if (n > 0) got.append(buf, static_cast<size_t>(n));
  }
  std::string body =
      "400 Bad Request: the plain HTTP request was sent to an HTTPS port. This localaws listener speaks TLS: "
      "use https:// in the endpoint URL (and trust localaws's CA, AWS_CA_BUNDLE).\n";
  std::string out = "HTTP/1.1 400 Bad Request\r\nDate: " + http_date(now_ms() / 1000) +
                    "\r\nServer: localaws\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close"
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string_view rest(out);
  int64_t write_deadline = mono_ms() + 5000;
  while (!rest.empty() && wait_for(fd, POLLOUT, write_deadline)) {
    ssize_t n = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n > 0) rest.remove_prefix(static_cast<size_t>(n));
    else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return;
  }
  ::shutdown(fd, SHUT_WR);
  // Until the client closes too (a second at most): unread bytes at close() would reset it.
  int64_t linger = mono_ms() + 1000;
  while (wait_for(fd, POLLIN, linger)) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) break;
  }
}

}  // namespace

TlsFront::TlsFront(const tls::Material& m, int handshake_timeout_ms, size_t max_connections, Adopt adopt)
    : handshake_ms_(handshake_timeout_ms), max_connections_(max_connections), adopt_(std::move(adopt)) {
  ctx_ = SSL_CTX_new(TLS_server_method());
  if (!ctx_) throw std::runtime_error("TLS: cannot create an OpenSSL context");
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  // A client that closes without close_notify (most HTTP clients) is a normal end, not an error.
  SSL_CTX_set_options(ctx_, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  BIO* cb = BIO_new_mem_buf(m.cert_pem.data(), static_cast<int>(m.cert_pem.size()));
  X509* leaf = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
  bool ok = leaf && SSL_CTX_use_certificate(ctx_, leaf) == 1;
  X509_free(leaf);
  // The rest of the file is the chain (the CA), sent so clients that trust only the CA verify.
  while (X509* chain = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr)) SSL_CTX_add0_chain_cert(ctx_, chain);
  ERR_clear_error();  // the end of the PEM data reads as an error
  BIO_free(cb);
  BIO* kb = BIO_new_mem_buf(m.key_pem.data(), static_cast<int>(m.key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
  BIO_free(kb);
  ok = ok && key && SSL_CTX_use_PrivateKey(ctx_, key) == 1 && SSL_CTX_check_private_key(ctx_) == 1;
  EVP_PKEY_free(key);
  if (!ok) {
    SSL_CTX_free(ctx_);
    throw std::runtime_error("TLS: the server certificate or key is unusable");
  }
}

TlsFront::~TlsFront() {
  stop_accepting();
  finish(0);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  SSL_CTX_free(ctx_);
}

int TlsFront::bind(const std::string& host, int port) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0) return -1;
  int bound = -1;
  for (addrinfo* a = res; a && bound < 0; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);  // not SO_REUSEPORT: see transport.h
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 1024) != 0) {
      ::close(fd);
      continue;
    }
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    bound = ntohs(local.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&local)->sin6_port
                                              : reinterpret_cast<sockaddr_in*>(&local)->sin_port);
    listen_fd_ = fd;
  }
  freeaddrinfo(res);
  return bound;
}

void TlsFront::start() { accept_thread_ = std::thread([this] { accept_loop(); }); }

void TlsFront::stop_accepting() {
  stopping_ = true;
  if (accept_thread_.joinable()) accept_thread_.join();
}

void TlsFront::finish(int wait_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return active_ == 0; });
  cut_ = true;
  idle_.wait(lock, [this] { return active_ == 0; });  // each relay sees cut_ within kSliceMs
}

void TlsFront::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kSliceMs) <= 0) continue;
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) continue;
    if (active_ >= max_connections_) {
      int64_t now = mono_ms();
      if (now - last_refusal_log_ms_ > 5000) {
        last_refusal_log_ms_ = now;
        log::warn("refusing TLS connections: " + std::to_string(active_.load()) +
                  " are open, the limit (--max-connections)");
      }
      ::close(fd);
      continue;
    }
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);  // see DESIGN.md: Nagle stalls
    active_++;
    std::string remote = address_of(peer, len);
    std::thread([this, fd, remote] {
      serve_client(fd, remote);
      std::lock_guard<std::mutex> lock(mu_);
      active_--;
      idle_.notify_all();
    }).detach();
  }
}

void TlsFront::serve_client(int fd, const std::string& remote_addr) {
  int64_t deadline = mono_ms() + handshake_ms_;
  if (peek_opening(fd, deadline, stopping_) == Opening::kPlainHttp) {
    log::debug("plain HTTP from " + remote_addr + " on the HTTPS port: answered 400");
    answer_plain_http(fd, deadline);
    ::close(fd);
    return;
  }
  SSL* ssl = SSL_new(ctx_);
  SSL_set_fd(ssl, fd);
  int pair[2];
  if (handshake(ssl, fd, deadline) && ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0) {
    // The transport's end stays blocking (it polls, then reads or writes); ours does not.
    set_nonblocking(pair[0]);
    adopt_(pair[1], remote_addr);
    relay(ssl, fd, pair[0]);
    ::close(pair[0]);
  }
  SSL_free(ssl);
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

bool TlsFront::handshake(SSL* ssl, int fd, int64_t deadline) {
  while (true) {
    int r = SSL_accept(ssl);
    if (r == 1) return true;
    short want = ssl_wants(ssl, r);
    ERR_clear_error();
    if (!want) return false;  // not TLS, or a certificate the client refused
    int64_t left;
    do {
      if (stopping_) return false;
      left = deadline - mono_ms();
      if (left <= 0) return false;  // --header-timeout: a handshake that never ends holds nothing more
      pollfd p{fd, want, 0};
      r = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, kSliceMs)));
    } while (r == 0 || (r < 0 && errno == EINTR));
  }
}

// One thread moves bytes both ways with non-blocking I/O: `up` holds decrypted client bytes not
// yet given to the transport, `down` the transport's bytes not yet encrypted to the client.
void TlsFront::relay(SSL* ssl, int tcp, int plain) {
  std::string up, down;
  size_t up_off = 0, down_off = 0;
  bool client_done = false, server_done = false;
  while (!cut_) {
    bool progress = false;
    short tcp_events = 0, plain_events = 0;
    if (up_off == up.size() && !client_done) {
      up.resize(kChunk);
      int n = SSL_read(ssl, up.data(), static_cast<int>(kChunk));
      up.resize(n > 0 ? static_cast<size_t>(n) : 0);
      up_off = 0;
      if (n > 0) {
        progress = true;
      } else if (short want = ssl_wants(ssl, n)) {
        tcp_events |= want;
      } else {  // the client closed (or broke) its side: the transport sees the end of its requests
        client_done = progress = true;
        ::shutdown(plain, SHUT_WR);
      }
      ERR_clear_error();
    }
    if (up_off < up.size()) {
      ssize_t n = ::send(plain, up.data() + up_off, up.size() - up_off, MSG_NOSIGNAL);
      if (n > 0) {
        up_off += static_cast<size_t>(n);
        progress = true;
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        plain_events |= POLLOUT;
      } else if (errno != EINTR) {
        return;  // the transport closed the connection
      }
    }
    if (down_off == down.size() && !server_done) {
      down.resize(kChunk);
      ssize_t n = ::recv(plain, down.data(), kChunk, 0);
      down.resize(n > 0 ? static_cast<size_t>(n) : 0);
      down_off = 0;
      if (n > 0) {
        progress = true;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        plain_events |= POLLIN;
      } else if (n == 0 || errno != EINTR) {
        server_done = progress = true;
      }
    }
    if (down_off < down.size()) {
      int n = SSL_write(ssl, down.data() + down_off, static_cast<int>(down.size() - down_off));
      if (n > 0) {
        down_off += static_cast<size_t>(n);
        progress = true;
      } else if (short want = ssl_wants(ssl, n)) {
        tcp_events |= want;
      } else {
        ERR_clear_error();
        return;  // the client is gone
      }
      ERR_clear_error();
    }
    if (server_done && down_off == down.size()) {
      SSL_shutdown(ssl);  // close_notify, best effort
      ERR_clear_error();
      return;
    }
    if (progress) continue;
    pollfd p[2] = {{tcp, tcp_events, 0}, {plain, plain_events, 0}};
    ::poll(p, 2, kSliceMs);
  }
}

}  // namespace localaws
