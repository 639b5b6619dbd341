#include "s3/checksum.h"

#include "common/strings.h"

namespace localaws::s3 {

std::optional<Algo> parse_algo(std::string_view name) {
  std::string n = to_lower(name);
  if (n == "crc32") return Algo::kCrc32;
  if (n == "crc32c") return Algo::kCrc32c;
  if (n == "crc64nvme") return Algo::kCrc64Nvme;
  if (n == "sha1") return Algo::kSha1;
  if (n == "sha256") return Algo::kSha256;
  return std::nullopt;
}

const char* algo_name(Algo a) {
  switch (a) {
    case Algo::kCrc32: return "CRC32";
    case Algo::kCrc32c: return "CRC32C";
    case Algo::kCrc64Nvme: return "CRC64NVME";
    case Algo::kSha1: return "SHA1";
    case Algo::kSha256: return "SHA256";
    case Algo::kNone: break;
  }
  return "";
}

std::string algo_header(Algo a) { return "x-amz-checksum-" + to_lower(algo_name(a)); }
std::string algo_xml(Algo a) { return std::string("Checksum") + algo_name(a); }

size_t algo_raw_size(Algo a) {
  switch (a) {
    case Algo::kCrc32:
    case Algo::kCrc32c: return 4;
    case Algo::kCrc64Nvme: return 8;
    case Algo::kSha1: return 20;
    case Algo::kSha256: return 32;
    case Algo::kNone: break;
  }
  return 0;
}

Checksummer::Checksummer(Algo a) : algo_(a) {
  if (a == Algo::kSha1) digest_ = std::make_unique<Digest>(Digest::Kind::kSha1);
  if (a == Algo::kSha256) digest_ = std::make_unique<Digest>(Digest::Kind::kSha256);
}

void Checksummer::update(const void* data, size_t len) {
  switch (algo_) {
    case Algo::kCrc32: crc32_ = crc32_update(crc32_, data, len); break;
    case Algo::kCrc32c: crc32_ = crc32c_update(crc32_, data, len); break;
    case Algo::kCrc64Nvme: crc64_ = crc64nvme_update(crc64_, data, len); break;
    case Algo::kSha1:
    case Algo::kSha256: digest_->update(data, len); break;
    case Algo::kNone: break;
  }
}

std::string Checksummer::final() {
  switch (algo_) {
    case Algo::kCrc32:
    case Algo::kCrc32c: return be32(crc32_);
    case Algo::kCrc64Nvme: return be64(crc64_);
    case Algo::kSha1:
    case Algo::kSha256: return digest_->final();
    case Algo::kNone: break;
  }
  return "";
}

}  // namespace localaws::s3
