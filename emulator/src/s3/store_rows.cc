// Row-level helpers of the S3 store (see store_internal.h).
#include "s3/store_internal.h"

namespace localaws::s3::detail {

const char* const kObjectCols =
    "bucket, key, size, etag, last_modified_ms, blob_id, owner_id, owner_name, meta, version_id, seq, lock_mode,"
    " lock_until_ms, legal_hold, 0";
const char* const kVersionCols =
    "bucket, key, size, etag, last_modified_ms, blob_id, owner_id, owner_name, meta, version_id, -rank, lock_mode,"
    " lock_until_ms, legal_hold, is_marker";

namespace {
// The column list both tables share, in insert order (s3_versions adds rank and is_marker).
constexpr const char* kSharedCols =
    "bucket, key, size, etag, last_modified_ms, blob_id, owner_id, owner_name, meta, version_id, lock_mode,"
    " lock_until_ms, legal_hold";

std::optional<Object> one(Statement& st) {
  if (!st.step()) return std::nullopt;
  Object o = read_object(st);
  st.reset();
  return o;
}
}  // namespace

Object read_object(Statement& st) {
  Object o;
  o.bucket = st.col_text(0);
  o.key = st.col_blob(1);
  o.size = static_cast<uint64_t>(st.col_int(2));
  o.etag = st.col_text(3);
  o.last_modified_ms = st.col_int(4);
  o.blob_id = st.col_text(5);
  o.owner.id = st.col_text(6);
  o.owner.name = st.col_text(7);
  o.meta = ObjectMeta::decode(st.col_blob(8));
  o.version_id = st.col_text(9);
  o.seq = st.col_int(10);
  o.lock_mode = st.col_text(11);
  o.lock_until_ms = st.col_int(12);
  o.legal_hold = static_cast<Hold>(st.col_int(13));
  o.is_marker = st.col_int(14) != 0;
  return o;
}

Object read_listed_row(Statement& st) {
  Object o;
  o.size = static_cast<uint64_t>(st.col_int(1));
  o.etag = st.col_text(2);
  o.last_modified_ms = st.col_int(3);
  o.owner.id = st.col_text(4);
  o.owner.name = st.col_text(5);
  o.meta = ObjectMeta::decode_listed(st.col_blob(6));
  return o;
}

std::optional<BucketState> bucket_state(Connection& c, const std::string& bucket) {
  auto& st = c.prepare(
      "SELECT versioning, object_lock, owner_id, owner_name, owner_account FROM s3_buckets WHERE name = ?");
  st.bind(1, bucket);
  if (!st.step()) return std::nullopt;
  BucketState b;
  int64_t v = st.col_int(0);
  b.versioning = v == 1 ? Versioning::kEnabled : v == 2 ? Versioning::kSuspended : Versioning::kNone;
  b.object_lock = st.col_int(1) != 0;
  b.owner = {st.col_text(2), st.col_text(3), st.col_text(4)};
  st.reset();
  return b;
}

int64_t next_seq(Connection& c) {
  auto& st = c.prepare(
      "INSERT INTO s3_seq(id, n) VALUES(1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1 RETURNING n");
  // With RETURNING every change happens on the first step.
  if (!st.step()) throw storage::StorageError("s3_seq: no row returned");
  int64_t n = st.col_int(0);
  st.reset();
  return n;
}

std::optional<Object> current_row(Connection& c, const std::string& bucket, const std::string& key) {
  auto& st = c.prepare(std::string("SELECT ") + kObjectCols + " FROM s3_objects WHERE bucket = ? AND key = ?");
  st.bind(1, bucket).bind_blob(2, key);
  return one(st);
}

std::optional<Object> newest_history(Connection& c, const std::string& bucket, const std::string& key) {
  auto& st = c.prepare(std::string("SELECT ") + kVersionCols +
                       " FROM s3_versions WHERE bucket = ? AND key = ? ORDER BY rank LIMIT 1");
  st.bind(1, bucket).bind_blob(2, key);
  return one(st);
}

std::optional<Object> null_history(Connection& c, const std::string& bucket, const std::string& key) {
  // Without INDEXED BY, SQLite (no ANALYZE statistics) prefers the primary key and walks every
  // version of the key; the partial index holds at most one row per key. The literal 'null' is
  // what makes the partial index usable.
  auto& st = c.prepare(std::string("SELECT ") + kVersionCols +
                       " FROM s3_versions INDEXED BY s3_versions_null WHERE bucket = ? AND key = ?"
                       " AND version_id = 'null'");
  st.bind(1, bucket).bind_blob(2, key);
  return one(st);
}

namespace {
std::optional<Object> history_at(Connection& c, const std::string& bucket, const std::string& key, int64_t seq) {
  auto& st = c.prepare(std::string("SELECT ") + kVersionCols +
                       " FROM s3_versions WHERE bucket = ? AND key = ? AND rank = ?");
  st.bind(1, bucket).bind_blob(2, key).bind(3, -seq);
  return one(st);
}
}  // namespace

std::optional<Located> locate(Connection& c, const std::string& bucket, const std::string& key,
                              const std::string& version_id) {
  auto cur = current_row(c, bucket, key);
  if (cur) cur->is_latest = true;
  if (version_id.empty()) {
    if (cur) return Located{std::move(*cur), true};
    // No current version: the newest history row (a delete marker, by the invariant) is the latest.
    auto h = newest_history(c, bucket, key);
    if (!h) return std::nullopt;
    h->is_latest = true;
    return Located{std::move(*h), false};
  }
  std::optional<Object> h;
  if (version_id == "null") {
    if (cur && cur->version_id == "null") return Located{std::move(*cur), true};
    h = null_history(c, bucket, key);
  } else {
    auto seq = version_seq(version_id);
    if (!seq || *seq < 0) return std::nullopt;
    if (cur && cur->seq == *seq && cur->version_id == version_id) return Located{std::move(*cur), true};
    h = history_at(c, bucket, key, *seq);
    if (h && h->version_id != version_id) h.reset();  // the right seq, but not an id we issued
  }
  if (!h) return std::nullopt;
  bool latest = false;
  if (!cur) {
    auto newest = newest_history(c, bucket, key);
    latest = newest && newest->seq == h->seq;
  }
  Located l{std::move(*h), false};
  l.obj.is_latest = latest;
  return l;
}

void upsert_current(Connection& c, const Object& o) {
  auto& st = c.prepare(
      "INSERT INTO s3_objects(bucket, key, size, etag, last_modified_ms, blob_id, owner_id, owner_name, meta,"
      " version_id, seq, lock_mode, lock_until_ms, legal_hold) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT(bucket, key) DO UPDATE SET size = excluded.size, etag = excluded.etag,"
      " last_modified_ms = excluded.last_modified_ms, blob_id = excluded.blob_id, owner_id = excluded.owner_id,"
      " owner_name = excluded.owner_name, meta = excluded.meta, version_id = excluded.version_id,"
      " seq = excluded.seq, lock_mode = excluded.lock_mode, lock_until_ms = excluded.lock_until_ms,"
      " legal_hold = excluded.legal_hold");
  st.bind(1, o.bucket).bind_blob(2, o.key);
  st.bind(3, static_cast<int64_t>(o.size)).bind(4, o.etag).bind(5, o.last_modified_ms).bind(6, o.blob_id);
  st.bind(7, o.owner.id).bind(8, o.owner.name).bind_blob(9, o.meta.encode()).bind(10, o.version_id);
  st.bind(11, o.seq).bind(12, o.lock_mode).bind(13, o.lock_until_ms).bind(14, static_cast<int64_t>(o.legal_hold));
  st.run();
}

void insert_history(Connection& c, const Object& o) {
  auto& st = c.prepare(std::string("INSERT INTO s3_versions(") + kSharedCols +
                       ", rank, is_marker) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, o.bucket).bind_blob(2, o.key);
  st.bind(3, static_cast<int64_t>(o.size)).bind(4, o.etag).bind(5, o.last_modified_ms).bind(6, o.blob_id);
  st.bind(7, o.owner.id).bind(8, o.owner.name).bind_blob(9, o.is_marker ? std::string() : o.meta.encode());
  st.bind(10, o.version_id).bind(11, o.lock_mode).bind(12, o.lock_until_ms).bind(13, static_cast<int64_t>(o.legal_hold));
  st.bind(14, -o.seq).bind(15, int64_t{o.is_marker});
  st.run();
}

void demote_current(Connection& c, const std::string& bucket, const std::string& key) {
  // Copied in SQL: the stored meta moves as it is, never decoded and encoded again.
  c.prepare(std::string("INSERT INTO s3_versions(") + kSharedCols + ", rank, is_marker) SELECT " + kSharedCols +
            ", -seq, 0 FROM s3_objects WHERE bucket = ? AND key = ?")
      .bind(1, bucket)
      .bind_blob(2, key)
      .run();
  delete_current(c, bucket, key);
}

void delete_current(Connection& c, const std::string& bucket, const std::string& key) {
  c.prepare("DELETE FROM s3_objects WHERE bucket = ? AND key = ?").bind(1, bucket).bind_blob(2, key).run();
}

void delete_history(Connection& c, const std::string& bucket, const std::string& key, int64_t seq) {
  c.prepare("DELETE FROM s3_versions WHERE bucket = ? AND key = ? AND rank = ?")
      .bind(1, bucket)
      .bind_blob(2, key)
      .bind(3, -seq)
      .run();
}

void promote_newest(Connection& c, const std::string& bucket, const std::string& key) {
  auto& q = c.prepare("SELECT rank, is_marker FROM s3_versions WHERE bucket = ? AND key = ? ORDER BY rank LIMIT 1");
  q.bind(1, bucket).bind_blob(2, key);
  if (!q.step()) return;
  int64_t rank = q.col_int(0);
  bool marker = q.col_int(1) != 0;
  q.reset();
  if (marker) return;
  c.prepare(std::string("INSERT INTO s3_objects(") + kSharedCols + ", seq) SELECT " + kSharedCols +
            ", -rank FROM s3_versions WHERE bucket = ? AND key = ? AND rank = ?")
      .bind(1, bucket)
      .bind_blob(2, key)
      .bind(3, rank)
      .run();
  delete_history(c, bucket, key, -rank);
}

St check_cond(const std::optional<Object>& cur, const WriteCond& cond) {
  St st = St::kOk;
  if (cond.if_none_match_star && cur) st = St::kPreconditionFailed;
  if (st == St::kOk && cond.if_match) {
    const std::string& want = *cond.if_match;
    if (!cur) st = St::kNoSuchKey;
    else if (want != "*" && want != cur->etag && "\"" + want + "\"" != cur->etag) st = St::kPreconditionFailed;
  }
  // A condition that held when the request looked and fails now: another write won the race.
  if (st != St::kOk && cond.seen && (cur ? std::optional<int64_t>(cur->seq) : std::nullopt) != cond.seen_seq)
    return St::kConflict;
  return st;
}

bool retention_active(const Object& o, int64_t now_ms) { return !o.lock_mode.empty() && o.lock_until_ms > now_ms; }

}  // namespace localaws::s3::detail
