#include "common/crypto.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <zlib.h>

#include <array>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace localaws {

std::string to_hex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(n);
  return out;
}

bool base64_decode(std::string_view text, std::string& out) {
  if (text.size() % 4 != 0) return false;
  out.assign(3 * text.size() / 4, '\0');
  if (text.empty()) return true;
  for (char c : text) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) return false;
  }
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return false;
  size_t pad = 0;
  if (text.back() == '=') pad++;
  if (text.size() > 1 && text[text.size() - 2] == '=') pad++;
  // '=' is only valid as trailing padding.
  if (text.substr(0, text.size() - pad).find('=') != std::string_view::npos) return false;
  out.resize(static_cast<size_t>(n) - pad);
  return true;
}

// SHA-256 and HMAC-SHA256 through OpenSSL's one-algorithm interface: the same assembly as EVP,
// without EVP's per-call method fetch and context allocation (a SigV4 check runs six HMACs and
// two SHA-256s per request). The interface is deprecated in OpenSSL 3 but kept by it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
namespace {
void sha256_raw(std::string_view data, unsigned char out[32]) {
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Update(&c, data.data(), data.size());
  SHA256_Final(out, &c);
}
}  // namespace

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char k[64] = {0}, pad[64], inner[32], out[32];
  if (key.size() > 64) sha256_raw(key, k);
  else std::copy(key.begin(), key.end(), k);
  SHA256_CTX c;
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
  SHA256_Init(&c);
  SHA256_Update(&c, pad, 64);
  SHA256_Update(&c, data.data(), data.size());
  SHA256_Final(inner, &c);
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
  SHA256_Init(&c);
  SHA256_Update(&c, pad, 64);
  SHA256_Update(&c, inner, 32);
  SHA256_Final(out, &c);
  return std::string(reinterpret_cast<char*>(out), 32);
}

std::string sha256_hex(std::string_view data) {
  unsigned char out[32];
  sha256_raw(data, out);
  return to_hex(std::string_view(reinterpret_cast<char*>(out), 32));
}
#pragma GCC diagnostic pop

namespace {
// Methods fetched once: EVP_md5() and friends make every EVP_DigestInit_ex fetch again.
const EVP_MD* fetched(Digest::Kind kind) {
  static const EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  static const EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static const EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  const EVP_MD* md = kind == Digest::Kind::kMd5 ? md5 : kind == Digest::Kind::kSha1 ? sha1 : sha256;
  if (md) return md;
  return kind == Digest::Kind::kMd5 ? EVP_md5() : kind == Digest::Kind::kSha1 ? EVP_sha1() : EVP_sha256();
}
}  // namespace

struct Digest::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Digest::Digest(Kind kind) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx, fetched(kind), nullptr) != 1) throw std::runtime_error("EVP init");
}
Digest::~Digest() { EVP_MD_CTX_free(impl_->ctx); }
void Digest::update(const void* data, size_t len) { EVP_DigestUpdate(impl_->ctx, data, len); }
std::string Digest::final() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(impl_->ctx, out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string md5_raw(std::string_view data) {
  Digest d(Digest::Kind::kMd5);
  d.update(data);
  return d.final();
}

uint32_t crc32_update(uint32_t crc, const void* data, size_t len) {
  // zlib takes uInt lengths; feed large buffers in pieces.
  auto* p = static_cast<const Bytef*>(data);
  while (len > 0) {
    uInt n = len > (1u << 30) ? (1u << 30) : static_cast<uInt>(len);
    crc = static_cast<uint32_t>(::crc32(crc, p, n));
    p += n;
    len -= n;
  }
  return crc;
}

// Debian 12 packages no CRC-32C or CRC-64/NVME library for C++, so these two are small
// table-driven implementations (reflected polynomials), checked in crypto_test.cc against the
// standard check values and against botocore/awscrt results.
namespace {
// Slicing-by-8: eight tables, eight bytes per step (a byte-at-a-time table costs about four times
// the instructions; these run over every uploaded byte, as S3 now checksums every object).
template <typename T, T kPoly>
struct CrcTables {
  std::array<std::array<T, 256>, 8> t{};
  constexpr CrcTables() {
    for (uint32_t i = 0; i < 256; i++) {
      T c = i;
      for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ kPoly : (c >> 1);
      t[0][i] = c;
    }
    for (int s = 1; s < 8; s++)
      for (uint32_t i = 0; i < 256; i++) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
  }
};
constexpr CrcTables<uint32_t, 0x82F63B78u> kCrc32c;
constexpr CrcTables<uint64_t, 0x9A6C9329AC4BC9B5ull> kCrc64Nvme;

template <typename T, typename Tables>
T crc_sliced(const Tables& tb, T crc, const unsigned char* p, size_t len) {
  const auto& t = tb.t;
  while (len >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
    w ^= static_cast<uint64_t>(crc);
    T c = t[7][w & 0xff] ^ t[6][(w >> 8) & 0xff] ^ t[5][(w >> 16) & 0xff] ^ t[4][(w >> 24) & 0xff] ^
          t[3][(w >> 32) & 0xff] ^ t[2][(w >> 40) & 0xff] ^ t[1][(w >> 48) & 0xff] ^ t[0][w >> 56];
    crc = c;
    p += 8;
    len -= 8;
  }
  for (size_t i = 0; i < len; i++) crc = t[0][(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return crc;
}
}  // namespace

uint32_t crc32c_update(uint32_t crc, const void* data, size_t len) {
  return ~crc_sliced<uint32_t>(kCrc32c, ~crc, static_cast<const unsigned char*>(data), len);
}

uint64_t crc64nvme_update(uint64_t crc, const void* data, size_t len) {
  return ~crc_sliced<uint64_t>(kCrc64Nvme, ~crc, static_cast<const unsigned char*>(data), len);
}

std::string be32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; i++) s[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
  return s;
}

std::string be64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; i++) s[i] = static_cast<char>((v >> (56 - 8 * i)) & 0xff);
  return s;
}

std::string unique_hex(size_t bytes) {
  // xoshiro256** per thread, seeded from the CSPRNG on first use.
  thread_local uint64_t st[4] = {0, 0, 0, 0};
  if ((st[0] | st[1] | st[2] | st[3]) == 0) RAND_bytes(reinterpret_cast<unsigned char*>(st), sizeof st);
  auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  while (out.size() < bytes * 2) {
    uint64_t r = rotl(st[1] * 5, 7) * 9, t = st[1] << 17;
    st[2] ^= st[0], st[3] ^= st[1], st[1] ^= st[2], st[0] ^= st[3], st[2] ^= t, st[3] = rotl(st[3], 45);
    for (int i = 0; i < 16 && out.size() < bytes * 2; i++, r >>= 4) out.push_back(kDigits[r & 15]);
  }
  return out;
}

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  return to_hex(raw);
}

}  // namespace localaws
