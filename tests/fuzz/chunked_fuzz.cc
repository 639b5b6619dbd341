// The aws-chunked decoder on arbitrary bytes, fed in pieces split at arbitrary points, signed
// (chained chunk and trailer signatures) or unsigned, with and without announced trailers and
// a decoded length. First byte: options; second byte: the piece size.
#include <cstdint>

#include "auth/chunked.h"
#include "auth/sigv4.h"
#include "fuzz_util.h"

using namespace localaws;
using namespace localaws::auth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  uint8_t opts = data[0];
  size_t piece = data[1] ? data[1] : 4096;
  data += 2;
  size -= 2;
  std::optional<ChunkSigning> signing;
  if (opts & 1) {
    ChunkSigning s;
    s.signing_key = sigv4::derive_signing_key("test", "20130524", "us-east-1", "s3");
    s.amz_date = "20130524T000000Z";
    s.scope = "20130524/us-east-1/s3/aws4_request";
    s.seed_signature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    s.signed_trailer = opts & 2;
    signing = s;
  }
  std::vector<std::string> trailers;
  if (opts & 4) trailers.push_back("x-amz-checksum-crc32");
  if (opts & 8) trailers.push_back("x-amz-checksum-sha256");
  std::optional<uint64_t> decoded;
  if (opts & 16) decoded = (opts >> 5) * 1000;
  AwsChunkedDecoder dec(signing, trailers, decoded);
  uint64_t delivered = 0;
  http::Sink sink = [&](const char*, size_t n) {
    delivered += n;
    return true;
  };
  bool failed = false;
  for (size_t off = 0; off < size && !failed; off += piece) {
    failed = dec.feed(reinterpret_cast<const char*>(data) + off, std::min(piece, size - off), sink).has_value();
  }
  if (!failed && !dec.finish()) {
    // A complete body: what was delivered is what the decoder counted.
    if (delivered != dec.decoded_bytes()) __builtin_trap();
    if (decoded && *decoded != delivered) __builtin_trap();
  }
  return 0;
}
