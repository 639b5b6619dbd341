// The transport's view of a request as it arrives: where a header block ends, and the request
// line and headers exactly as sent (what SigV4 verifies).
#include <catch2/catch.hpp>

#include "server/transport.h"

using namespace localaws;

TEST_CASE("raw header values are kept exactly as sent", "[server]") {
  // cpp-httplib 0.11.4 URL-decodes header values; SigV4 and S3 need the bytes on the wire.
  auto h = parse_raw_headers(
      "PUT /b/k HTTP/1.1\r\nHost: x:1\r\nx-amz-copy-source: src/%C3%BC%20a%2Bb\r\nX-Amz-Meta-P:   100%25  \r\n"
      "Empty:\r\n\r\nbody-not-a-header: 1\r\n");
  REQUIRE(h.size() == 4);
  CHECK(h[0] == std::pair<std::string, std::string>{"Host", "x:1"});
  CHECK(h[1].second == "src/%C3%BC%20a%2Bb");
  CHECK(h[2] == std::pair<std::string, std::string>{"X-Amz-Meta-P", "100%25"});
  CHECK(h[3].second.empty());
}

TEST_CASE("a header block ends at the first empty line", "[server]") {
  CHECK(header_block_end("GET / HTTP/1.1\r\nHost: x\r\n") == std::string::npos);
  CHECK(header_block_end("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody") == 27);
  CHECK(header_block_end("GET / HTTP/1.1\nHost: x\n\nbody") == 24);
  CHECK(header_block_end("GET / HTTP/1.1\r\n\r\n") == 18);
  // Empty lines before a request line are skipped (RFC 9112 2.2), not taken as the end.
  CHECK(header_block_end("\r\n\r\nGET / HTTP/1.1\r\n\r\n") == 22);
  CHECK(header_block_end("") == std::string::npos);
  // Resuming after what an earlier read scanned still finds an end split across the two reads.
  std::string first = "GET / HTTP/1.1\r\nHost: x\r";
  CHECK(header_block_end(first) == std::string::npos);
  CHECK(header_block_end(first + "\n\r\nbody", first.size()) == 27);
  CHECK(header_block_end(first + "\n\r", first.size()) == std::string::npos);
}

TEST_CASE("the request line and headers are kept as sent, repeated names included", "[server]") {
  RawRequest r;
  REQUIRE(parse_raw_request("\r\nPUT /b/a%2Bb?x=%20 HTTP/1.1\r\nHost: h\r\nX-Rep: 1\r\nx-rep: 2\r\n"
                            "Expect: 100-Continue\r\nX-Sp:  a   b  \r\n\r\n",
                            r));
  CHECK(r.method == "PUT");
  CHECK(r.target == "/b/a%2Bb?x=%20");
  CHECK(r.version == "HTTP/1.1");
  REQUIRE(r.headers.size() == 5);
  CHECK(r.headers[1] == std::pair<std::string, std::string>{"X-Rep", "1"});
  CHECK(r.headers[2] == std::pair<std::string, std::string>{"x-rep", "2"});
  CHECK(r.headers[3].second == "100-Continue");
  CHECK(r.headers[4].second == "a   b");  // outer white space trimmed, inner runs kept

  RawRequest bad;
  CHECK_FALSE(parse_raw_request("GARBAGE\r\n\r\n", bad));
  CHECK_FALSE(parse_raw_request("GET / HTTP/9.9\r\n\r\n", bad));
  CHECK_FALSE(parse_raw_request("GET /a b HTTP/1.1\r\n\r\n", bad));
  CHECK_FALSE(parse_raw_request("GET  HTTP/1.1\r\n\r\n", bad));
}
