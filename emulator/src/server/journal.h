// A bounded journal of recent requests, for GET /_localaws/requests: what a test's code under
// test actually called (the query, headers and small bodies as sent), with whose credentials,
// and what it got.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
  uint64_t seq = 0;  // set by Journal::add: 1, 2, 3 ... for the life of the process
  int64_t time_ms = 0;
  std::string request_id;
  std::string principal;  // account id, or "anonymous"
  std::string access_key;
  std::string service;    // s3, dynamodb
  std::string operation;
  std::string method;
  std::string resource;   // the request path as sent
  std::string query;      // the raw query string as sent (signature values redacted)
  // The request headers in order, names in lower case, values as sent (secrets redacted: see
  // redact_secrets).
  std::vector<std::pair<std::string, std::string>> headers;
  int status = 0;
  double latency_ms = 0;
  std::string error_code;  // the AWS error code of an error response
  std::string bucket;      // S3: the bucket and key the request names
  std::string key;
  std::string tables;      // DynamoDB: the tables the request names, comma-separated
  // A small body the service read whole (DynamoDB JSON, S3 configuration XML), at most
  // kJournalBodyLimit bytes of it; body_truncated when it was longer. body_dropped: the journal
  // let the body go to stay within its memory bound (newer entries keep theirs).
  std::string body;
  bool body_truncated = false;
  bool body_dropped = false;
  // Refused by authentication: the error code, and for a signature mismatch the canonical request
  // and string to sign localaws computed, plus hints on what may differ (see auth::AuthError).
  std::string auth_error;
  std::string canonical_request;
  std::string string_to_sign;
  std::vector<std::string> auth_hints;
  std::optional<JournalFault> fault;

  // The Host header, or "".
  std::string_view host() const;
  // The names in `tables`, in order.
  std::vector<std::string_view> table_names() const;
  // Roughly the heap bytes the entry holds (what the journal's byte bound counts).
  size_t bytes() const;
};

// Replaces secrets with "REDACTED" in place: the Signature=... of an Authorization header (SigV4;
// the credential and SignedHeaders stay) or the signature after "AWS AKID:" (SigV2), the values
// of X-Amz-Security-Token and of SSE-C customer key headers, and the X-Amz-Signature,
// X-Amz-Security-Token and Signature query parameters (presigned URLs).
void redact_secrets(std::vector<std::pair<std::string, std::string>>& headers, std::string& query);

// Which entries a reader wants; empty strings and zeros match everything.
struct JournalFilter {
  uint64_t after = 0;           // only entries with a larger seq
  std::string service;          // s3, dynamodb
  std::vector<std::string> operations;  // any of these (compared case-insensitively)
  int status_min = 0;           // status within [status_min, status_max]
  int status_max = 999;
  bool faults_only = false;     // a fault rule fired
  bool auth_failures_only = false;
  std::string table;            // DynamoDB: names this table (case-insensitively)
  std::string bucket;           // S3: names this bucket (exactly)

  bool matches(const JournalEntry& e) const;
};

struct JournalPage {
  std::vector<JournalEntry> entries;  // oldest first
  uint64_t latest_seq = 0;  // the newest entry's seq in the whole journal (0: none yet)
  bool more = false;        // with `after`: matching entries newer than the last returned remain
};

class Journal {
 public:
  // At most `capacity` entries and `max_bytes` in all; request bodies of the oldest entries are
  // let go first once they exceed `max_body_bytes` together.
  explicit Journal(size_t capacity = 1000, size_t max_bytes = 16u << 20, size_t max_body_bytes = 4u << 20)
      : capacity_(capacity), max_bytes_(max_bytes), max_body_bytes_(max_body_bytes) {}
  // Takes the entry (moved in, not copied) and assigns its seq.
  void add(JournalEntry&& e);
  // The newest `limit` entries, oldest first.
  std::vector<JournalEntry> recent(size_t limit) const;
  // Matching entries, oldest first: without f.after the newest `limit`; with it the first `limit`
  // newer than f.after (so a reader can page forward without gaps).
  JournalPage find(const JournalFilter& f, size_t limit) const;
  // Forgets every entry; seq numbers go on from where they were (readers' cursors stay valid).
  void clear();
  size_t bytes() const;

 private:
  struct Slot {
    JournalEntry entry;
    size_t bytes = 0;  // entry.bytes() as last counted
  };
  // REQUIRES: mu_ held.
  Slot& at(size_t i) { return ring_[(start_ + i) % ring_.size()]; }  // 0: the oldest
  const Slot& at(size_t i) const { return ring_[(start_ + i) % ring_.size()]; }
  void drop_oldest();
  void trim();

  size_t capacity_;
  size_t max_bytes_;
  size_t max_body_bytes_;
  mutable std::mutex mu_;
  // A ring of up to capacity_ slots: a new entry is moved into the slot of the one it replaces,
  // so a full journal allocates no node per request.
  std::vector<Slot> ring_;
  size_t start_ = 0;  // the oldest entry's slot
  size_t count_ = 0;
  uint64_t next_seq_ = 1;
  size_t bytes_ = 0;
  size_t body_bytes_ = 0;
  size_t bodies_from_ = 0;  // entries [0, bodies_from_) hold no body any more
};

}  // namespace localaws
