// The few digests and encodings SigV4 and S3 need, over OpenSSL. The app has its own copy on
// purpose: it must not depend on any emulator code.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace aws {

std::string hex(std::string_view bytes);                             // lower-case
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string md5_base64(std::string_view data);                       // Content-MD5 header value
std::string base64(std::string_view bytes);
uint32_t crc32(std::string_view data);                               // zlib CRC-32
std::string random_hex(size_t bytes);                                // from OpenSSL's CSPRNG

}  // namespace aws
