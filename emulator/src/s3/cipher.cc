#include "s3/cipher.h"

#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

namespace localaws::s3 {

AesCtr::AesCtr(std::string_view key, std::string_view nonce, uint64_t offset) : ctx_(EVP_CIPHER_CTX_new()) {
  if (!ctx_ || key.size() != kSseKeySize || nonce.size() != kSseNonceSize) throw std::runtime_error("AesCtr: bad key");
  // The counter block of offset's block: nonce + offset / 16, carried across all 128 bits.
  unsigned char iv[kSseNonceSize];
  uint64_t add = offset / 16;
  unsigned carry = 0;
  for (int i = static_cast<int>(kSseNonceSize) - 1; i >= 0; i--) {
    unsigned sum = static_cast<unsigned char>(nonce[static_cast<size_t>(i)]) + (add & 0xff) + carry;
    iv[i] = static_cast<unsigned char>(sum & 0xff);
    carry = sum >> 8;
    add >>= 8;
  }
  EVP_EncryptInit_ex(ctx_, EVP_aes_256_ctr(), nullptr, reinterpret_cast<const unsigned char*>(key.data()), iv);
  // Skip into the block.
  if (size_t skip = offset % 16) {
    char scratch[16] = {};
    apply(scratch, skip);
  }
}

AesCtr::~AesCtr() { EVP_CIPHER_CTX_free(ctx_); }

void AesCtr::apply(char* data, size_t n) {
  auto* p = reinterpret_cast<unsigned char*>(data);
  while (n > 0) {
    int chunk = static_cast<int>(std::min<size_t>(n, 1 << 30));
    int out = 0;
    EVP_EncryptUpdate(ctx_, p, &out, p, chunk);
    p += chunk;
    n -= static_cast<size_t>(chunk);
  }
}

DecryptingFile::DecryptingFile(std::shared_ptr<http::OpenFile> raw, std::string key, std::vector<Segment> segments)
    : http::OpenFile(-1), raw_(std::move(raw)), key_(std::move(key)), segments_(std::move(segments)) {}

DecryptingFile::~DecryptingFile() = default;

int64_t DecryptingFile::read_at(uint64_t offset, char* buf, size_t len) const {
  int64_t n = raw_->read_at(offset, buf, len);
  if (n <= 0) return n;
  // The segment holding `offset`, then each following one the bytes reach into.
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](uint64_t off, const Segment& s) { return off < s.start; });
  if (it == segments_.begin()) return -1;
  --it;
  uint64_t pos = offset, end = offset + static_cast<uint64_t>(n);
  try {  // never throws out: this runs inside the server's content provider
    while (pos < end) {
      auto next = it + 1;
      uint64_t seg_end = next == segments_.end() ? end : std::min(end, next->start);
      AesCtr ctr(key_, it->nonce, pos - it->start);
      ctr.apply(buf + (pos - offset), static_cast<size_t>(seg_end - pos));
      pos = seg_end;
      it = next;
    }
  } catch (...) {
    return -1;
  }
  return n;
}

}  // namespace localaws::s3
