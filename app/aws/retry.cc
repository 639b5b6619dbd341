#include "aws/retry.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace aws {

RetryPolicy RetryPolicy::from_env(const EnvLookup& env) {
  RetryPolicy p;
  if (auto v = env("AWS_MAX_ATTEMPTS"); v && !v->empty()) {
    if (v->size() > 3 || !std::all_of(v->begin(), v->end(), ::isdigit) || std::stoi(*v) < 1)
      throw ConfigError("AWS_MAX_ATTEMPTS must be a positive integer, not '" + *v + "'");
    p.max_attempts = std::stoi(*v);
  }
  return p;
}

bool RetryPolicy::retryable(int status, const std::string& code) const {
  // The throttling and transient error codes the SDKs' standard retry mode recognises.
  static const std::set<std::string> codes = {
      "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
      "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
      "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
      "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException",
      "InternalError", "InternalServerError", "ServiceUnavailable", "NetworkError", "CRC32CheckFailed"};
  if (status == 0 || status == 429 || status >= 500) return true;
  return codes.count(code) > 0;
}

std::chrono::milliseconds RetryPolicy::delay(int retry, double random01) const {
  double ceiling = std::min(static_cast<double>(cap.count()), base.count() * std::pow(2.0, std::min(retry, 30)));
  double r = std::clamp(random01, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(r * ceiling));
}

}  // namespace aws
