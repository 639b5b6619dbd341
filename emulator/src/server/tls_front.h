// The HTTPS listener (--tls, --tls-port): a TLS front inside the process. It accepts TCP
// connections, completes the TLS handshake (OpenSSL, one thread per connection, bounded by
// --max-connections, at most --header-timeout seconds), then relays the decrypted bytes both
// ways over a socketpair whose other end the transport adopts as an ordinary connection marked
// secure (TunedHttpServer::adopt): idle timeouts, header limits and the pipeline are the
// transport's, unchanged. A handshake that never ends holds only its own thread. A connection
// that opens with a plain-HTTP request line gets a plain-HTTP 400 saying to use https://, as
// nginx answers.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "server/tls_certs.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace localaws {

class TlsFront {
 public:
  // Hands the plaintext end of a relayed connection to the transport with the client's address.
  using Adopt = std::function<void(int fd, const std::string& remote_addr)>;
  // Throws std::runtime_error when the certificate or key cannot be used.
  TlsFront(const tls::Material& material, int handshake_timeout_ms, size_t max_connections, Adopt adopt);
  ~TlsFront();

  // Binds host:port (0 = a free port) exclusively; returns the port, or -1.
  int bind(const std::string& host, int port);
  // Accepts on a background thread. REQUIRES: bind() succeeded.
  void start();
  // Stops accepting and abandons handshakes in progress; relayed connections end when the
  // transport closes its side (after their request). Returns at once.
  void stop_accepting();
  // Waits (at most wait_ms) for relayed connections to end, then cuts the rest.
  void finish(int wait_ms);
  size_t connections() const { return active_; }

 private:
  void accept_loop();
  void serve_client(int fd, const std::string& remote_addr);
  // Until the deadline (mono_ms), the --header-timeout counted from the connection's accept.
  bool handshake(SSL* ssl, int fd, int64_t deadline);
  void relay(SSL* ssl, int tcp, int plain);

  SSL_CTX* ctx_ = nullptr;
  int handshake_ms_;
  size_t max_connections_;
  Adopt adopt_;
  int listen_fd_ = -1;
  std::thread accept_thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> cut_{false};  // relays end now
  std::atomic<size_t> active_{0};
  std::mutex mu_;
  std::condition_variable idle_;
  int64_t last_refusal_log_ms_ = 0;
};

}  // namespace localaws
