// The checksums S3 offers (x-amz-checksum-*), computed while bytes stream.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/crypto.h"

namespace localaws::s3 {

enum class Algo { kNone, kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };
inline constexpr Algo kAllAlgos[] = {Algo::kCrc32, Algo::kCrc32c, Algo::kCrc64Nvme, Algo::kSha1, Algo::kSha256};

// "CRC32" / "crc32" ... -> Algo; nullopt for anything else.
std::optional<Algo> parse_algo(std::string_view name);
const char* algo_name(Algo a);         // "CRC32"
std::string algo_header(Algo a);       // "x-amz-checksum-crc32"
std::string algo_xml(Algo a);          // "ChecksumCRC32"
size_t algo_raw_size(Algo a);          // bytes of the raw digest
bool is_crc(Algo a);                   // CRC32, CRC32C, CRC64NVME: linear, so combinable

// Multipart checksum types (x-amz-checksum-type): CRC64NVME is FULL_OBJECT only, SHA1/SHA256
// COMPOSITE only, CRC32/CRC32C either. The type a CreateMultipartUpload without the header gets.
const char* default_checksum_type(Algo a);
// Empty when algo and type go together, else the message of AWS's InvalidRequest.
std::string checksum_type_error(Algo a, std::string_view type);

// The CRC of A||B from the CRCs of A and B and the length of B, without the bytes (the
// reflected-polynomial "multiply by x^(8*len_b)" of zlib's crc32_combine, for each width).
uint32_t crc32_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b);
uint32_t crc32c_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b);
uint64_t crc64nvme_combine(uint64_t crc_a, uint64_t crc_b, uint64_t len_b);
// The same over raw big-endian values as Checksummer::final() returns them; for is_crc(a) only.
std::string crc_combine(Algo a, std::string_view raw_a, std::string_view raw_b, uint64_t len_b);

// One running checksum; final() returns the raw big-endian bytes AWS base64-encodes.
class Checksummer {
 public:
  explicit Checksummer(Algo a);
  void update(const void* data, size_t len);
  std::string final();
  Algo algo() const { return algo_; }

 private:
  Algo algo_;
  uint32_t crc32_ = 0;
  uint64_t crc64_ = 0;
  std::unique_ptr<Digest> digest_;
};

}  // namespace localaws::s3
