// S3 checksums (s3/checksum.h): the algorithms against published check values and the AWS SDK for
// JavaScript v3's own implementations (@aws-sdk/checksums Crc64Nvme / Crc32c, values computed with
// it once and written here), the CRC combination used for FULL_OBJECT multipart checksums against
// computing over the concatenated bytes, and the multipart checksum type rules.
#include <zlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "common/crypto.h"
#include "s3/checksum.h"

using namespace localaws;
using namespace localaws::s3;

namespace {
std::string b64_of(Algo a, std::string_view data) {
  Checksummer cs(a);
  cs.update(data.data(), data.size());
  return base64_encode(cs.final());
}

std::string raw_of(Algo a, std::string_view data) {
  Checksummer cs(a);
  cs.update(data.data(), data.size());
  return cs.final();
}

// 3 MiB + 7 bytes of (i * 31 + 7) & 0xff, as the JS oracle computed it.
std::string pattern() {
  std::string s(3 * 1024 * 1024 + 7, '\0');
  for (size_t i = 0; i < s.size(); i++) s[i] = static_cast<char>((i * 31 + 7) & 0xff);
  return s;
}
}  // namespace

TEST_CASE("CRC64NVME against the JS SDK's Crc64Nvme", "[s3][checksum]") {
  CHECK(b64_of(Algo::kCrc64Nvme, "") == "AAAAAAAAAAA=");
  CHECK(b64_of(Algo::kCrc64Nvme, "123456789") == "rosUhgp5mIg=");  // the CRC-64/NVME check value 0xAE8B14860A799888
  CHECK(b64_of(Algo::kCrc64Nvme, "hello world") == "jSnVw/bqjr4=");
  CHECK(b64_of(Algo::kCrc64Nvme, "Hello, World!") == "1Km+Qyat0k0=");
  CHECK(b64_of(Algo::kCrc64Nvme, pattern()) == "4VuLf6/1qAA=");
  // Streamed in uneven pieces equals one pass.
  std::string p = pattern();
  Checksummer cs(Algo::kCrc64Nvme);
  for (size_t off = 0, step = 1; off < p.size(); off += step, step = step * 3 + 1)
    cs.update(p.data() + off, std::min(step, p.size() - off));
  CHECK(base64_encode(cs.final()) == "4VuLf6/1qAA=");
}

TEST_CASE("CRC32C and CRC32 against the JS SDK and zlib", "[s3][checksum]") {
  CHECK(b64_of(Algo::kCrc32c, "") == "AAAAAA==");
  CHECK(b64_of(Algo::kCrc32c, "123456789") == "4waSgw==");
  CHECK(b64_of(Algo::kCrc32c, "Hello, World!") == "TVUQaA==");
  CHECK(b64_of(Algo::kCrc32c, pattern()) == "4g5PMg==");
  std::string p = pattern();
  uint32_t z = static_cast<uint32_t>(::crc32(0, reinterpret_cast<const Bytef*>(p.data()), static_cast<uInt>(p.size())));
  CHECK(raw_of(Algo::kCrc32, p) == be32(z));
}

TEST_CASE("CRC combination equals the CRC of the concatenation", "[s3][checksum]") {
  std::string p = pattern();
  for (Algo a : {Algo::kCrc32, Algo::kCrc32c, Algo::kCrc64Nvme}) {
    INFO(algo_name(a));
    std::string whole = raw_of(a, p);
    for (size_t cut : {size_t{0}, size_t{1}, size_t{7}, size_t{65536}, p.size() / 2, p.size() - 1, p.size()}) {
      INFO("cut " << cut);
      std::string left = raw_of(a, std::string_view(p).substr(0, cut));
      std::string right = raw_of(a, std::string_view(p).substr(cut));
      CHECK(crc_combine(a, left, right, p.size() - cut) == whole);
    }
    // Three parts, folded left to right as CompleteMultipartUpload does.
    size_t b1 = 1024 * 1024, b2 = 2 * 1024 * 1024 + 3;
    std::string acc = raw_of(a, std::string_view(p).substr(0, b1));
    acc = crc_combine(a, acc, raw_of(a, std::string_view(p).substr(b1, b2 - b1)), b2 - b1);
    acc = crc_combine(a, acc, raw_of(a, std::string_view(p).substr(b2)), p.size() - b2);
    CHECK(acc == whole);
  }
  // The same as zlib's own crc32_combine, including lengths past 4 GiB that no test writes.
  uint32_t x = 0x12345678u, y = 0x9abcdef0u;
  for (uint64_t len : {uint64_t{0}, uint64_t{1}, uint64_t{1000}, uint64_t{5} << 20, (uint64_t{5} << 30) + 17}) {
    INFO("len " << len);
    CHECK(crc32_combine(x, y, len) == static_cast<uint32_t>(::crc32_combine(x, y, static_cast<z_off_t>(len))));
  }
  CHECK(crc_combine(Algo::kSha256, "a", "b", 1).empty());
}

TEST_CASE("multipart checksum type rules", "[s3][checksum]") {
  CHECK(std::string(default_checksum_type(Algo::kCrc64Nvme)) == "FULL_OBJECT");
  CHECK(std::string(default_checksum_type(Algo::kCrc32)) == "COMPOSITE");
  CHECK(std::string(default_checksum_type(Algo::kSha256)) == "COMPOSITE");
  for (Algo a : {Algo::kCrc32, Algo::kCrc32c}) {
    CHECK(checksum_type_error(a, "COMPOSITE").empty());
    CHECK(checksum_type_error(a, "FULL_OBJECT").empty());
  }
  CHECK(checksum_type_error(Algo::kCrc64Nvme, "FULL_OBJECT").empty());
  CHECK(checksum_type_error(Algo::kCrc64Nvme, "COMPOSITE") ==
        "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
  CHECK(checksum_type_error(Algo::kSha1, "COMPOSITE").empty());
  CHECK(checksum_type_error(Algo::kSha256, "FULL_OBJECT") ==
        "The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.");
  CHECK(checksum_type_error(Algo::kSha1, "FULL_OBJECT") ==
        "The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.");
  CHECK(checksum_type_error(Algo::kCrc32, "full_object") == "Value for x-amz-checksum-type header is invalid.");
  CHECK(is_crc(Algo::kCrc64Nvme));
  CHECK_FALSE(is_crc(Algo::kSha1));
}
