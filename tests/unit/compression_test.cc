// Accept-Encoding negotiation (the cases measured on DynamoDB) and gzip / deflate round trips,
// corrupt data and the decoded-size cap.
#include <catch2/catch.hpp>
#include <zlib.h>

#include <random>

#include "common/compression.h"

using namespace localaws;
using compression::Coding;

namespace {

Coding choose(const char* accept) { return compression::choose_response_coding(std::string_view(accept)); }

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string json_like(size_t n) {
  std::string s;
  for (size_t i = 0; s.size() < n; ++i) s += "{\"pk\":{\"S\":\"item-" + std::to_string(i) + "\"},\"n\":{\"N\":\"42\"}},";
  s.resize(n);
  return s;
}

// Decompresses with zlib directly (not our decoder): proves compress() writes standard streams.
std::string zlib_inflate(std::string_view data, int window_bits) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, window_bits) == Z_OK);
  std::string out;
  char buf[4096];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    REQUIRE((rc == Z_OK || rc == Z_STREAM_END));
    out.append(buf, sizeof buf - z.avail_out);
  } while (rc != Z_STREAM_END);
  CHECK(z.avail_in == 0);
  inflateEnd(&z);
  return out;
}

}  // namespace

TEST_CASE("compression: no Accept-Encoding, identity and unknown codings get identity", "[compression]") {
  CHECK(compression::choose_response_coding(std::nullopt) == Coding::kIdentity);
  CHECK(choose("") == Coding::kIdentity);
  CHECK(choose("identity") == Coding::kIdentity);
  CHECK(choose("br") == Coding::kIdentity);
  CHECK(choose("zstd") == Coding::kIdentity);
  CHECK(choose("compress") == Coding::kIdentity);
  CHECK(choose("x-gzip") == Coding::kIdentity);
  CHECK(choose("\"gzip\"") == Coding::kIdentity);
  CHECK(choose("gzip br") == Coding::kIdentity);
  CHECK(choose("gzip:q=1") == Coding::kIdentity);
  CHECK(choose(" , ,") == Coding::kIdentity);
}

TEST_CASE("compression: plain lists, case and whitespace", "[compression]") {
  CHECK(choose("gzip") == Coding::kGzip);
  CHECK(choose("deflate") == Coding::kDeflate);
  CHECK(choose("gzip, deflate") == Coding::kGzip);
  CHECK(choose("deflate, gzip") == Coding::kDeflate);               // equal q: the first named
  CHECK(choose("br, identity, deflate, gzip") == Coding::kDeflate);
  CHECK(choose("GZIP, identity") == Coding::kGzip);
  CHECK(choose("DeFlAtE") == Coding::kDeflate);
  CHECK(choose("dog, gzip ,, cat") == Coding::kGzip);
  CHECK(choose("\tgzip\t") == Coding::kGzip);
}

TEST_CASE("compression: q-values", "[compression]") {
  CHECK(choose("gzip;q=0") == Coding::kIdentity);
  CHECK(choose("gzip ;q=0") == Coding::kIdentity);
  CHECK(choose("gzip; Q=0") == Coding::kIdentity);
  CHECK(choose("gzip;q=0.000") == Coding::kIdentity);
  CHECK(choose("gzip;q=0, deflate;q=0") == Coding::kIdentity);
  CHECK(choose("gzip;q=0, deflate") == Coding::kDeflate);
  CHECK(choose("gzip;q=0.8, deflate;q=0.5") == Coding::kGzip);
  CHECK(choose("gzip;q=0.5, deflate;q=0.8") == Coding::kDeflate);
  CHECK(choose("br, gzip;q=0, deflate; q = 0.5 , identity;q=0") == Coding::kDeflate);
  CHECK(choose("br,identity;q=0.5,gzip;q=0.0001") == Coding::kGzip);  // tiny but not zero
  // Out of range: above 1 counts as 1, below 0 as 0.
  CHECK(choose("deflate;q=0.5, gzip;q=31") == Coding::kGzip);
  CHECK(choose("gzip;q=31,deflate;q=51") == Coding::kGzip);
  CHECK(choose("deflate;q=-0.5,gzip;q=0.2") == Coding::kGzip);
  // The first parsable q counts; an unparsable one is ignored (q stays 1); other parameters too.
  CHECK(choose("deflate;q=0.5, gzip;q=1;q=0.2") == Coding::kGzip);
  CHECK(choose("deflate;q=0.5,gzip;q=0.") == Coding::kDeflate);
  CHECK(choose("deflate;q=0.5,gzip;q=0.x") == Coding::kGzip);
  CHECK(choose("gzip;q=1e-9") == Coding::kGzip);
  CHECK(choose("gzip;nq=1;q=0 ") == Coding::kIdentity);
  CHECK(choose("gzip;level=9") == Coding::kGzip);
  // Listed twice: the first q above 0 stays.
  CHECK(choose("gzip;q=0, gzip;q=1, gzip;q=0") == Coding::kGzip);
  CHECK(choose("gzip;q=0.2, deflate;q=0.5, gzip;q=0.9") == Coding::kDeflate);
}

