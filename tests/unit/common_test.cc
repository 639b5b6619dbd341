// Hashes, checksums, encodings and time formats against published check values.
#include <catch2/catch.hpp>

#include <ctime>

#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"

using namespace localaws;

static const std::string kCheck = "123456789";  // the standard CRC check input

TEST_CASE("CRC check values", "[common]") {
  CHECK(crc32_update(0, kCheck.data(), kCheck.size()) == 0xCBF43926u);
  CHECK(crc32c_update(0, kCheck.data(), kCheck.size()) == 0xE3069283u);
  CHECK(crc64nvme_update(0, kCheck.data(), kCheck.size()) == 0xAE8B14860A799888ull);
  // Long inputs, in uneven pieces, against a bit-at-a-time reference of each polynomial.
  std::string data;
  for (int i = 0; i < 1000; i++) data.push_back(static_cast<char>((i * 131 + 7) % 251));
  auto ref = [&](uint64_t poly, int bits) {
    uint64_t crc = bits == 32 ? 0xFFFFFFFFull : ~0ull;
    for (unsigned char ch : data) {
      crc ^= ch;
      for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ poly : (crc >> 1);
    }
    return bits == 32 ? (~crc & 0xFFFFFFFFull) : ~crc;
  };
  uint32_t c32 = 0;
  uint64_t c64 = 0;
  for (size_t at = 0, n = 1; at < data.size(); at += n, n = n * 3 % 17 + 1) {
    size_t len = std::min(n, data.size() - at);
    c32 = crc32c_update(c32, data.data() + at, len);
    c64 = crc64nvme_update(c64, data.data() + at, len);
  }
  CHECK(c32 == ref(0x82F63B78u, 32));
  CHECK(c64 == ref(0x9A6C9329AC4BC9B5ull, 64));
  // Streaming in pieces equals one pass.
  uint32_t c = crc32c_update(0, kCheck.data(), 4);
  c = crc32c_update(c, kCheck.data() + 4, kCheck.size() - 4);
  CHECK(c == 0xE3069283u);
  uint64_t d = crc64nvme_update(0, kCheck.data(), 1);
  d = crc64nvme_update(d, kCheck.data() + 1, kCheck.size() - 1);
  CHECK(d == 0xAE8B14860A799888ull);
}

TEST_CASE("S3 checksum header encoding", "[common]") {
  // S3 sends x-amz-checksum-crc32 as base64 of the big-endian bytes; "" -> AAAAAA==.
  CHECK(base64_encode(be32(crc32_update(0, "", 0))) == "AAAAAA==");
  CHECK(base64_encode(be32(crc32_update(0, "hello world", 11))) == "DUoRhQ==");
  CHECK(base64_encode(be32(crc32c_update(0, "hello world", 11))) == "yZRlqg==");
}

