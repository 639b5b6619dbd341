// Hashes, checksums and encodings used across protocols. All are streaming-capable so object
// bytes never need to be held in memory whole.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace localaws {

std::string to_hex(std::string_view bytes);
std::string base64_encode(std::string_view bytes);
// Returns false (and leaves out unspecified) when `text` is not valid base64.
bool base64_decode(std::string_view text, std::string& out);

std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string sha256_hex(std::string_view data);
std::string md5_raw(std::string_view data);

// A streaming digest over OpenSSL's EVP interface. final() returns the raw digest bytes.
class Digest {
 public:
  enum class Kind { kMd5, kSha1, kSha256 };
  explicit Digest(Kind kind);
  ~Digest();
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;
  void update(const void* data, size_t len);
  void update(std::string_view s) { update(s.data(), s.size()); }
  std::string final();  // REQUIRES: called once

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// CRC checksums S3 offers (x-amz-checksum-*). Values are the big-endian bytes AWS base64-encodes.
uint32_t crc32_update(uint32_t crc, const void* data, size_t len);   // zlib's CRC-32
uint32_t crc32c_update(uint32_t crc, const void* data, size_t len);  // Castagnoli
uint64_t crc64nvme_update(uint64_t crc, const void* data, size_t len);
std::string be32(uint32_t v);
std::string be64(uint64_t v);

// Random identifiers (upload ids, tokens) from OpenSSL's CSPRNG.
std::string random_hex(size_t bytes);
// Identifiers that must only be unique, never secret (request ids, blob file names): a per-thread
// xoshiro256** seeded from the CSPRNG, a few instructions instead of a CSPRNG call.
std::string unique_hex(size_t bytes);

}  // namespace localaws
