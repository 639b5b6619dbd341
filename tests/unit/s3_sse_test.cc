// SSE-C's cipher (s3/cipher.h): AES-256-CTR against the NIST SP 800-38A vector, a keystream
// positioned at any offset equal to the same bytes of one pass from the start (the seek a range GET
// relies on, including the counter carry across bytes), and DecryptingFile over one and several
// segments (multipart objects keep one segment per part).
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/crypto.h"
#include "s3/cipher.h"

using namespace localaws;
using namespace localaws::s3;

namespace {
std::string unhex(const std::string& h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

std::string bytes(size_t n, int seed) {
  std::string s;
  for (size_t i = 0; i < n; i++)
    s.push_back(static_cast<char>((i * 131 + static_cast<size_t>(seed) * 7 + i / 251) & 0xff));
  return s;
}

std::string crypt(const std::string& key, const std::string& nonce, std::string data, uint64_t offset = 0) {
  AesCtr c(key, nonce, offset);
  c.apply(data.data(), data.size());
  return data;
}

std::shared_ptr<http::OpenFile> file_with(const std::string& data) {
  auto path = std::filesystem::temp_directory_path() / ("s3_sse_test_" + random_hex(8));
  std::ofstream(path, std::ios::binary) << data;
  int fd = ::open(path.c_str(), O_RDONLY);
  std::filesystem::remove(path);  // the open descriptor keeps the bytes
  return std::make_shared<http::OpenFile>(fd);
}
}  // namespace

TEST_CASE("AES-256-CTR matches NIST SP 800-38A F.5.5") {
  std::string key = unhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
  std::string nonce = unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  std::string plain = unhex(
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
      "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
  std::string want = unhex(
      "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
      "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
  CHECK(to_hex(crypt(key, nonce, plain)) == to_hex(want));
  // Block 3 alone, by seeking.
  CHECK(to_hex(crypt(key, nonce, plain.substr(32, 16), 32)) == to_hex(want.substr(32, 16)));
}

TEST_CASE("a keystream positioned at any offset equals the one-pass stream") {
  std::string key = bytes(32, 1);
  // Nonces whose low bytes overflow as the counter grows: the carry must run like OpenSSL's.
  for (std::string nonce : {bytes(16, 2), unhex("00000000000000ffffffffffffffffff"), std::string(16, '\xff')}) {
    std::string plain = bytes(1000, 3);
    std::string whole = crypt(key, nonce, plain);
    CHECK(whole != plain);
    CHECK(crypt(key, nonce, whole) == plain);
    for (size_t off = 0; off < plain.size(); off++) {
      size_t len = std::min<size_t>(37, plain.size() - off);
      INFO("offset " << off);
      REQUIRE(crypt(key, nonce, plain.substr(off, len), off) == whole.substr(off, len));
    }
  }
  // Offsets beyond 2^32 blocks (a 64 GiB position) still seek: compare with two steps from there.
  std::string nonce = unhex("0102030405060708ffffffffffffff00");
  uint64_t far = (1ull << 36) + 5;
  std::string a = crypt(key, nonce, std::string(40, '\0'), far);
  AesCtr step(key, nonce, far + 20);
  std::string b(20, '\0');
  step.apply(b.data(), b.size());
  CHECK(a.substr(20) == b);
}

TEST_CASE("DecryptingFile serves any range of one and of several segments") {
  std::string key = bytes(32, 4);
  std::string n1 = bytes(16, 5), n2 = bytes(16, 6), n3 = bytes(16, 7);
  std::string p1 = bytes(100, 8), p2 = bytes(33, 9), p3 = bytes(250, 10);
  std::string stored = crypt(key, n1, p1) + crypt(key, n2, p2) + crypt(key, n3, p3);
  std::string plain = p1 + p2 + p3;
  DecryptingFile f(file_with(stored), key, {{0, n1}, {100, n2}, {133, n3}});
  for (size_t off = 0; off < plain.size(); off += 3) {
    for (size_t len : {1, 16, 40, 200}) {
      std::string buf(len, '\0');
      int64_t n = f.read_at(off, buf.data(), len);
      size_t want = std::min(len, plain.size() - off);
      INFO("offset " << off << " length " << len);
      REQUIRE(n == static_cast<int64_t>(want));
      REQUIRE(buf.substr(0, want) == plain.substr(off, want));
    }
  }
  // A single segment, and a wrong key gives other bytes (never the plaintext).
  DecryptingFile one(file_with(crypt(key, n1, p3)), key, {{0, n1}});
  std::string buf(250, '\0');
  REQUIRE(one.read_at(0, buf.data(), buf.size()) == 250);
  CHECK(buf == p3);
  DecryptingFile wrong(file_with(crypt(key, n1, p3)), bytes(32, 11), {{0, n1}});
  REQUIRE(wrong.read_at(0, buf.data(), buf.size()) == 250);
  CHECK(buf != p3);
}
