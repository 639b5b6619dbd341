#include "http/body.h"

namespace localaws::http {

std::optional<BodyError> read_all(Body& body, size_t limit, std::string& out) {
  out.clear();
  if (auto n = body.length(); n && *n > limit) {
    return BodyError{400, "MaxMessageLengthExceeded", "Your request was too big."};
  }
  bool too_big = false;
  auto err = body.read([&](const char* data, size_t len) {
    if (out.size() + len > limit) {
      too_big = true;
      return false;
    }
    out.append(data, len);
    return true;
  });
  if (too_big) return BodyError{400, "MaxMessageLengthExceeded", "Your request was too big."};
  return err;
}

}  // namespace localaws::http
