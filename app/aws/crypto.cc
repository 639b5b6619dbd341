#include "aws/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <zlib.h>

#include <stdexcept>

namespace aws {

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

static std::string digest(const EVP_MD* md, std::string_view data) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(data.data(), data.size(), buf, &len, md, nullptr)) throw std::runtime_error("EVP_Digest failed");
  return std::string(reinterpret_cast<char*>(buf), len);
}

std::string sha256_hex(std::string_view data) { return hex(digest(EVP_sha256(), data)); }

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), buf, &len))
    throw std::runtime_error("HMAC failed");
  return std::string(reinterpret_cast<char*>(buf), len);
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string md5_base64(std::string_view data) { return base64(digest(EVP_md5(), data)); }

uint32_t crc32(std::string_view data) {
  uLong c = ::crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths; DynamoDB bodies are far below 4 GiB but loop anyway.
  size_t off = 0;
  while (off < data.size()) {
    uInt n = static_cast<uInt>(std::min<size_t>(data.size() - off, 1u << 30));
    c = ::crc32(c, reinterpret_cast<const Bytef*>(data.data() + off), n);
    off += n;
  }
  return static_cast<uint32_t>(c);
}

std::string random_hex(size_t bytes) {
  std::string buf(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buf.data()), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return hex(buf);
}

}  // namespace aws
