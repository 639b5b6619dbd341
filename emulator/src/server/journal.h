// A bounded journal of recent requests, for GET /_localaws/requests: what a test's code under
// test actually called, with whose credentials, and what it got.
#pragma once
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace localaws {

// A fault rule that fired on the request (server/faults.h).
struct JournalFault {
  std::string id;
  std::string error;  // "" when the rule injects no error
  int64_t latency_ms = 0;
  std::string cut_connection;  // "", "before_response" or "mid_response"
};

struct JournalEntry {
  int64_t time_ms = 0;
  std::string request_id;
  std::string principal;  // account id, or "anonymous"
  std::string access_key;
  std::string service;    // s3, dynamodb
  std::string operation;
  std::string method;
  std::string resource;   // the request path as sent
  int status = 0;
  double latency_ms = 0;
  // Refused by authentication: the error code, and for a signature mismatch the canonical request
  // and string to sign localaws computed, plus hints on what may differ (see auth::AuthError).
  std::string auth_error;
  std::string canonical_request;
  std::string string_to_sign;
  std::vector<std::string> auth_hints;
  std::optional<JournalFault> fault;
};

class Journal {
 public:
  explicit Journal(size_t capacity = 1000) : capacity_(capacity) {}
  void add(JournalEntry e);
  // The newest `limit` entries, oldest first.
  std::vector<JournalEntry> recent(size_t limit) const;
  void clear();

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::deque<JournalEntry> entries_;
};

}  // namespace localaws
