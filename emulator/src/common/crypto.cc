#include "common/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <zlib.h>

#include <array>
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

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

struct Digest::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Digest::Digest(Kind kind) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  const EVP_MD* md = kind == Kind::kMd5 ? EVP_md5() : kind == Kind::kSha1 ? EVP_sha1() : EVP_sha256();
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx, md, nullptr) != 1) throw std::runtime_error("EVP init");
}
Digest::~Digest() { EVP_MD_CTX_free(impl_->ctx); }
void Digest::update(const void* data, size_t len) { EVP_DigestUpdate(impl_->ctx, data, len); }
std::string Digest::final() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(impl_->ctx, out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string sha256_hex(std::string_view data) {
  Digest d(Digest::Kind::kSha256);
  d.update(data);
  return to_hex(d.final());
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
template <typename T, T kPoly>
struct CrcTable {
  std::array<T, 256> t{};
  constexpr CrcTable() {
    for (uint32_t i = 0; i < 256; i++) {
      T c = i;
      for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ kPoly : (c >> 1);
      t[i] = c;
    }
  }
};
constexpr CrcTable<uint32_t, 0x82F63B78u> kCrc32c;
constexpr CrcTable<uint64_t, 0x9A6C9329AC4BC9B5ull> kCrc64Nvme;
}  // namespace

uint32_t crc32c_update(uint32_t crc, const void* data, size_t len) {
  auto* p = static_cast<const unsigned char*>(data);
  crc = ~crc;
  for (size_t i = 0; i < len; i++) crc = kCrc32c.t[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

uint64_t crc64nvme_update(uint64_t crc, const void* data, size_t len) {
  auto* p = static_cast<const unsigned char*>(data);
  crc = ~crc;
  for (size_t i = 0; i < len; i++) crc = kCrc64Nvme.t[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
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

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  return to_hex(raw);
}

}  // namespace localaws
