// HTTP/1.1 framing (server/http1.h): body lengths, chunked decoding fed in any pieces, keep-alive
// and the response's header block.
#include <catch2/catch.hpp>

#include "server/http1.h"

using namespace localaws;
using http1::ChunkedDecoder;
using http1::Framing;

namespace {

struct Decoded {
  std::string body;
  ChunkedDecoder::State state;
  size_t used = 0;  // bytes consumed in all
};

// Feeds `wire` to a decoder `piece` bytes at a time.
Decoded decode(std::string_view wire, size_t piece) {
  ChunkedDecoder d;
  Decoded out;
  auto sink = [&](const char* p, size_t n) {
    out.body.append(p, n);
    return true;
  };
  size_t pos = 0;
  while (pos < wire.size() && d.state() == ChunkedDecoder::State::kMore) {
    size_t n = std::min(piece, wire.size() - pos);
    size_t used = d.feed(wire.data() + pos, n, sink);
    out.used += used;
    pos += used;
    if (used < n) break;
  }
  out.state = d.state();
  return out;
}

}  // namespace

TEST_CASE("framing: Content-Length, chunked, and what is refused", "[server][http1]") {
  auto f = [](http1::Headers h) { return http1::framing_of(h); };
  CHECK(f({}).framing.kind == Framing::Kind::kNone);
  auto len = f({{"Content-Length", "4096"}});
  CHECK(len.refuse == 0);
  CHECK(len.framing.kind == Framing::Kind::kLength);
  CHECK(len.framing.length == 4096);
  CHECK(f({{"content-length", "5"}, {"Content-Length", "5"}}).framing.length == 5);  // the same twice
  CHECK(f({{"Content-Length", "5, 5"}}).framing.length == 5);
  CHECK(f({{"Transfer-Encoding", "Chunked"}}).framing.kind == Framing::Kind::kChunked);
  for (const char* bad : {"abc", "-1", "", " ", "1.5", "99999999999999999999999", "18446744073709551615", "0x10"}) {
    INFO(bad);
    CHECK(f({{"Content-Length", bad}}).refuse == 400);
  }
  CHECK(f({{"Content-Length", "3"}, {"Content-Length", "5"}}).refuse == 400);
  CHECK(f({{"Transfer-Encoding", "chunked"}, {"Content-Length", "4"}}).refuse == 400);  // smuggling shape
  CHECK(f({{"Transfer-Encoding", "gzip"}}).refuse == 400);             // no way to find the end
  CHECK(f({{"Transfer-Encoding", "gzip, chunked"}}).refuse == 501);    // a coding not decoded here
  CHECK(f({{"Transfer-Encoding", "chunked, chunked"}}).refuse == 501);
}

TEST_CASE("chunked bodies decode the same whatever the pieces they arrive in", "[server][http1]") {
  std::string wire = "4\r\nWiki\r\n5;name=value\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: t\r\n\r\nNEXT";
  for (size_t piece : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, wire.size()}) {
    INFO(piece);
    auto d = decode(wire, piece);
    CHECK(d.state == ChunkedDecoder::State::kDone);
    CHECK(d.body == "Wikipedia in\r\n\r\nchunks.");
    CHECK(wire.substr(d.used) == "NEXT");  // the next request's bytes are left alone
  }
  // Bare LF line ends are tolerated; upper-case hex; an empty body.
  CHECK(decode("A\nabcdefghij\n0\n\n", 3).body == "abcdefghij");
  CHECK(decode("0\r\n\r\n", 1).state == ChunkedDecoder::State::kDone);
}

TEST_CASE("malformed chunked bodies are errors, never more data", "[server][http1]") {
  for (const char* bad : {"zz\r\nabcd\r\n0\r\n\r\n", "ffffffffffffffff0\r\n", "\r\n", "4\r\nabcdX\r\n", "4\rX",
                          ";ext\r\n"}) {
    INFO(bad);
    CHECK(decode(bad, 1).state == ChunkedDecoder::State::kError);
  }
  // Incomplete is neither done nor an error: more bytes are awaited.
  CHECK(decode("ffffffffffffffff\r\nabcd", 4).state == ChunkedDecoder::State::kMore);
  // A size line's extensions are bounded.
  CHECK(decode("1;" + std::string(5000, 'x') + "\r\n", 64).state == ChunkedDecoder::State::kError);
  // A sink that says stop ends decoding.
  ChunkedDecoder d;
  std::string wire = "3\r\nabc\r\n0\r\n\r\n";
  d.feed(wire.data(), wire.size(), [](const char*, size_t) { return false; });
  CHECK(d.state() == ChunkedDecoder::State::kError);
  CHECK(d.sink_refused());
}

TEST_CASE("keep-alive, Expect and method tokens", "[server][http1]") {
  CHECK_FALSE(http1::wants_close("HTTP/1.1", {}));
  CHECK(http1::wants_close("HTTP/1.1", {{"Connection", "Close"}}));
  CHECK(http1::wants_close("HTTP/1.1", {{"connection", "keep-alive, close"}}));
  CHECK(http1::wants_close("HTTP/1.0", {}));
  CHECK_FALSE(http1::wants_close("HTTP/1.0", {{"Connection", "Keep-Alive"}}));
  CHECK(http1::expects_continue({{"EXPECT", "100-Continue"}}));
  CHECK_FALSE(http1::expects_continue({{"Expect", "200-ok"}}));
  CHECK(http1::is_token("GET"));
  CHECK(http1::is_token("M-SEARCH"));
  CHECK_FALSE(http1::is_token("G\x01T"));
  CHECK_FALSE(http1::is_token(""));
  CHECK(http1::served_method("PATCH"));
  CHECK_FALSE(http1::served_method("TRACE"));
  CHECK_FALSE(http1::served_method("get"));  // methods are case-sensitive (RFC 9110 9.1)
}

TEST_CASE("response head: status line, length first, unsafe headers dropped", "[server][http1]") {
  http::Response r;
  r.status = 200;
  r.add_header("x-amz-request-id", "ABC");
  r.add_header("Content-Length", "999");  // replaced by the real length
  r.add_header("X-Split", "a\r\nInjected: yes");
  r.add_header("Connection", "keep-alive");  // the transport decides
  CHECK(http1::response_head(r, 12, true, false, false) ==
        "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nx-amz-request-id: ABC\r\nContent-Type: text/plain\r\n\r\n");
  r.add_header("Content-Type", "application/xml");
  CHECK(http1::response_head(r, 12, false, true, true) ==
        "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nx-amz-request-id: ABC\r\nContent-Type: application/xml\r\n"
        "Accept-Ranges: bytes\r\nConnection: close\r\n\r\n");
  http::Response none;
  none.status = 204;
  CHECK(http1::response_head(none, 0, false, false, false) == "HTTP/1.1 204 No Content\r\n\r\n");
  none.status = 503;
  CHECK(http1::response_head(none, 0, false, false, false) ==
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
  CHECK(std::string(http1::reason_phrase(299)) == "OK");
}
