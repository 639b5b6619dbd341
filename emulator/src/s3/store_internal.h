// Shared by the store's files (store*.cc) only: row readers, the bucket-state read every write
// starts with, the version moves between s3_objects and s3_versions, the global seq.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "s3/store.h"

namespace localaws::s3::detail {

using storage::Connection;
using storage::Statement;

// Columns read_object() expects, for s3_objects (is_marker is always 0 there) and s3_versions
// (seq is stored negated as rank, so one key's rows scan newest first).
extern const char* const kObjectCols;
extern const char* const kVersionCols;
Object read_object(Statement& st);  // sets is_latest = false
// Only what ListObjects shows, from a row of kListedCols: size, ETag, last modified, owner, and
// the metadata of ObjectMeta::decode_listed (bucket, key, blob, version and lock left empty).
inline constexpr const char* kListedCols = "key, size, etag, last_modified_ms, owner_id, owner_name, meta";
Object read_listed_row(Statement& st);

// The bucket's versioning state and owner, read inside the transaction that acts on it.
struct BucketState {
  Versioning versioning = Versioning::kNone;
  bool object_lock = false;
  Owner owner;
};
std::optional<BucketState> bucket_state(Connection& c, const std::string& bucket);

// The next value of the global version counter (one row, created on first use and after reset).
int64_t next_seq(Connection& c);

std::optional<Object> current_row(Connection& c, const std::string& bucket, const std::string& key);
// The newest s3_versions row of a key.
std::optional<Object> newest_history(Connection& c, const std::string& bucket, const std::string& key);
// The s3_versions row of a key with version id "null".
std::optional<Object> null_history(Connection& c, const std::string& bucket, const std::string& key);

// A version found by id: where it lives, so an update or delete touches the right row.
struct Located {
  Object obj;
  bool current = false;  // the s3_objects row (else an s3_versions row with rank -obj.seq)
};
// By id ("" = the latest, which may be a marker; "null"; or a well-formed id), is_latest set.
std::optional<Located> locate(Connection& c, const std::string& bucket, const std::string& key,
                              const std::string& version_id);

void upsert_current(Connection& c, const Object& o);
void insert_history(Connection& c, const Object& o);  // o.seq gives the rank
// Moves the s3_objects row of the key into s3_versions (it becomes noncurrent).
void demote_current(Connection& c, const std::string& bucket, const std::string& key);
void delete_current(Connection& c, const std::string& bucket, const std::string& key);
void delete_history(Connection& c, const std::string& bucket, const std::string& key, int64_t seq);
// After the latest row of a key went away: when its newest s3_versions row is a version (not a
// marker), it moves into s3_objects, restoring the invariant.
void promote_newest(Connection& c, const std::string& bucket, const std::string& key);

// DeleteObject without a version id, also the lifecycle expiration of a current version (shared
// by store_objects.cc and store_lifecycle.cc): never versioned -> the current version goes;
// versioned -> a new delete marker owned by owner (d says which).
void delete_latest(Connection& c, const BucketState& b, const std::string& bucket, const std::string& key,
                   int64_t now_ms, const Owner& owner, std::vector<std::string>& dead, Deleted& d);

// DeleteObject's change inside a write transaction (store_objects.cc), shared with the batched
// DeleteObjects (store_batch.cc). kOk, kLocked (nothing changed).
St delete_one(Connection& c, const BucketState& b, const std::string& bucket, const std::string& key,
              const std::string& version_id, bool bypass_governance, int64_t now_ms, const Owner& owner,
              std::vector<std::string>& dead, Deleted& d);
// Keeps what a completed upload answered (store_batch.cc; see Store::completed_upload).
void record_completion(Connection& c, const std::string& upload_id, const Object& o, const std::string& parts);

// s3_uploads' columns in the order read_upload reads them (store.cc).
extern const char* const kUploadCols;
Upload read_upload(Statement& st);

bool upload_exists(Connection& c, const std::string& upload_id);
// Drops a completed upload and its parts; their blobs join dead.
void finish_upload(Connection& c, const std::string& upload_id, std::vector<std::string>& dead);

St check_cond(const std::optional<Object>& cur, const WriteCond& cond);

// Whether object lock forbids deleting (or weakening the lock of) this version now.
bool retention_active(const Object& o, int64_t now_ms);

// Runs a write that may point rows at new_blob (or "" for none). fn(c, dead) returns the status
// and lists the blobs no row uses any more. On failure new_blob is removed; on success the dead
// blobs go after commit.
template <typename F>
St write_with_blobs(storage::Database& db, storage::BlobStore& blobs, const std::string& new_blob, F&& fn) {
  std::vector<std::string> dead;
  St st;
  try {
    st = db.write([&](Connection& c) {
      dead.clear();
      return fn(c, dead);
    });
  } catch (...) {
    if (!new_blob.empty()) blobs.remove(new_blob);
    throw;
  }
  if (st != St::kOk) {
    if (!new_blob.empty()) blobs.remove(new_blob);
    return st;
  }
  for (auto& b : dead) {
    if (!b.empty() && b != new_blob) blobs.remove(b);
  }
  return st;
}

}  // namespace localaws::s3::detail