TEST_CASE("compression: identity and the * wildcard", "[compression]") {
  CHECK(choose("identity;q=0") == Coding::kIdentity);  // nothing else offered: sent as is anyway
  CHECK(choose("*") == Coding::kGzip);
  CHECK(choose("*;q=0") == Coding::kIdentity);
  CHECK(choose("*, deflate;q=0.5") == Coding::kGzip);
  CHECK(choose("*, deflate") == Coding::kDeflate);  // named beats wildcard at equal q
  CHECK(choose("*, identity") == Coding::kGzip);
  CHECK(choose("*, gzip;q=0.5") == Coding::kDeflate);
  CHECK(choose("*;q=0, gzip") == Coding::kGzip);
  CHECK(choose("gzip;q=0, *") == Coding::kDeflate);
  CHECK(choose("*;q=0.5,identity") == Coding::kGzip);  // identity never beats q > 0
  CHECK(choose("gzip;q=0.5,identity;q=0.8") == Coding::kGzip);
  CHECK(choose("br;q=0.8,identity;q=0.5,*;q=0") == Coding::kIdentity);
}

TEST_CASE("compression: gzip and deflate round trips, standard streams", "[compression]") {
  for (size_t n : {size_t(0), size_t(1), size_t(4096), size_t(100000), size_t(3 << 20)}) {
    for (std::string data : {json_like(n), random_bytes(n, static_cast<unsigned>(n))}) {
      std::string gz = compression::compress(Coding::kGzip, data);
      std::string df = compression::compress(Coding::kDeflate, data);
      REQUIRE(gz.size() >= 18);  // gzip header + trailer
      CHECK(static_cast<unsigned char>(gz[0]) == 0x1f);
      CHECK(static_cast<unsigned char>(gz[1]) == 0x8b);
      CHECK((static_cast<unsigned char>(df[0]) * 256 + static_cast<unsigned char>(df[1])) % 31 == 0);  // zlib header
      CHECK(zlib_inflate(gz, 15 + 16) == data);
      CHECK(zlib_inflate(df, 15) == data);
      std::string out;
      CHECK_FALSE(compression::decompress(Coding::kGzip, gz, data.size(), out));
      CHECK(out == data);
      CHECK_FALSE(compression::decompress(Coding::kDeflate, df, data.size(), out));
      CHECK(out == data);
    }
  }
  std::string text = json_like(50000);
  CHECK(compression::compress(Coding::kGzip, text).size() < text.size() / 4);
  CHECK(compression::compress(Coding::kIdentity, text) == text);
}

TEST_CASE("compression: several gzip members decode as one body; deflate is one stream", "[compression]") {
  std::string a = json_like(10), b = json_like(3000);
  std::string out;
  CHECK_FALSE(compression::decompress(Coding::kGzip,
                                      compression::compress(Coding::kGzip, a) + compression::compress(Coding::kGzip, b),
                                      1 << 20, out));
  CHECK(out == a + b);
  auto err = compression::decompress(
      Coding::kDeflate, compression::compress(Coding::kDeflate, a) + compression::compress(Coding::kDeflate, b), 1 << 20,
      out);
  REQUIRE(err);
  CHECK_FALSE(err->too_large);
  CHECK(out.empty());
}