TEST_CASE("digests", "[common]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(md5_raw("")) == "d41d8cd98f00b204e9800998ecf8427e");
  Digest sha1(Digest::Kind::kSha1);
  sha1.update("abc");
  CHECK(to_hex(sha1.final()) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(to_hex(hmac_sha256("key", "The quick brown fox jumps over the lazy dog")) ==
        "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST_CASE("base64 round trip and rejection", "[common]") {
  std::string out;
  REQUIRE(base64_decode("aGVsbG8=", out));
  CHECK(out == "hello");
  REQUIRE(base64_decode("", out));
  CHECK(out.empty());
  CHECK_FALSE(base64_decode("aGVsbG8", out));    // length not a multiple of 4
  CHECK_FALSE(base64_decode("aG=sbG8=", out));   // padding in the middle
  CHECK_FALSE(base64_decode("aGV*bG8=", out));   // not in the alphabet
  CHECK(base64_encode(std::string("\x00\xff\x10", 3)) == "AP8Q");
}

TEST_CASE("URI encoding as SigV4 wants it", "[common]") {
  CHECK(uri_encode("a b+c~d_e-f.g/h") == "a%20b%2Bc~d_e-f.g%2Fh");
  CHECK(uri_encode("a b/c", true) == "a%20b/c");
  CHECK(uri_encode("\xc3\xa9") == "%C3%A9");
  CHECK(uri_decode("a%20b+c").value() == "a b+c");
  CHECK(uri_decode("a%20b+c", true).value() == "a b c");
  CHECK_FALSE(uri_decode("%zz").has_value());
  CHECK_FALSE(uri_decode("abc%4").has_value());
  CHECK_FALSE(uri_decode("%").has_value());
}

TEST_CASE("query parsing keeps order and empty values", "[common]") {
  auto q = parse_query("list-type=2&prefix=&acl&k=a%2Fb+c");
  REQUIRE(q.has_value());
  REQUIRE(q->size() == 4);
  CHECK((*q)[0] == std::pair<std::string, std::string>{"list-type", "2"});
  CHECK((*q)[1] == std::pair<std::string, std::string>{"prefix", ""});
  CHECK((*q)[2] == std::pair<std::string, std::string>{"acl", ""});
  CHECK((*q)[3] == std::pair<std::string, std::string>{"k", "a/b c"});
  CHECK_FALSE(parse_query("a=%G0").has_value());
}

TEST_CASE("UTF-8 validation", "[common]") {
  CHECK(valid_utf8("plain"));
  CHECK(valid_utf8("caf\xc3\xa9 \xf0\x9f\x98\x80"));
  CHECK_FALSE(valid_utf8("\xc3"));              // truncated
  CHECK_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate
  CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
  CHECK_FALSE(valid_utf8("\xff"));
}

TEST_CASE("number parsing is strict", "[common]") {
  CHECK(parse_u64("0").value() == 0);
  CHECK(parse_u64("18446744073709551615").value() == UINT64_MAX);
  CHECK_FALSE(parse_u64("18446744073709551616").has_value());
  CHECK_FALSE(parse_u64("-1").has_value());
  CHECK_FALSE(parse_u64(" 1").has_value());
  CHECK_FALSE(parse_u64("").has_value());
  CHECK(parse_i64("-42").value() == -42);
}

TEST_CASE("time formats", "[common]") {
  CHECK(iso8601_basic(1440938160) == "20150830T123600Z");
  CHECK(iso8601_ms(1440938160123) == "2015-08-30T12:36:00.123Z");
  CHECK(http_date(1440938160) == "Sun, 30 Aug 2015 12:36:00 GMT");
  CHECK(iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(iso8601_ms(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(iso8601_ms(253402300799999) == "9999-12-31T23:59:59.999Z");
  CHECK(http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(http_date(1796428800) == "Sat, 05 Dec 2026 00:00:00 GMT");
  CHECK(parse_iso8601_basic("20150830T123600Z").value() == 1440938160);
  CHECK_FALSE(parse_iso8601_basic("20150830T123600").has_value());
  CHECK_FALSE(parse_iso8601_basic("2015-08-30T12:36:00Z").has_value());
  CHECK(parse_iso8601("2015-08-30T12:36:00.000Z").value() == 1440938160);
  CHECK(parse_http_date("Sun, 30 Aug 2015 12:36:00 GMT").value() == 1440938160);
  CHECK_FALSE(parse_http_date("yesterday").has_value());
  CHECK(parse_http_date("Sun, 30 Aug 2015 12:36:00 +0000").value() == 1440938160);
  CHECK(parse_http_date("Sun, 30 Aug 2015 14:36:00 +0200").value() == 1440938160);
  CHECK_FALSE(parse_http_date("Sun, 30 Aug 2015 12:36:00 +00").has_value());
}

TEST_CASE("calendar arithmetic agrees with gmtime_r", "[common]") {
  // Random seconds, midnights and the seconds before them over years 1000 to 9999 (strftime does
  // not pad smaller years to four digits; the fixed checks below cover year 1).
  auto reference = [](int64_t s) {
    std::time_t t = static_cast<std::time_t>(s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return std::string(buf);
  };
  const int64_t first = -30610224000;  // 1000-01-01T00:00:00Z
  const int64_t last = 253402300799;   // 9999-12-31T23:59:59Z
  uint64_t state = 12345;
  for (int i = 0; i < 200000; i++) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    int64_t s = first + static_cast<int64_t>((state >> 11) % static_cast<uint64_t>(last - first));
    if (i % 2) s -= s % 86400 + (i % 4 == 1 ? 1 : 0);  // a midnight, or the second before it
    INFO(s);
    REQUIRE(http_date(s) == reference(s));
  }
  CHECK(http_date(951782400) == "Tue, 29 Feb 2000 00:00:00 GMT");
  CHECK(http_date(4107542400) == "Mon, 01 Mar 2100 00:00:00 GMT");  // 2100 is not a leap year
  CHECK(iso8601_ms(-62135596800000) == "0001-01-01T00:00:00.000Z");
  CHECK(iso8601_basic(-86400) == "19691231T000000Z");
}

