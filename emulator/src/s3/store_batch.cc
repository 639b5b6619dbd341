// DeleteObjects in one write transaction (each key as DeleteObject would delete it, with its
// If-Match / <ETag> condition), and what completed multipart uploads answered (so completing one
// again answers the same, as S3 does). AWS's rules are quoted in store.h.
#include "s3/store.h"
#include "s3/store_internal.h"

namespace localaws::s3 {

using namespace detail;

namespace {
constexpr int64_t kCompletionKeptMs = 24ll * 3600 * 1000;

// If-Match against the key's current version: "*" wants one, an ETag (quoted or not) that one.
St check_if_match(Connection& c, const std::string& bucket, const std::string& key, const std::string& want) {
  auto cur = current_row(c, bucket, key);  // a delete marker as the latest: no current version
  if (!cur) return St::kNoSuchKey;
  if (want == "*" || want == cur->etag || "\"" + want + "\"" == cur->etag) return St::kOk;
  return St::kPreconditionFailed;
}
}  // namespace

St Store::delete_objects(const std::string& bucket, const std::vector<DeleteEntry>& entries, bool bypass_governance,
                         int64_t now_ms, const Owner& requester, std::vector<DeleteOutcome>& out) {
  return write_with_blobs(db_, blobs_, "", [&](Connection& c, std::vector<std::string>& dead) {
    out.assign(entries.size(), {});
    auto b = bucket_state(c, bucket);
    if (!b) return St::kNoSuchBucket;
    for (size_t i = 0; i < entries.size(); i++) {
      const DeleteEntry& e = entries[i];
      if (e.if_match) {
        out[i].st = check_if_match(c, bucket, e.key, *e.if_match);
        if (out[i].st != St::kOk) continue;
      }
      // A refused entry changes nothing (delete_one checks before it changes), so the others go on.
      out[i].st = delete_one(c, *b, bucket, e.key, e.version_id, bypass_governance, now_ms, requester, dead,
                             out[i].deleted);
    }
    return St::kOk;
  });
}

std::optional<Store::Completion> Store::completed_upload(const std::string& bucket, const std::string& key,
                                                         const std::string& upload_id) {
  return db_.read([&](Connection& c) -> std::optional<Completion> {
    auto& q = c.prepare(
        "SELECT parts, size, etag, version_id, meta, completed_ms FROM s3_completed"
        " WHERE upload_id = ? AND bucket = ? AND key = ?");
    q.bind(1, upload_id).bind(2, bucket).bind_blob(3, key);
    if (!q.step()) return std::nullopt;
    Completion done;
    done.parts = q.col_text(0);
    done.obj.bucket = bucket;
    done.obj.key = key;
    done.obj.size = static_cast<uint64_t>(q.col_int(1));
    done.obj.etag = q.col_text(2);
    done.obj.version_id = q.col_text(3);
    done.obj.meta = ObjectMeta::decode(q.col_blob(4));
    done.obj.last_modified_ms = q.col_int(5);
    q.reset();
    return done;
  });
}

namespace detail {
void record_completion(Connection& c, const std::string& upload_id, const Object& o, const std::string& parts) {
  auto& old = c.prepare("DELETE FROM s3_completed WHERE completed_ms < ?");
  old.bind(1, o.last_modified_ms - kCompletionKeptMs);
  old.run();
  auto& st = c.prepare(
      "INSERT OR REPLACE INTO s3_completed(upload_id, bucket, key, completed_ms, parts, size, etag, version_id, meta)"
      " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, upload_id).bind(2, o.bucket).bind_blob(3, o.key).bind(4, o.last_modified_ms).bind(5, parts);
  st.bind(6, static_cast<int64_t>(o.size)).bind(7, o.etag).bind(8, o.version_id).bind_blob(9, o.meta.encode());
  st.run();
}
}  // namespace detail

}  // namespace localaws::s3
