// Whole requests through the Authenticator, as S3 and as DynamoDB: header SigV4, presigned
// query (v4 and v2), SigV2 headers, every payload mode (hash, UNSIGNED-PAYLOAD, aws-chunked
// signed/unsigned with trailers), then the wrapped body read to the end.
// Input: "METHOD target\nname: value\n...\n\nbody".
#include <cstdint>

#include "auth/authenticator.h"
#include "fuzz_util.h"

using namespace localaws;
using namespace localaws::auth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The seeds are tests/unit/data/sigv4_cases.json (botocore's signatures), made by
  // make_seeds.py: same key and the same fixed clock, so they verify and reach the body.
  static Accounts accounts = [] {
    Accounts a;
    a.add({"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "111122223333", "", "", ""});
    return a;
  }();
  static Authenticator verify(accounts, Mode::kVerify);
  static Authenticator strict(accounts, Mode::kStrict);
  static Authenticator off(accounts, Mode::kOff);
  if (size == 0) return 0;
  // First byte: which authenticator and service.
  const Authenticator& a = data[0] % 3 == 0 ? verify : data[0] % 3 == 1 ? strict : off;
  ServiceKind kind = (data[0] / 3) % 2 ? ServiceKind::kDynamoDB : ServiceKind::kS3;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  http::Request req = fuzz::parse_request(text);
  AuthResult r = a.authenticate(req, kind, 1768480245);
  if (!r.error) fuzz::drain(*req.body);
  return 0;
}
