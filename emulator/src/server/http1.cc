#include "server/http1.h"

#include "common/strings.h"

namespace localaws::http1 {

namespace {

constexpr size_t kMaxSizeLine = 4096;       // a chunk-size line with its extensions
constexpr size_t kMaxTrailers = 64 * 1024;  // every trailer field together

bool ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view v) {
  while (!v.empty() && ows(v.front())) v.remove_prefix(1);
  while (!v.empty() && ows(v.back())) v.remove_suffix(1);
  return v;
}

// Each comma-separated element of a field value, trimmed (empty elements skipped).
template <typename F>
void each_element(std::string_view v, F&& f) {
  while (!v.empty()) {
    size_t comma = v.find(',');
    std::string_view e = trim(v.substr(0, comma));
    if (!e.empty()) f(e);
    if (comma == std::string_view::npos) break;
    v.remove_prefix(comma + 1);
  }
}

std::optional<uint64_t> decimal(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;  // 19 digits always fit in 63 bits
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool header_safe(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

}  // namespace

FramingResult framing_of(const Headers& headers) {
  FramingResult r;
  std::optional<uint64_t> length;
  bool has_te = false, chunked_last = false, other_coding = false;
  for (auto& [name, value] : headers) {
    if (iequals(name, "content-length")) {
      bool bad = false;
      bool any = false;
      each_element(value, [&](std::string_view e) {
        any = true;
        auto n = decimal(e);
        if (!n || (length && *length != *n)) bad = true;
        else length = n;
      });
      if (bad || !any) return {{}, 400};
    } else if (iequals(name, "transfer-encoding")) {
      has_te = true;
      each_element(value, [&](std::string_view e) {
        if (chunked_last) other_coding = true;  // chunked must be the last coding, once
        if (iequals(e, "chunked")) chunked_last = true;
        else other_coding = true;
      });
    }
  }
  if (has_te) {
    // RFC 9112 6.1: a sender must not send both; a server may reject the message.
    if (length) return {{}, 400};
    if (!chunked_last) return {{}, 400};  // the body's end could not be found
    if (other_coding) return {{}, 501};   // gzip, deflate... are not decoded here
    r.framing.kind = Framing::Kind::kChunked;
    return r;
  }
  if (length) {
    r.framing.kind = Framing::Kind::kLength;
    r.framing.length = *length;
  }
  return r;
}

bool wants_close(std::string_view version, const Headers& headers) {
  bool close = false, keep_alive = false;
  for (auto& [name, value] : headers) {
    if (!iequals(name, "connection")) continue;
    each_element(value, [&](std::string_view e) {
      if (iequals(e, "close")) close = true;
      if (iequals(e, "keep-alive")) keep_alive = true;
    });
  }
  if (close) return true;
  return version == "HTTP/1.0" && !keep_alive;
}

bool expects_continue(const Headers& headers) {
  for (auto& [name, value] : headers) {
    if (iequals(name, "expect") && iequals(trim(value), "100-continue")) return true;
  }
  return false;
}

bool served_method(std::string_view m) {
  return m == "GET" || m == "HEAD" || m == "PUT" || m == "POST" || m == "DELETE" || m == "OPTIONS" || m == "PATCH";
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

size_t ChunkedDecoder::feed(const char* data, size_t len, const http::Sink& sink) {
  size_t i = 0;
  auto size_line_done = [&] {
    line_bytes_ = 0;
    if (remaining_ == 0) {
      step_ = Step::kTrailer;
      trailer_empty_ = true;
    } else {
      step_ = Step::kData;
    }
  };
  auto trailer_line_done = [&] {
    if (trailer_empty_) {
      step_ = Step::kDone;
      state_ = State::kDone;
    } else {
      step_ = Step::kTrailer;
      trailer_empty_ = true;
    }
  };
  while (i < len && state_ == State::kMore) {
    char c = data[i];
    switch (step_) {
      case Step::kSize: {
        int v = hex_value(c);
        if (v >= 0) {
          if (++digits_ > 16) return fail(), i;
          remaining_ = remaining_ * 16 + static_cast<uint64_t>(v);
        } else if (digits_ == 0) {
          return fail(), i;
        } else if (c == ';' || ows(c)) {
          step_ = Step::kExt;
        } else if (c == '\r') {
          step_ = Step::kSizeLf;
        } else if (c == '\n') {
          size_line_done();
        } else {
          return fail(), i;
        }
        i++;
        break;
      }
      case Step::kExt:
        if (++line_bytes_ > kMaxSizeLine) return fail(), i;
        if (c == '\r') step_ = Step::kSizeLf;
        else if (c == '\n') size_line_done();
        i++;
        break;
      case Step::kSizeLf:
        if (c != '\n') return fail(), i;
        size_line_done();
        i++;
        break;
      case Step::kData: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, len - i));
        if (!sink(data + i, n)) {
          sink_refused_ = true;
          return fail(), i;
        }
        i += n;
        remaining_ -= n;
        if (remaining_ == 0) step_ = Step::kDataCr;
        break;
      }
      case Step::kDataCr:
        if (c == '\r') step_ = Step::kDataLf;
        else if (c == '\n') step_ = Step::kSize, digits_ = 0;
        else return fail(), i;
        i++;
        break;
      case Step::kDataLf:
        if (c != '\n') return fail(), i;
        step_ = Step::kSize;
        digits_ = 0;
        i++;
        break;
      case Step::kTrailer:
        if (c == '\r') {
          step_ = Step::kTrailerLf;
        } else if (c == '\n') {
          trailer_line_done();
        } else {
          trailer_empty_ = false;
          if (++line_bytes_ > kMaxTrailers) return fail(), i;
        }
        i++;
        break;
      case Step::kTrailerLf:
        if (c != '\n') return fail(), i;
        trailer_line_done();
        i++;
        break;
      case Step::kDone:
        return i;
    }
  }
  return i;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    case 507: return "Insufficient Storage";
    default: break;
  }
  if (status >= 200 && status < 300) return "OK";
  if (status >= 300 && status < 400) return "Redirection";
  if (status >= 400 && status < 500) return "Client Error";
  return "Server Error";
}

std::string response_head(const http::Response& res, uint64_t content_length, bool body_sent, bool head_request,
                          bool close) {
  std::string out;
  out.reserve(512);
  out.append("HTTP/1.1 ").append(std::to_string(res.status)).append(" ").append(reason_phrase(res.status)).append("\r\n");
  // The length first: a response cut short by an injected fault ends inside its header block,
  // and a client that takes the end of the stream as the end of the headers still sees a short body.
  // RFC 9110 8.6: never a Content-Length on 1xx or 204.
  bool no_length = res.status < 200 || res.status == 204;
  if (!no_length) out.append("Content-Length: ").append(std::to_string(content_length)).append("\r\n");
  bool has_type = false, has_ranges = false;
  for (auto& [name, value] : res.headers) {
    if (name.empty() || !header_safe(name) || !header_safe(value)) continue;
    if (iequals(name, "content-length") || iequals(name, "connection") || iequals(name, "transfer-encoding")) continue;
    if (!has_type && iequals(name, "content-type")) has_type = true;
    if (!has_ranges && iequals(name, "accept-ranges")) has_ranges = true;
    out.append(name).append(": ").append(value).append("\r\n");
  }
  if (!has_type && body_sent && content_length > 0) out.append("Content-Type: text/plain\r\n");
  if (!has_ranges && head_request) out.append("Accept-Ranges: bytes\r\n");
  if (close) out.append("Connection: close\r\n");
  out.append("\r\n");
  return out;
}

}  // namespace localaws::http1
