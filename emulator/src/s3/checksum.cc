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

bool is_crc(Algo a) { return a == Algo::kCrc32 || a == Algo::kCrc32c || a == Algo::kCrc64Nvme; }

const char* default_checksum_type(Algo a) { return a == Algo::kCrc64Nvme ? "FULL_OBJECT" : "COMPOSITE"; }

std::string checksum_type_error(Algo a, std::string_view type) {
  if (type != "FULL_OBJECT" && type != "COMPOSITE") return "Value for x-amz-checksum-type header is invalid.";
  bool ok = type == "FULL_OBJECT" ? is_crc(a) : a != Algo::kCrc64Nvme;
  if (ok) return "";
  return "The " + std::string(type) + " checksum type cannot be used with the " + to_lower(algo_name(a)) +
         " checksum algorithm.";
}

namespace {
// GF(2) polynomials modulo a reflected CRC polynomial: bit (W-1) is x^0, bit 0 is x^(W-1).
template <typename T, T kPoly>
struct CrcMath {
  static constexpr T kOne = T(1) << (sizeof(T) * 8 - 1);
  static T mult(T a, T b) {
    T p = 0;
    for (T m = kOne; m != 0; m >>= 1) {
      if (a & m) p ^= b;
      b = (b & 1) ? (b >> 1) ^ kPoly : (b >> 1);
    }
    return p;
  }
  // x^(8n) mod P by square-and-multiply from x^8.
  static T x8n(uint64_t n) {
    T result = kOne, base = kOne >> 8;
    for (; n != 0; n >>= 1) {
      if (n & 1) result = mult(result, base);
      base = mult(base, base);
    }
    return result;
  }
  static T combine(T a, T b, uint64_t len_b) { return mult(x8n(len_b), a) ^ b; }
};
using Crc32Math = CrcMath<uint32_t, 0xEDB88320u>;
using Crc32cMath = CrcMath<uint32_t, 0x82F63B78u>;
using Crc64NvmeMath = CrcMath<uint64_t, 0x9A6C9329AC4BC9B5ull>;

uint64_t from_be(std::string_view raw) {
  uint64_t v = 0;
  for (unsigned char ch : raw) v = (v << 8) | ch;
  return v;
}
}  // namespace

uint32_t crc32_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b) {
  return Crc32Math::combine(crc_a, crc_b, len_b);
}
uint32_t crc32c_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b) {
  return Crc32cMath::combine(crc_a, crc_b, len_b);
}
uint64_t crc64nvme_combine(uint64_t crc_a, uint64_t crc_b, uint64_t len_b) {
  return Crc64NvmeMath::combine(crc_a, crc_b, len_b);
}

std::string crc_combine(Algo a, std::string_view raw_a, std::string_view raw_b, uint64_t len_b) {
  switch (a) {
    case Algo::kCrc32:
      return be32(crc32_combine(static_cast<uint32_t>(from_be(raw_a)), static_cast<uint32_t>(from_be(raw_b)), len_b));
    case Algo::kCrc32c:
      return be32(crc32c_combine(static_cast<uint32_t>(from_be(raw_a)), static_cast<uint32_t>(from_be(raw_b)), len_b));
    case Algo::kCrc64Nvme: return be64(crc64nvme_combine(from_be(raw_a), from_be(raw_b), len_b));
    default: break;
  }
  return "";
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
