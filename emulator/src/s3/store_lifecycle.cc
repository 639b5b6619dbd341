// The store's side of the lifecycle sweep and RestoreObject (see the lifecycle section of
// store.h). Reads are seek-based pages on the tables' primary keys; changes are one write
// transaction per batch, every action re-checked inside it.
#include "s3/store.h"
#include "s3/store_internal.h"

namespace localaws::s3 {

using namespace detail;

namespace {

// How many s3_versions rows the key has, up to 2 (enough to tell "the only one").
int history_count(Connection& c, const std::string& bucket, const std::string& key) {
  auto& q = c.prepare("SELECT COUNT(*) FROM (SELECT 1 FROM s3_versions WHERE bucket = ? AND key = ? LIMIT 2)");
  q.bind(1, bucket).bind_blob(2, key);
  int n = q.step() ? static_cast<int>(q.col_int(0)) : 0;
  q.reset();
  return n;
}

void set_meta(Connection& c, const std::string& bucket, const Object& o, bool current) {
  auto& st = c.prepare(current ? "UPDATE s3_objects SET meta = ? WHERE bucket = ? AND key = ?"
                               : "UPDATE s3_versions SET meta = ? WHERE bucket = ? AND key = ? AND rank = ?");
  st.bind_blob(1, o.meta.encode()).bind(2, bucket).bind_blob(3, o.key);
  if (!current) st.bind(4, -o.seq);
  st.run();
}

bool locked(const Object& o, int64_t now_ms) { return o.legal_hold == Hold::kOn || retention_active(o, now_ms); }

}  // namespace

std::vector<Store::LifecycleBucket> Store::lifecycle_buckets() {
  return db_.read([&](Connection& c) {
    std::vector<LifecycleBucket> out;
    auto& q = c.prepare(
        "SELECT name, json_extract(config, '$.lifecycle') FROM s3_buckets"
        " WHERE json_extract(config, '$.lifecycle') IS NOT NULL ORDER BY name");
    while (q.step()) out.push_back({q.col_text(0), q.col_text(1)});
    return out;
  });
}

std::vector<Object> Store::current_page(const std::string& bucket, const std::string& after, size_t limit) {
  return db_.read([&](Connection& c) {
    std::vector<Object> out;
    auto& q = c.prepare(std::string("SELECT ") + kObjectCols +
                        " FROM s3_objects WHERE bucket = ? AND key > ? ORDER BY key LIMIT ?");
    q.bind(1, bucket).bind_blob(2, after).bind(3, static_cast<int64_t>(limit));
    while (q.step()) out.push_back(read_object(q));
    return out;
  });
}

std::vector<Store::HistoryRow> Store::history_page(const std::string& bucket, const std::string& after_key,
                                                   std::optional<int64_t> after_seq, size_t limit) {
  return db_.read([&](Connection& c) {
    std::vector<HistoryRow> out;
    // (key, rank) > (after_key, -after_seq): the primary key order, a seek.
    auto& q = c.prepare(std::string("SELECT ") + kVersionCols +
                        " FROM s3_versions WHERE bucket = ? AND (key, rank) > (?, ?) ORDER BY key, rank LIMIT ?");
    q.bind(1, bucket).bind_blob(2, after_key).bind(3, after_seq ? -*after_seq : INT64_MIN);
    q.bind(4, static_cast<int64_t>(limit));
    while (q.step()) {
      HistoryRow r;
      r.obj = read_object(q);
      out.push_back(std::move(r));
    }
    // The current version of each key on the page (one point read per key).
    std::string last;
    bool has = false;
    int64_t ms = 0;
    for (size_t i = 0; i < out.size(); i++) {
      if (i == 0 || out[i].obj.key != last) {
        last = out[i].obj.key;
        auto cur = current_row(c, bucket, last);
        has = cur.has_value();
        ms = cur ? cur->last_modified_ms : 0;
      }
      out[i].has_current = has;
      out[i].current_ms = ms;
    }
    return out;
  });
}

std::vector<Upload> Store::upload_page(const std::string& bucket, const std::string& after_key, int64_t after_ms,
                                       const std::string& after_id, size_t limit) {
  return db_.read([&](Connection& c) {
    std::vector<Upload> out;
    auto& q = c.prepare(std::string("SELECT ") + kUploadCols +
                        " FROM s3_uploads WHERE bucket = ? AND (key, initiated_ms, upload_id) > (?, ?, ?)"
                        " ORDER BY key, initiated_ms, upload_id LIMIT ?");
    q.bind(1, bucket).bind_blob(2, after_key).bind(3, after_id.empty() ? INT64_MIN : after_ms).bind(4, after_id);
    q.bind(5, static_cast<int64_t>(limit));
    while (q.step()) out.push_back(read_upload(q));
    return out;
  });
}

St Store::apply_lifecycle(const std::string& bucket, const std::vector<LcAction>& acts, int64_t now_ms,
                          std::vector<LcOutcome>& out) {
  return write_with_blobs(db_, blobs_, "", [&](Connection& c, std::vector<std::string>& dead) {
    out.assign(acts.size(), LcOutcome{});
    auto b = bucket_state(c, bucket);
    if (!b) return St::kNoSuchBucket;
    for (size_t i = 0; i < acts.size(); i++) {
      const LcAction& a = acts[i];
      LcOutcome& o = out[i];
      switch (a.kind) {
        case LcKind::kExpireCurrent: {
          auto cur = current_row(c, bucket, a.key);
          if (!cur || cur->seq != a.seq) break;
          // A marker is always allowed; a never-versioned bucket has no object lock.
          delete_latest(c, *b, bucket, a.key, now_ms, b->owner, dead, o.deleted);
          o.result = LcResult::kDone;
          break;
        }
        case LcKind::kTransition: {
          auto l = locate(c, bucket, a.key, a.version_id);
          if (!l || l->obj.is_marker || l->obj.seq != a.seq || l->current != a.current) break;
          l->obj.meta.storage_class = a.storage_class;
          set_meta(c, bucket, l->obj, l->current);
          o.result = LcResult::kDone;
          break;
        }
        case LcKind::kRemoveVersion: {
          auto l = locate(c, bucket, a.key, a.version_id);
          if (!l || l->current || l->obj.is_latest || l->obj.seq != a.seq) break;
          if (!l->obj.is_marker && locked(l->obj, now_ms)) {
            o.result = LcResult::kLocked;
            break;
          }
          delete_history(c, bucket, a.key, a.seq);
          if (!l->obj.is_marker) dead.push_back(l->obj.blob_id);
          o.deleted = {l->obj.is_marker, l->obj.version_id};
          o.result = LcResult::kDone;
          break;
        }
        case LcKind::kRemoveMarker: {
          if (current_row(c, bucket, a.key)) break;
          auto h = newest_history(c, bucket, a.key);
          if (!h || !h->is_marker || h->seq != a.seq || history_count(c, bucket, a.key) != 1) break;
          delete_history(c, bucket, a.key, a.seq);
          o.deleted = {true, h->version_id};
          o.result = LcResult::kDone;
          break;
        }
        case LcKind::kAbortUpload: {
          if (!upload_exists(c, a.upload_id)) break;
          finish_upload(c, a.upload_id, dead);
          o.result = LcResult::kDone;
          break;
        }
      }
    }
    return St::kOk;
  });
}

St Store::restore_object(const std::string& bucket, const std::string& key, const std::string& version_id,
                         bool (*archived)(const std::string&), int64_t now_ms, int64_t ready_ms,
                         int64_t expiry_new_ms, int64_t expiry_extend_ms, RestoreState* state, Object* restored) {
  return db_.write([&](Connection& c) {
    if (!bucket_state(c, bucket)) return St::kNoSuchBucket;
    auto l = locate(c, bucket, key, version_id);
    if (!l || (l->obj.is_marker && version_id.empty())) return version_id.empty() ? St::kNoSuchKey : St::kNoSuchVersion;
    if (l->obj.is_marker) return St::kIsMarker;
    Object& o = l->obj;
    if (!archived(o.meta.storage_class)) return St::kInvalidState;
    auto& m = o.meta;
    RestoreState s;
    if (m.restore_ready_ms > now_ms) {
      s = RestoreState::kInProgress;
    } else if (m.restore_ready_ms != 0 && now_ms < m.restore_expiry_ms) {
      s = RestoreState::kExtended;
      m.restore_expiry_ms = expiry_extend_ms;
    } else {
      s = RestoreState::kStarted;
      m.restore_ready_ms = ready_ms;
      m.restore_expiry_ms = expiry_new_ms;
    }
    // ---- checks end ----
    if (s != RestoreState::kInProgress) set_meta(c, bucket, o, l->current);
    if (state) *state = s;
    if (restored) *restored = o;
    return St::kOk;
  });
}

}  // namespace localaws::s3
