#include "dynamodb/composite_key.h"

namespace localaws::ddb {

std::string escape_key_part(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size() + 2);
  for (char ch : bytes) {
    out.push_back(ch);
    if (ch == '\0') out.push_back('\xFF');
  }
  return out;
}

std::string composite_key_part(const std::string& bytes) {
  std::string out = escape_key_part(bytes);
  out.append(2, '\0');
  return out;
}

std::string composite_key(const std::vector<std::string>& parts) {
  std::string out;
  for (auto& p : parts) out += composite_key_part(p);
  return out;
}

}  // namespace localaws::ddb
