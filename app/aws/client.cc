#include "aws/client.h"

#include <random>
#include <thread>

#include "aws/crypto.h"

namespace aws {

SignedClient::SignedClient(ServiceConfig config, RetryPolicy policy, Timeouts timeouts)
    : config_(std::move(config)), policy_(policy), timeouts_(timeouts) {}

std::string wire_query(const Pairs& query) {
  std::string q = canonical_query(query);
  return q.empty() ? "" : "?" + q;
}

HttpResponse SignedClient::send(const Call& call, const ErrorParser& parse_error, const ResponseCheck& check) const {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::string payload_hash = sha256_hex(call.body);
  for (int attempt = 1;; ++attempt) {
    SignableRequest sr{call.method, call.canonical_uri, call.query, call.headers, payload_hash};
    sr.headers.emplace_back("host", call.origin.host_header());
    if (call.sign_payload) sr.headers.emplace_back("x-amz-content-sha256", payload_hash);
    // Without credentials requests go anonymous, as the SDKs do with an unsigned config.
    if (!config_.credentials.empty())
      sign_headers(sr, config_.credentials, {config_.region, config_.service, std::chrono::system_clock::now()});

    HttpRequest req{call.method, call.canonical_uri + wire_query(call.query), sr.headers, call.body};
    std::optional<AwsError> failure;
    try {
      HttpResponse res = http_send(call.origin, req, timeouts_, config_.ca_file);
      if (res.status < 400) {
        std::optional<std::string> corrupt = check ? check(res) : std::nullopt;
        if (!corrupt) return res;
        failure = AwsError(res.status, *corrupt, "the response failed its integrity check", res.header("x-amzn-requestid"));
      } else {
        failure = parse_error(res);
      }
    } catch (const TransportError& e) {
      failure = AwsError(0, "NetworkError", e.what());
    }
    if (attempt >= policy_.max_attempts || !policy_.retryable(failure->status, failure->code)) throw *failure;
    std::this_thread::sleep_for(policy_.delay(attempt - 1, uniform(rng)));
  }
}

std::string SignedClient::presign(const Call& call, int expires_seconds) const {
  SignableRequest sr{call.method, call.canonical_uri, call.query, {{"host", call.origin.host_header()}}, "UNSIGNED-PAYLOAD"};
  std::string q = presign_query(sr, config_.credentials, {config_.region, config_.service, std::chrono::system_clock::now()},
                                expires_seconds);
  return call.origin.origin() + call.canonical_uri + "?" + q;
}

}  // namespace aws
