// S3 requests in-process: the router (method, subresource, headers), path splitting, XML request
// bodies (Delete, Tagging, CompleteMultipartUpload ...), headers such as Range, x-amz-copy-source
// and conditional ones, and the handlers behind them, against a bucket that exists.
// Input: "METHOD target\nname: value\n...\n\nbody" (tests/fuzz/fuzz_util.h).
#include <cstdint>

#include "fuzz_util.h"
#include "s3/router.h"
#include "service_fuzz.h"

using namespace localaws;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Service& svc = *fuzz::runtime().s3;
  static uint64_t runs = 0;
  // Keep state bounded and the bucket "b" (with object "k") present.
  if (runs++ % 500 == 0) {
    svc.reset();
    for (const char* seed : {"PUT /b\n\n", "PUT /b/k\ncontent-length: 5\n\nhello"}) {
      http::Request r = fuzz::parse_request(seed);
      fuzz::handle(r);
    }
  }
  http::Request req = fuzz::parse_request(std::string_view(reinterpret_cast<const char*>(data), size));
  std::string bucket, key;
  if (s3::split_path(req.raw_path, bucket, key)) s3::route(req, !bucket.empty(), !key.empty());
  fuzz::handle(req);
  return 0;
}
