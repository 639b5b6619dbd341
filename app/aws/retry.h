// When to retry and how long to wait: exponential backoff with "full jitter", the scheme the AWS
// SDKs use (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
#pragma once
#include <chrono>
#include <string>

#include "aws/config.h"

namespace aws {

struct RetryPolicy {
  int max_attempts = 3;                    // first try included; AWS_MAX_ATTEMPTS overrides
  std::chrono::milliseconds base{100};     // the first retry waits up to base
  std::chrono::milliseconds cap{20000};    // no single wait is longer

  // Reads AWS_MAX_ATTEMPTS (a positive integer) when set; other values are a ConfigError.
  static RetryPolicy from_env(const EnvLookup& env);

  // status 0 means no HTTP answer at all (connection refused, reset, timeout): retried, like 5xx,
  // 429, throttling codes and transient codes. Other 4xx are the caller's fault and are not.
  bool retryable(int status, const std::string& code) const;

  // The wait before retry number `retry` (0 for the first retry): uniform in
  // [0, min(cap, base * 2^retry)]; random01 is a uniform draw in [0, 1).
  std::chrono::milliseconds delay(int retry, double random01) const;
};

}  // namespace aws
