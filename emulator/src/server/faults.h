// Fault injection (POST /_localaws/faults, control/faults_api.cc): rules that make matching
// requests fail, wait or lose their connection, so a test can watch its code's retries.
// A service asks fire() after routing and authentication, before its handler changes anything.
// With no rule the cost is one relaxed atomic load (active()).
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authenticator.h"
#include "server/journal.h"

namespace localaws {

// What a service knows of a request when it asks for a fault.
struct FaultTarget {
  std::string_view service;    // "s3", "dynamodb"
  std::string_view operation;  // as the journal records it: PutObject, GetItem
  std::string_view resource;   // the bucket or table, "" when none
  std::string_view key;        // the S3 object key, "" when none
  const auth::Principal& who;
};

// The error a fired rule answers with, rendered by the service in its protocol.
struct FaultError {
  std::string code;
  std::string message;  // "" : the code's default message
  int status = 0;       // 0: the code's own status
};

// Whether a service can answer with an error code, and with which status (nullopt: unknown code).
using ErrorStatusOf = std::function<std::optional<int>(const std::string& service, const std::string& code)>;

class Faults {
 public:
  Faults();
  ~Faults();

  // True when at least one rule exists (the hot-path check).
  bool active() const { return active_.load(std::memory_order_relaxed); }

  // Adds a rule from its JSON (fields in docs/harness.md "Fault injection"). Returns the rule as
  // stored (with its id), or throws std::invalid_argument with a message for the caller.
  nlohmann::json add(const nlohmann::json& rule, const ErrorStatusOf& status_of);
  // Every rule with how many times it fired, in the order they were added (the order they match).
  nlohmann::json list() const;
  // False when no rule has this id.
  bool remove(const std::string& id);
  void clear();

  // The first rule that matches `t` and fires (its count and probability allowing): waits its
  // latency, asks the transport to cut the connection when it says so, and notes the fault for
  // the journal (FaultScope). Returns the error to answer with, if the rule has one.
  // REQUIRES: active(). Outside a FaultScope that allows faults, never fires.
  std::optional<FaultError> fire(const FaultTarget& t);

 private:
  struct Rule;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Rule>> rules_;
  uint64_t next_id_ = 1;
  std::atomic<bool> active_{false};
};

// One request's fault bookkeeping, on serve()'s stack: whether faults may fire for it (not for
// the emulator's own calls, such as fixture loading) and what fired, for the journal.
class FaultScope {
 public:
  explicit FaultScope(bool allow);
  ~FaultScope();
  FaultScope(const FaultScope&) = delete;
  FaultScope& operator=(const FaultScope&) = delete;
  const std::optional<JournalFault>& fired() const { return fired_; }

 private:
  friend class Faults;
  bool allow_;
  std::optional<JournalFault> fired_;
  FaultScope* outer_;
};

}  // namespace localaws
