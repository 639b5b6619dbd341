#include "http/response.h"

#include <unistd.h>

#include <cerrno>

#include "common/strings.h"

namespace localaws::http {

OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

int64_t OpenFile::read_at(uint64_t offset, char* buf, size_t len) const {
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::pread(fd_, buf + done, len - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return static_cast<int64_t>(done);
}

void Response::set_header(const std::string& name, std::string value) {
  remove_header(name);
  headers.emplace_back(name, std::move(value));
}

void Response::add_header(const std::string& name, std::string value) { headers.emplace_back(name, std::move(value)); }

const std::string* Response::header(std::string_view name) const {
  for (auto& [k, v] : headers) {
    if (iequals(k, name)) return &v;
  }
  return nullptr;
}

void Response::remove_header(std::string_view name) {
  std::erase_if(headers, [&](auto& kv) { return iequals(kv.first, name); });
}

}  // namespace localaws::http
