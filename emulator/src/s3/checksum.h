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
