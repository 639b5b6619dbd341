// The retry policy: which answers are retried and how long the waits may be.
#include <catch2/catch.hpp>
#include <map>

#include "aws/retry.h"

TEST_CASE("retry: throttling, 5xx and network errors retry; client errors do not", "[retry]") {
  aws::RetryPolicy p;
  CHECK(p.retryable(0, "NetworkError"));
  CHECK(p.retryable(500, "InternalError"));
  CHECK(p.retryable(503, "SlowDown"));
  CHECK(p.retryable(429, "TooManyRequestsException"));
  CHECK(p.retryable(400, "ThrottlingException"));
  CHECK(p.retryable(400, "ProvisionedThroughputExceededException"));
  CHECK(p.retryable(400, "TransactionInProgressException"));
  CHECK(p.retryable(200, "CRC32CheckFailed"));
  CHECK_FALSE(p.retryable(400, "ValidationException"));
  CHECK_FALSE(p.retryable(400, "ConditionalCheckFailedException"));
  CHECK_FALSE(p.retryable(400, "TransactionCanceledException"));
  CHECK_FALSE(p.retryable(403, "AccessDenied"));
  CHECK_FALSE(p.retryable(404, "NoSuchKey"));
  CHECK_FALSE(p.retryable(409, "BucketAlreadyOwnedByYou"));
}

TEST_CASE("retry: full jitter stays within [0, min(cap, base * 2^n)]", "[retry]") {
  aws::RetryPolicy p;
  p.base = std::chrono::milliseconds(100);
  p.cap = std::chrono::milliseconds(1000);
  CHECK(p.delay(0, 0.0).count() == 0);
  CHECK(p.delay(0, 0.999).count() <= 100);
  CHECK(p.delay(0, 0.5).count() == 50);
  CHECK(p.delay(1, 0.5).count() == 100);
  CHECK(p.delay(2, 0.5).count() == 200);
  CHECK(p.delay(3, 0.999).count() <= 800);
  CHECK(p.delay(4, 0.999).count() <= 1000);  // capped
  CHECK(p.delay(60, 0.999).count() <= 1000);  // no overflow for large retry numbers
  CHECK(p.delay(60, 0.5).count() == 500);
}

TEST_CASE("retry: AWS_MAX_ATTEMPTS", "[retry]") {
  auto env = [](std::map<std::string, std::string> m) {
    return [m](const std::string& n) -> std::optional<std::string> {
      auto it = m.find(n);
      return it == m.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  CHECK(aws::RetryPolicy::from_env(env({})).max_attempts == 3);
  CHECK(aws::RetryPolicy::from_env(env({{"AWS_MAX_ATTEMPTS", "7"}})).max_attempts == 7);
  CHECK_THROWS_AS(aws::RetryPolicy::from_env(env({{"AWS_MAX_ATTEMPTS", "0"}})), aws::ConfigError);
  CHECK_THROWS_AS(aws::RetryPolicy::from_env(env({{"AWS_MAX_ATTEMPTS", "lots"}})), aws::ConfigError);
}
