// The HTTP front end: cpp-httplib with catch-all routes, tuned (TCP_NODELAY, keep-alive, a
// worker pool sized for many keep-alive connections), dispatching each request to the control
// plane, DynamoDB (X-Amz-Target) or S3.
#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "server/runtime.h"

namespace httplib {
class Server;
}

namespace localaws {

class Server {
 public:
  // Throws std::runtime_error (with a user-facing message) when storage cannot be opened.
  explicit Server(Config config);
  ~Server();

  // Binds config.host:config.port (0 = a free port). Returns false when the port is taken.
  bool bind();
  int port() const { return port_; }
  std::string endpoint() const;  // http://host:port
  // Serves until stop(). REQUIRES: bind() succeeded.
  void run();
  // Serves on a background thread (the test harness).
  void start();
  // Stops accepting, finishes in-flight requests, returns when the listener is down.
  void stop();

  Runtime& runtime() { return *rt_; }

 private:
  void install_routes();
  std::unique_ptr<Runtime> rt_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace localaws
