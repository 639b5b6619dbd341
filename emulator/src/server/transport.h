// cpp-httplib's connection handling, replaced where the Debian build (0.11.4, compiled) gets in
// the way of an AWS endpoint:
//  - it URL-decodes every request header value except Location, which breaks SigV4 (canonical
//    headers are the bytes sent) and double-decodes x-amz-copy-source, x-amz-tagging and
//    RFC 5987 Content-Disposition values; we record the raw header block as it is read and put
//    the values back exactly as sent;
//  - it listens with a backlog of 5 (compiled in);
//  - an idle keep-alive connection holds its worker until the keep-alive timeout passes, so
//    stop() would wait that long; our loop notices stop() within 50 ms.
#pragma once
#include <httplib.h>

#include <atomic>

namespace localaws {

class TunedHttpServer : public httplib::Server {
 public:
  // Call after bind_to_port / bind_to_any_port.
  void raise_backlog(int n);
  // Makes idle keep-alive connections close promptly; in-flight requests finish.
  void begin_stop() { stopping_ = true; }
  void configure(time_t keep_alive_timeout_s, size_t keep_alive_max, time_t read_timeout_s, time_t write_timeout_s);

 private:
  bool process_and_close_socket(socket_t sock) override;

  std::atomic<bool> stopping_{false};
  time_t keep_alive_timeout_s_ = 10;
  size_t keep_alive_max_ = 100000;
  time_t read_timeout_s_ = 60;
  time_t write_timeout_s_ = 60;
};

// Splits a raw header block ("Request-Line CRLF *(Name: value CRLF) CRLF") into name/value
// pairs with values trimmed but otherwise exactly as sent. Exposed for unit tests.
std::vector<std::pair<std::string, std::string>> parse_raw_headers(std::string_view block);

}  // namespace localaws