TEST_CASE("compression: broken data is an error, never a partial body", "[compression]") {
  std::string text = json_like(20000);
  std::string gz = compression::compress(Coding::kGzip, text);
  std::string df = compression::compress(Coding::kDeflate, text);
  std::string out;
  auto bad = [&](Coding c, std::string_view data) {
    auto err = compression::decompress(c, data, 1 << 20, out);
    REQUIRE(err);
    CHECK_FALSE(err->too_large);
    CHECK(err->message.find(compression::coding_name(c)) != std::string::npos);
    CHECK(out.empty());
  };
  bad(Coding::kGzip, "");
  bad(Coding::kDeflate, "");
  bad(Coding::kGzip, text);                           // not compressed at all
  bad(Coding::kDeflate, text);
  bad(Coding::kGzip, df);                             // the other format
  bad(Coding::kDeflate, gz);
  bad(Coding::kGzip, gz.substr(0, gz.size() - 1));    // truncated trailer
  bad(Coding::kGzip, gz.substr(0, gz.size() / 2));    // truncated data
  bad(Coding::kDeflate, df.substr(0, df.size() - 1));
  bad(Coding::kGzip, gz + "junk");                    // bytes after the last member
  bad(Coding::kDeflate, df + "junk");
  std::string flipped = gz;
  flipped[gz.size() - 6] ^= 0x55;                     // CRC32 in the trailer
  bad(Coding::kGzip, flipped);
  std::string corrupt = df;
  corrupt[df.size() / 2] ^= 0xff;
  auto err = compression::decompress(Coding::kDeflate, corrupt, 1 << 20, out);
  CHECK(err);  // either the data or the Adler-32 check fails
}

TEST_CASE("compression: the decoded size is capped (a zip bomb cannot exhaust memory)", "[compression]") {
  std::string zeros(64 << 20, '\0');  // 64 MiB -> about 64 KB of gzip
  std::string bomb = compression::compress(Coding::kGzip, zeros);
  CHECK(bomb.size() < 100000);
  zeros.clear();
  zeros.shrink_to_fit();
  std::string out;
  auto err = compression::decompress(Coding::kGzip, bomb, 16 << 20, out);
  REQUIRE(err);
  CHECK(err->too_large);
  CHECK(out.capacity() <= 2 * (16u << 20));  // stopped at the cap (string growth at most doubles it)
  out.clear();
  // Exactly at the cap is fine; one byte over is not.
  std::string data = json_like(100000);
  std::string df = compression::compress(Coding::kDeflate, data);
  CHECK_FALSE(compression::decompress(Coding::kDeflate, df, data.size(), out));
  auto over = compression::decompress(Coding::kDeflate, df, data.size() - 1, out);
  REQUIRE(over);
  CHECK(over->too_large);
  CHECK(compression::decompress(Coding::kIdentity, data, data.size() - 1, out)->too_large);
}

TEST_CASE("compression: Content-Encoding values", "[compression]") {
  std::string unknown;
  CHECK(compression::parse_content_encoding("") == std::vector<Coding>{});
  CHECK(compression::parse_content_encoding("identity") == std::vector<Coding>{});
  CHECK(compression::parse_content_encoding("GZIP") == std::vector<Coding>{Coding::kGzip});
  CHECK(compression::parse_content_encoding(" deflate ") == std::vector<Coding>{Coding::kDeflate});
  CHECK(compression::parse_content_encoding("deflate, gzip") == std::vector<Coding>{Coding::kDeflate, Coding::kGzip});
  CHECK_FALSE(compression::parse_content_encoding("garbage", &unknown));
  CHECK(unknown == "garbage");
  CHECK_FALSE(compression::parse_content_encoding("gzip, br", &unknown));
  CHECK(unknown == "br");
  CHECK(std::string(compression::coding_name(Coding::kGzip)) == "gzip");
  CHECK(std::string(compression::coding_name(Coding::kDeflate)) == "deflate");
  CHECK(std::string(compression::coding_name(Coding::kIdentity)) == "identity");
}
