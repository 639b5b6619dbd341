// Helpers shared by the libFuzzer targets: cut the fuzzer's bytes into fields and build an
// http::Request from a raw "METHOD target\nname: value\n...\n\nbody" text, the way the server does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/strings.h"
#include "http/body.h"
#include "http/request.h"

namespace localaws::fuzz {

// Splits at every `sep` (empty fields kept), at most max_fields fields (the last keeps the rest).
inline std::vector<std::string_view> split(std::string_view s, char sep, size_t max_fields = 64) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < max_fields) {
    auto p = s.find(sep);
    if (p == std::string_view::npos) break;
    out.push_back(s.substr(0, p));
    s.remove_prefix(p + 1);
  }
  out.push_back(s);
  return out;
}

// "METHOD target\nheader: value\n...\n\nbody", built with http::make_request as the server does.
inline http::Request parse_request(std::string_view text) {
  auto end = text.find("\n\n");
  std::string_view head = text.substr(0, end);
  std::string body = end == std::string_view::npos ? std::string() : std::string(text.substr(end + 2));
  auto lines = split(head, '\n', 128);
  auto sp = lines[0].find(' ');
  std::string method(lines[0].substr(0, sp));
  std::string target = sp == std::string_view::npos ? "/" : std::string(lines[0].substr(sp + 1));
  http::HeaderList headers;
  for (size_t i = 1; i < lines.size(); i++) {
    auto c = lines[i].find(':');
    if (c == std::string_view::npos) continue;
    std::string value(lines[i].substr(c + 1));
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    headers.emplace_back(std::string(lines[i].substr(0, c)), value);
  }
  http::Request r = http::make_request(method, target, headers, std::make_unique<http::StringBody>(std::move(body)));
  r.remote_addr = "127.0.0.1";
  r.request_id = "FUZZ";
  return r;
}

// Reads a body to the end, keeping at most `limit` bytes (the rest is counted, not kept).
inline std::string drain(http::Body& body, size_t limit = 1 << 20) {
  std::string out;
  body.read([&](const char* d, size_t n) {
    out.append(d, std::min(n, limit - std::min(limit, out.size())));
    return true;
  });
  return out;
}

}  // namespace localaws::fuzz
