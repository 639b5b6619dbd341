// HTTP/1.1 message framing for the transport (RFC 9112), without sockets: how long a request body
// is, decoding a chunked body as it arrives, and a response's status line and header block.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/body.h"
#include "http/response.h"

namespace localaws::http1 {

using Headers = std::vector<std::pair<std::string, std::string>>;  // names and values as sent

// How a request's body is delimited (RFC 9112 6.3).
struct Framing {
  enum class Kind { kNone, kLength, kChunked } kind = Kind::kNone;
  uint64_t length = 0;  // kLength
};

// The framing the headers announce, or the status to refuse the request with: 400 for a
// malformed or conflicting Content-Length, or Content-Length beside Transfer-Encoding; 501 for a
// transfer coding other than plain "chunked".
struct FramingResult {
  Framing framing;
  int refuse = 0;  // 0: framing is valid
};
FramingResult framing_of(const Headers& headers);

// The connection ends after this exchange: "Connection: close", or HTTP/1.0 without keep-alive.
bool wants_close(std::string_view version, const Headers& headers);

// True when the request says Expect: 100-continue (the value compared case-insensitively).
bool expects_continue(const Headers& headers);

// A method token the transport hands to the application (the rest are answered 501).
bool served_method(std::string_view method);
// RFC 9110 5.6.2 token characters only.
bool is_token(std::string_view s);

// Decodes a chunked body fed in pieces of any size: chunk data goes to the sink, chunk
// extensions and trailer fields are read and dropped.
class ChunkedDecoder {
 public:
  enum class State { kMore, kDone, kError };
  // Consumes bytes from data, returns how many (fewer than len only when done: the rest belongs
  // to the next request). state() says what happened; kError also when the sink refused.
  size_t feed(const char* data, size_t len, const http::Sink& sink);
  State state() const { return state_; }
  bool sink_refused() const { return sink_refused_; }

 private:
  enum class Step { kSize, kExt, kSizeLf, kData, kDataCr, kDataLf, kTrailer, kTrailerLf, kDone };
  State state_ = State::kMore;
  Step step_ = Step::kSize;
  uint64_t remaining_ = 0;
  int digits_ = 0;
  size_t line_bytes_ = 0;  // of the current size line or trailer field (bounded)
  bool trailer_empty_ = true;
  bool sink_refused_ = false;
  void fail() { state_ = State::kError; }
};

// The reason phrase for a status code ("OK", "Not Found", ...).
const char* reason_phrase(int status);

// The status line and header block for res: Content-Length (content_length) first, none on 1xx
// and 204, then res's headers in order (its own Content-Length, Connection and Transfer-Encoding
// left out; a name or value with CR, LF or NUL is left out), Content-Type
// text/plain when body bytes follow without one, Accept-Ranges on HEAD, "Connection: close" when
// close is set.
std::string response_head(const http::Response& res, uint64_t content_length, bool body_sent, bool head_request,
                          bool close);

}  // namespace localaws::http1
