#include "http/request.h"

namespace localaws::http {

const std::string* Request::header(std::string_view lower_name) const {
  for (auto& [k, v] : headers) {
    if (k == lower_name) return &v;
  }
  return nullptr;
}

std::string Request::header_or(std::string_view lower_name, std::string fallback) const {
  auto* v = header(lower_name);
  return v ? *v : fallback;
}

std::string Request::header_joined(std::string_view lower_name) const {
  std::string out;
  bool first = true;
  for (auto& [k, v] : headers) {
    if (k != lower_name) continue;
    if (!first) out += ",";
    out += v;
    first = false;
  }
  return out;
}

const std::string* Request::query_param(std::string_view name) const {
  for (auto& [k, v] : query) {
    if (k == name) return &v;
  }
  return nullptr;
}

Request make_request(std::string method, std::string target, const HeaderList& headers_as_sent,
                     std::unique_ptr<Body> body) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  auto q = r.target.find('?');
  r.raw_path = r.target.substr(0, q);
  if (q != std::string::npos) r.raw_query = r.target.substr(q + 1);
  if (auto parsed = parse_query(r.raw_query)) r.query = std::move(*parsed);
  r.headers.reserve(headers_as_sent.size());
  for (auto& [k, v] : headers_as_sent) r.headers.emplace_back(to_lower(k), v);
  r.body = body ? std::move(body) : std::make_unique<StringBody>("");
  return r;
}

std::string Request::host_name() const {
  std::string h = header_or("host");
  if (!h.empty() && h[0] == '[') {  // [::1]:4566
    auto close = h.find(']');
    return close == std::string::npos ? h : h.substr(0, close + 1);
  }
  auto colon = h.find(':');
  return colon == std::string::npos ? h : h.substr(0, colon);
}

}  // namespace localaws::http
