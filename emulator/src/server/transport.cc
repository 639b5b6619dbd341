#include "server/transport.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace localaws {

namespace {

int poll_fd(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  while (true) {
    int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    return r;
  }
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

// A buffered socket stream that can record what it hands out (the request line and headers).
class RecordingStream : public httplib::Stream {
 public:
  RecordingStream(socket_t sock, time_t read_timeout_s, time_t write_timeout_s)
      : sock_(sock), read_ms_(static_cast<int>(read_timeout_s * 1000)), write_ms_(static_cast<int>(write_timeout_s * 1000)) {}

  bool is_readable() const override { return pos_ < len_ || poll_fd(sock_, POLLIN, read_ms_) > 0; }
  bool is_writable() const override { return poll_fd(sock_, POLLOUT, write_ms_) > 0; }

  ssize_t read(char* ptr, size_t size) override {
    if (pos_ == len_) {
      if (poll_fd(sock_, POLLIN, read_ms_) <= 0) return -1;
      ssize_t n;
      do {
        n = ::recv(sock_, buf_, sizeof buf_, 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      pos_ = 0;
      len_ = static_cast<size_t>(n);
    }
    size_t k = std::min(size, len_ - pos_);
    std::memcpy(ptr, buf_ + pos_, k);
    if (recording_) record_.append(ptr, k);
    pos_ += k;
    return static_cast<ssize_t>(k);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { peer_or_local(sock_, true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { peer_or_local(sock_, false, ip, port); }
  socket_t socket() const override { return sock_; }

  bool has_buffered() const { return pos_ < len_; }
  void start_recording() {
    record_.clear();
    recording_ = true;
  }
  // What was read since start_recording(); recording stops.
  std::string take_record() {
    recording_ = false;
    return std::move(record_);
  }

 private:
  socket_t sock_;
  int read_ms_, write_ms_;
  char buf_[16 * 1024];
  size_t pos_ = 0, len_ = 0;
  bool recording_ = false;
  std::string record_;
};

}  // namespace

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

void TunedHttpServer::raise_backlog(int n) { ::listen(svr_sock_, n); }

void TunedHttpServer::configure(time_t keep_alive_timeout_s, size_t keep_alive_max, time_t read_timeout_s,
                                time_t write_timeout_s) {
  keep_alive_timeout_s_ = keep_alive_timeout_s;
  keep_alive_max_ = keep_alive_max;
  read_timeout_s_ = read_timeout_s;
  write_timeout_s_ = write_timeout_s;
  set_keep_alive_timeout(keep_alive_timeout_s);
  set_keep_alive_max_count(keep_alive_max);
  set_read_timeout(read_timeout_s);
  set_write_timeout(write_timeout_s);
}

bool TunedHttpServer::process_and_close_socket(socket_t sock) {
  RecordingStream strm(sock, read_timeout_s_, write_timeout_s_);
  bool ret = false;
  size_t count = keep_alive_max_;
  while (count > 0 && svr_sock_ != INVALID_SOCKET && !stopping_) {
    // Wait for the next request in 50 ms steps, so stop() is noticed promptly.
    bool readable = strm.has_buffered();
    for (time_t waited_ms = 0; !readable && waited_ms <= keep_alive_timeout_s_ * 1000; waited_ms += 50) {
      if (svr_sock_ == INVALID_SOCKET || stopping_) break;
      int r = poll_fd(sock, POLLIN, 50);
      if (r < 0) break;
      readable = r > 0;
    }
    if (!readable) break;
    strm.start_recording();
    bool connection_closed = false;
    ret = process_request(strm, count == 1, connection_closed, [&](httplib::Request& req) {
      // Called once the request line and headers are read: put back the values as sent.
      std::string block = strm.take_record();
      auto raw = parse_raw_headers(block);
      if (!raw.empty()) {
        req.headers.clear();
        for (auto& [k, v] : raw) req.headers.emplace(std::move(k), std::move(v));
      }
    });
    strm.take_record();
    if (!ret || connection_closed) break;
    count--;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ret;
}

}  // namespace localaws
