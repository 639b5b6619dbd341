// What the server core needs from each AWS service (S3, DynamoDB). One instance per server.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_set>

#include "auth/authenticator.h"
#include "http/request.h"
#include "http/response.h"

namespace localaws {

struct Runtime;

class Service {
 public:
  virtual ~Service() = default;
  virtual const char* name() const = 0;  // "s3", "dynamodb": also the reset/health key
  virtual auth::ServiceKind kind() const = 0;

  // Serves one authenticated request (who may be anonymous). Bad input is answered with the
  // protocol's error; an exception escaping here is a bug and becomes a 500 InternalError.
  // Sets res.operation for the access log.
  virtual void handle(http::Request& req, const auth::Principal& who, http::Response& res) = 0;
  // For `Expect: 100-continue`, before the body is sent: false, with res filled, when the
  // request will be refused whatever its body (no such route or bucket, no permission, a failed
  // precondition). Must not read the body. The default wants every body.
  virtual bool accepts_body(http::Request& req, const auth::Principal& who, http::Response& res) { return true; }
  virtual void render_auth_error(const auth::AuthError& e, const http::Request& req, http::Response& res) = 0;
  virtual void render_internal_error(const http::Request& req, http::Response& res) = 0;
  // The HTTP status this service answers an error code with, nullopt for a code it does not
  // know (fault rules name the error to inject, server/faults.h).
  virtual std::optional<int> error_status(const std::string& code) const { return std::nullopt; }
  // Last step for every response of this service: request-id headers, checksums.
  virtual void finish(const http::Request& req, http::Response& res) = 0;

  // Deletes all of this service's state (rows and blobs).
  virtual void reset() = 0;
  // State was replaced underneath (snapshot restore): drop any cached rows.
  virtual void reload() {}
  // Adds every blob id this service's rows point to (the start-up sweep keeps only those).
  virtual void collect_live_blobs(std::unordered_set<std::string>& out) = 0;
  // {"state": "running", ...} for /_localaws/health.
  virtual nlohmann::json health() { return {{"state", "running"}}; }
  // Runs this service's timed deletions now, on the emulator clock (S3: the lifecycle sweep;
  // DynamoDB: time to live) and says what they did, for POST /_localaws/lifecycle/run and
  // /_localaws/ttl/run.
  virtual nlohmann::json run_timers() = 0;
};

std::unique_ptr<Service> make_s3_service(Runtime& rt);
std::unique_ptr<Service> make_dynamodb_service(Runtime& rt);

}  // namespace localaws
