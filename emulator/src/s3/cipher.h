// AES-256 in CTR mode for SSE-C: object bytes are encrypted at rest with the customer's key and a
// random nonce per blob. CTR makes every byte position independent, so a range is served by
// seeking the keystream (block = offset / 16, skip offset % 16) instead of decrypting from the start.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/response.h"

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;

namespace localaws::s3 {

inline constexpr size_t kSseKeySize = 32;    // AES-256
inline constexpr size_t kSseNonceSize = 16;  // the initial counter block

// A keystream positioned at a byte offset. The counter block is the nonce read as a 128-bit
// big-endian integer plus offset / 16 (as OpenSSL's CTR mode counts).
class AesCtr {
 public:
  // REQUIRES: key is kSseKeySize bytes, nonce kSseNonceSize bytes.
  AesCtr(std::string_view key, std::string_view nonce, uint64_t offset = 0);
  ~AesCtr();
  AesCtr(const AesCtr&) = delete;
  AesCtr& operator=(const AesCtr&) = delete;
  // XORs the next n keystream bytes into data (encrypting and decrypting are the same operation).
  void apply(char* data, size_t n);

 private:
  EVP_CIPHER_CTX* ctx_;
};

// The plaintext view of an encrypted blob. The blob is one or more segments (a multipart object
// keeps each part as it was encrypted at UploadPart), each with its own nonce and its keystream
// starting at the segment's first byte. read_at() decrypts just the bytes asked for.
class DecryptingFile : public http::OpenFile {
 public:
  struct Segment {
    uint64_t start = 0;  // offset of the segment's first byte in the blob
    std::string nonce;
  };
  // REQUIRES: segments sorted by start, the first at 0; key is kSseKeySize bytes.
  DecryptingFile(std::shared_ptr<http::OpenFile> raw, std::string key, std::vector<Segment> segments);
  ~DecryptingFile() override;
  int64_t read_at(uint64_t offset, char* buf, size_t len) const override;

 private:
  std::shared_ptr<http::OpenFile> raw_;
  std::string key_;
  std::vector<Segment> segments_;
};

}  // namespace localaws::s3
