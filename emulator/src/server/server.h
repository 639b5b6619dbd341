// The HTTP front end: our transport (server/transport.h: an event loop for idle and half-sent
// connections, workers that read bodies and write responses; cpp-httplib binds and accepts);
// every request goes to the one pipeline, pipeline/serve.h.
#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "server/runtime.h"

namespace httplib {
class Server;
}

namespace localaws {

class TlsFront;

class Server {
 public:
  // Throws std::runtime_error (with a user-facing message) when storage cannot be opened.
  explicit Server(Config config);
  ~Server();

  // Binds config.host:config.port (0 = a free port). Returns false when the port is taken.
  bool bind();
  int port() const { return port_; }
  std::string endpoint() const;  // http://host:port (https:// with --tls)
  // Every listener's endpoint: endpoint() first, then with --tls-port the HTTPS one.
  std::vector<std::string> endpoints() const;
  // The CA certificate clients trust for HTTPS (AWS_CA_BUNDLE), or "" without TLS.
  const std::string& tls_ca_path() const { return tls_ca_path_; }
  // Serves until stop(). REQUIRES: bind() succeeded.
  void run();
  // Serves on a background thread (the test harness).
  void start();
  // Stops accepting, finishes in-flight requests, returns when the listener is down.
  void stop();

  Runtime& runtime() { return *rt_; }
  // Connections open now, idle ones included.
  size_t open_connections() const;

 private:
  void install_routes();
  std::unique_ptr<Runtime> rt_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
  std::thread thread_;
  std::unique_ptr<TlsFront> tls_;
  int tls_port_ = -1;  // the HTTPS listener's port (== port_ with --tls)
  std::string tls_ca_path_;
};

}  // namespace localaws
