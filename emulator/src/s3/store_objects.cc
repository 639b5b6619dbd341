// Objects and their versions: reads, new versions (PUT, completion), deletes and delete markers,
// per-version updates (tags, ACL, retention, legal hold). AWS's rules are quoted in store.h.
#include "s3/store.h"
#include "s3/store_internal.h"

namespace localaws::s3 {

using namespace detail;

namespace {

// Takes a key's null version out of the history (suspended buckets keep one null version per
// key); its bytes die with it.
void drop_null_history(Connection& c, const std::string& bucket, const std::string& key,
                       std::vector<std::string>& dead) {
  auto n = null_history(c, bucket, key);
  if (!n) return;
  if (!n->is_marker) dead.push_back(n->blob_id);
  delete_history(c, bucket, key, n->seq);
}

// Makes room for a new latest version or marker with id "null" (never versioned, suspended) or a
// fresh id (enabled): the current version is replaced when it is the null version, else it
// becomes noncurrent; a suspended bucket also drops a noncurrent null version.
void retire_current(Connection& c, const BucketState& b, const std::string& bucket, const std::string& key,
                    const std::optional<Object>& cur, bool new_is_null, std::vector<std::string>& dead) {
  if (cur) {
    if (new_is_null && cur->version_id == "null") {
      dead.push_back(cur->blob_id);
      delete_current(c, bucket, key);
    } else {
      demote_current(c, bucket, key);
    }
  }
  if (new_is_null && b.versioning == Versioning::kSuspended) drop_null_history(c, bucket, key, dead);
}

}  // namespace

namespace detail {
void delete_latest(Connection& c, const BucketState& b, const std::string& bucket, const std::string& key,
                   int64_t now_ms, const Owner& owner, std::vector<std::string>& dead, Deleted& d) {
  auto cur = current_row(c, bucket, key);
  if (b.versioning == Versioning::kNone) {
    if (cur) {
      dead.push_back(cur->blob_id);
      delete_current(c, bucket, key);
    }
    return;
  }
  // A versioned bucket always gets a new delete marker, even over one.
  Object m;
  m.bucket = bucket;
  m.key = key;
  m.is_marker = true;
  m.is_latest = true;
  m.owner = owner;
  m.last_modified_ms = now_ms;
  m.seq = next_seq(c);
  bool null_marker = b.versioning == Versioning::kSuspended;
  m.version_id = null_marker ? "null" : make_version_id(m.seq);
  retire_current(c, b, bucket, key, cur, null_marker, dead);
  insert_history(c, m);
  d = {true, m.version_id};
}
}  // namespace detail

std::optional<Object> Store::object(const std::string& bucket, const std::string& key) {
  return db_.read([&](Connection& c) {
    auto o = current_row(c, bucket, key);
    if (o) o->is_latest = true;
    return o;
  });
}

std::optional<Object> Store::find(const std::string& bucket, const std::string& key, const std::string& version_id) {
  return db_.read([&](Connection& c) -> std::optional<Object> {
    auto l = locate(c, bucket, key, version_id);
    if (!l) return std::nullopt;
    return std::move(l->obj);
  });
}

St Store::write_version(const std::string* upload_id, Object& o, const WriteCond& cond, const std::string& parts) {
  return write_with_blobs(db_, blobs_, o.blob_id, [&](Connection& c, std::vector<std::string>& dead) {
    // An upload completed or aborted while this completion read its parts: a conditional
    // completion lost a race (S3: 409), a plain one finds no upload.
    if (upload_id && !upload_exists(c, *upload_id)) return cond.any() ? St::kConflict : St::kNoSuchUpload;
    auto b = bucket_state(c, o.bucket);
    if (!b) return St::kNoSuchBucket;
    auto cur = current_row(c, o.bucket, o.key);
    if (St s = check_cond(cur, cond); s != St::kOk) return s;
    // ---- checks end; object lock never refuses a new version ----
    o.seq = next_seq(c);
    o.is_marker = false;
    o.is_latest = true;
    bool null_version = b->versioning != Versioning::kEnabled;
    o.version_id = null_version ? "null" : make_version_id(o.seq);
    retire_current(c, *b, o.bucket, o.key, cur, null_version, dead);
    if (upload_id) {
      finish_upload(c, *upload_id, dead);
      record_completion(c, *upload_id, o, parts);  // store_batch.cc
    }
    upsert_current(c, o);
    return St::kOk;
  });
}

St Store::put_object(Object& o, const WriteCond& cond) { return write_version(nullptr, o, cond); }

namespace detail {
St delete_one(Connection& c, const BucketState& b, const std::string& bucket, const std::string& key,
              const std::string& version_id, bool bypass_governance, int64_t now_ms, const Owner& owner,
              std::vector<std::string>& dead, Deleted& d) {
  d = {};
  if (version_id.empty()) {
    delete_latest(c, b, bucket, key, now_ms, owner, dead, d);
    return St::kOk;
  }
  auto l = locate(c, bucket, key, version_id);
  if (!l) {
    d.version_id = version_id;  // S3 answers 204 and echoes the id
    return St::kOk;
  }
  const Object& v = l->obj;
  if (!v.is_marker) {
    if (v.legal_hold == Hold::kOn) return St::kLocked;
    if (retention_active(v, now_ms) && (v.lock_mode != "GOVERNANCE" || !bypass_governance)) return St::kLocked;
  }
  // ---- checks end ----
  if (l->current) delete_current(c, bucket, key);
  else delete_history(c, bucket, key, v.seq);
  if (!v.is_marker) dead.push_back(v.blob_id);
  if (v.is_latest) promote_newest(c, bucket, key);
  d = {v.is_marker, v.version_id};
  return St::kOk;
}
}  // namespace detail

St Store::delete_object(const std::string& bucket, const std::string& key, const std::string& version_id,
                        bool bypass_governance, int64_t now_ms, Deleted* out, const Owner* requester) {
  Deleted d;
  St st = write_with_blobs(db_, blobs_, "", [&](Connection& c, std::vector<std::string>& dead) {
    d = {};
    auto b = bucket_state(c, bucket);
    if (!b) return St::kNoSuchBucket;
    return delete_one(c, *b, bucket, key, version_id, bypass_governance, now_ms, requester ? *requester : b->owner,
                      dead, d);
  });
  if (out) *out = d;
  return st;
}

template <typename F>
St Store::update_version(const std::string& bucket, const std::string& key, const std::string& version_id,
                         F&& change) {
  return db_.write([&](Connection& c) {
    auto b = bucket_state(c, bucket);
    if (!b) return St::kNoSuchBucket;
    auto l = locate(c, bucket, key, version_id);
    if (!l || (l->obj.is_marker && version_id.empty())) return version_id.empty() ? St::kNoSuchKey : St::kNoSuchVersion;
    if (l->obj.is_marker) return St::kIsMarker;
    Object& o = l->obj;
    if (St s = change(*b, o); s != St::kOk) return s;
    // ---- checks end ----
    const char* sql = l->current
                          ? "UPDATE s3_objects SET meta = ?, lock_mode = ?, lock_until_ms = ?, legal_hold = ?"
                            " WHERE bucket = ? AND key = ?"
                          : "UPDATE s3_versions SET meta = ?, lock_mode = ?, lock_until_ms = ?, legal_hold = ?"
                            " WHERE bucket = ? AND key = ? AND rank = ?";
    auto& st = c.prepare(sql);
    st.bind_blob(1, o.meta.encode()).bind(2, o.lock_mode).bind(3, o.lock_until_ms).bind(4, static_cast<int64_t>(o.legal_hold));
    st.bind(5, bucket).bind_blob(6, key);
    if (!l->current) st.bind(7, -o.seq);
    st.run();
    return St::kOk;
  });
}

St Store::set_tags(const std::string& bucket, const std::string& key, const std::string& version_id,
                   const Pairs& tags) {
  return update_version(bucket, key, version_id, [&](const BucketState&, Object& o) {
    o.meta.tags = tags;
    return St::kOk;
  });
}

St Store::set_object_acl(const std::string& bucket, const std::string& key, const std::string& version_id,
                         const std::string& acl) {
  return update_version(bucket, key, version_id, [&](const BucketState&, Object& o) {
    o.meta.acl = acl;
    return St::kOk;
  });
}

St Store::set_retention(const std::string& bucket, const std::string& key, const std::string& version_id,
                        const Retention& r, bool bypass_governance, int64_t now_ms) {
  return update_version(bucket, key, version_id, [&](const BucketState& b, Object& o) {
    if (!b.object_lock) return St::kInvalidState;
    if (retention_active(o, now_ms)) {
      // COMPLIANCE: the mode cannot change and the period cannot shorten. GOVERNANCE: the same
      // unless the caller bypasses governance (which the handler has authorized).
      bool keeps_or_extends = r.mode == o.lock_mode && r.until_ms >= o.lock_until_ms;
      if (!keeps_or_extends && (o.lock_mode != "GOVERNANCE" || !bypass_governance)) return St::kLocked;
    }
    o.lock_mode = r.mode;
    o.lock_until_ms = r.mode.empty() ? 0 : r.until_ms;
    return St::kOk;
  });
}

St Store::set_legal_hold(const std::string& bucket, const std::string& key, const std::string& version_id, bool on) {
  return update_version(bucket, key, version_id, [&](const BucketState& b, Object& o) {
    if (!b.object_lock) return St::kInvalidState;
    o.legal_hold = on ? Hold::kOn : Hold::kOff;
    return St::kOk;
  });
}

}  // namespace localaws::s3
