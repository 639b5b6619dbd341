// A signed AWS call: build the URL, sign each attempt afresh, send, retry with backoff, and turn
// failures into AwsError with the service's own code and message.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "aws/config.h"
#include "aws/error.h"
#include "aws/http.h"
#include "aws/retry.h"

namespace aws {

struct Call {
  Url origin;                 // scheme, host, port of the endpoint to call
  std::string method;
  std::string canonical_uri;  // encoded path (with the endpoint's base path)
  Pairs query;                // decoded
  Pairs headers;              // lower-case names, all signed (content-type, x-amz-*, ...)
  std::string body;
  bool sign_payload = true;   // S3 wants x-amz-content-sha256; DynamoDB does not send it
};

// Reads an error answer into (code, message); each protocol has its own.
using ErrorParser = std::function<AwsError(const HttpResponse&)>;
// Checks a success answer before it is used; returns an error code to retry on, if corrupt.
using ResponseCheck = std::function<std::optional<std::string>(const HttpResponse&)>;

class SignedClient {
 public:
  SignedClient(ServiceConfig config, RetryPolicy policy, Timeouts timeouts = {});
  const ServiceConfig& config() const { return config_; }
  const RetryPolicy& policy() const { return policy_; }

  // Sends `call`; returns the 2xx/3xx response, or throws AwsError after the last attempt.
  HttpResponse send(const Call& call, const ErrorParser& parse_error, const ResponseCheck& check = nullptr) const;

  // A presigned URL for `call` (method, origin, canonical_uri, query), valid `expires` seconds.
  std::string presign(const Call& call, int expires_seconds) const;

 private:
  ServiceConfig config_;
  RetryPolicy policy_;
  Timeouts timeouts_;
};

// The query string as sent on the wire (encoded, with '?' unless empty).
std::string wire_query(const Pairs& query);

}  // namespace aws
