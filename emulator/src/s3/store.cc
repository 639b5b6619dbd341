// The S3 store: schema, buckets, multipart uploads, blob bookkeeping. Objects and versions are in
// store_objects.cc, listings in store_list.cc, encodings in store_codec.cc.
#include "s3/store.h"

#include <nlohmann/json.hpp>

#include "s3/store_internal.h"

namespace localaws::s3 {

using nlohmann::json;
using namespace detail;

namespace {

const std::vector<std::string> kSchema = {
    // 1: buckets, objects (keys are BLOBs so they sort by UTF-8 bytes), multipart uploads and parts.
    "CREATE TABLE s3_buckets(name TEXT PRIMARY KEY, region TEXT NOT NULL, owner_id TEXT NOT NULL,"
    " owner_name TEXT NOT NULL, owner_account TEXT NOT NULL, created_ms INTEGER NOT NULL);"
    "CREATE INDEX s3_buckets_by_account ON s3_buckets(owner_account, name);"
    "CREATE TABLE s3_objects(bucket TEXT NOT NULL, key BLOB NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,"
    " last_modified_ms INTEGER NOT NULL, blob_id TEXT NOT NULL, owner_id TEXT NOT NULL, owner_name TEXT NOT NULL,"
    " meta TEXT NOT NULL, PRIMARY KEY(bucket, key)) WITHOUT ROWID;"
    "CREATE TABLE s3_uploads(upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key BLOB NOT NULL,"
    " initiated_ms INTEGER NOT NULL, owner_id TEXT NOT NULL, owner_name TEXT NOT NULL, meta TEXT NOT NULL);"
    "CREATE INDEX s3_uploads_by_key ON s3_uploads(bucket, key, initiated_ms, upload_id);"
    "CREATE TABLE s3_parts(upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, size INTEGER NOT NULL,"
    " etag TEXT NOT NULL, blob_id TEXT NOT NULL, last_modified_ms INTEGER NOT NULL, checksum TEXT NOT NULL,"
    " PRIMARY KEY(upload_id, part_number)) WITHOUT ROWID;",
    // 2: bucket subresources (ACL, ownership, public access block, policy ...) as one JSON object.
    "ALTER TABLE s3_buckets ADD COLUMN config TEXT NOT NULL DEFAULT '{}';",
    // 3: versioning and object lock. s3_objects keeps each key's current non-marker version (rows
    // from before are null versions with seq 0); s3_versions holds noncurrent versions and delete
    // markers, rank = -seq so a key's rows scan newest first; the partial index finds a key's null
    // version (other ids decode to their seq, hence their rank). meta is binary from now on (BLOB
    // values in a TEXT column stay BLOBs). s3_seq is the global version counter.
    "ALTER TABLE s3_objects ADD COLUMN version_id TEXT NOT NULL DEFAULT 'null';"
    "ALTER TABLE s3_objects ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE s3_objects ADD COLUMN lock_mode TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE s3_objects ADD COLUMN lock_until_ms INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE s3_objects ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE s3_versions(bucket TEXT NOT NULL, key BLOB NOT NULL, rank INTEGER NOT NULL,"
    " version_id TEXT NOT NULL, is_marker INTEGER NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,"
    " last_modified_ms INTEGER NOT NULL, blob_id TEXT NOT NULL, owner_id TEXT NOT NULL, owner_name TEXT NOT NULL,"
    " meta BLOB NOT NULL, lock_mode TEXT NOT NULL, lock_until_ms INTEGER NOT NULL, legal_hold INTEGER NOT NULL,"
    " PRIMARY KEY(bucket, key, rank)) WITHOUT ROWID;"
    "CREATE INDEX s3_versions_null ON s3_versions(bucket, key) WHERE version_id = 'null';"
    "CREATE TABLE s3_seq(id INTEGER PRIMARY KEY CHECK(id = 1), n INTEGER NOT NULL);"
    "ALTER TABLE s3_buckets ADD COLUMN versioning INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE s3_buckets ADD COLUMN object_lock INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE s3_uploads ADD COLUMN lock_mode TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE s3_uploads ADD COLUMN lock_until_ms INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE s3_uploads ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;",
    // 4: what completed uploads answered, so that completing one again answers the same
    // (store_batch.cc; rows older than a day go at the next completion).
    "CREATE TABLE s3_completed(upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key BLOB NOT NULL,"
    " completed_ms INTEGER NOT NULL, parts TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,"
    " version_id TEXT NOT NULL, meta BLOB NOT NULL);"
    "CREATE INDEX s3_completed_by_time ON s3_completed(completed_ms);",
};

std::string config_json(const std::map<std::string, std::string>& m) { return json(m).dump(); }
std::map<std::string, std::string> json_config(const std::string& s) {
  json j = json::parse(s, nullptr, false);
  std::map<std::string, std::string> m;
  if (!j.is_object()) return m;
  for (auto& [k, v] : j.items()) {
    if (v.is_string()) m[k] = v.get<std::string>();
  }
  return m;
}

Versioning versioning_of(int64_t v) {
  return v == 1 ? Versioning::kEnabled : v == 2 ? Versioning::kSuspended : Versioning::kNone;
}

constexpr const char* kBucketCols =
    "name, region, owner_id, owner_name, owner_account, created_ms, versioning, object_lock";
Bucket read_bucket(Statement& q) {
  Bucket b{q.col_text(0), q.col_text(1), {q.col_text(2), q.col_text(3), q.col_text(4)}, q.col_int(5), {}};
  b.versioning = versioning_of(q.col_int(6));
  b.object_lock = q.col_int(7) != 0;
  return b;
}


std::vector<std::string> part_blobs(Connection& c, const std::string& upload_id) {
  std::vector<std::string> out;
  auto& st = c.prepare("SELECT blob_id FROM s3_parts WHERE upload_id = ?");
  st.bind(1, upload_id);
  while (st.step()) out.push_back(st.col_text(0));
  return out;
}

void drop_upload(Connection& c, const std::string& upload_id) {
  c.prepare("DELETE FROM s3_parts WHERE upload_id = ?").bind(1, upload_id).run();
  c.prepare("DELETE FROM s3_uploads WHERE upload_id = ?").bind(1, upload_id).run();
}

}  // namespace

Store::Store(storage::Database& db, storage::BlobStore& blobs)
    : db_(db), blobs_(blobs), buckets_changed_(db.watch("s3_buckets")) {
  db_.migrate("s3", kSchema);
}

St Store::create_bucket(const Bucket& b, Bucket* existing) {
  return db_.write([&](Connection& c) {
    auto& q = c.prepare(std::string("SELECT ") + kBucketCols + " FROM s3_buckets WHERE name = ?");
    q.bind(1, b.name);
    if (q.step()) {
      if (existing) *existing = read_bucket(q);
      q.reset();
      return St::kExists;
    }
    auto& st = c.prepare(
        "INSERT INTO s3_buckets(name, region, owner_id, owner_name, owner_account, created_ms, config, versioning,"
        " object_lock) VALUES(?,?,?,?,?,?,?,?,?)");
    st.bind_all(b.name, b.region, b.owner.id, b.owner.name, b.owner.account, b.created_ms, config_json(b.config),
                static_cast<int64_t>(b.versioning), int64_t{b.object_lock});
    st.run();
    db_.changed(buckets_changed_);
    return St::kOk;
  });
}

std::optional<Bucket> Store::bucket(const std::string& name) {
  return db_.read([&](Connection& c) -> std::optional<Bucket> {
    uint64_t gen = c.seen(buckets_changed_);
    std::shared_ptr<const Bucket> hit;
    {
      std::lock_guard<std::mutex> lock(cache_mu_);
      auto it = cache_.find(name);
      if (it != cache_.end() && it->second.first == gen) hit = it->second.second;
    }
    if (hit) return *hit;  // copied outside the lock
    static const std::string sql = std::string("SELECT ") + kBucketCols + ", config FROM s3_buckets WHERE name = ?";
    auto& q = c.prepare(sql);
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    Bucket b = read_bucket(q);
    b.config = json_config(q.col_text(8));
    q.reset();
    auto entry = std::make_shared<const Bucket>(b);
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (cache_.size() >= 4096) cache_.clear();
    cache_[name] = {gen, std::move(entry)};
    return b;
  });
}

std::vector<Bucket> Store::list_buckets(const std::string& account, const std::string& prefix,
                                        const std::string& after, size_t limit) {
  return db_.read([&](Connection& c) {
    std::vector<Bucket> out;
    auto& q = c.prepare(std::string("SELECT ") + kBucketCols +
                        " FROM s3_buckets WHERE owner_account = ? AND name > ? AND substr(name, 1, ?) = ?"
                        " ORDER BY name LIMIT ?");
    q.bind(1, account).bind(2, after).bind(3, static_cast<int64_t>(prefix.size())).bind(4, prefix);
    q.bind(5, static_cast<int64_t>(limit));
    while (q.step()) out.push_back(read_bucket(q));
    return out;
  });
}

St Store::delete_bucket(const std::string& name) {
  return db_.write([&](Connection& c) {
    if (!bucket_state(c, name)) return St::kNoSuchBucket;
    for (const char* sql : {"SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1",
                            "SELECT 1 FROM s3_versions WHERE bucket = ? LIMIT 1",
                            "SELECT 1 FROM s3_uploads WHERE bucket = ? LIMIT 1"}) {
      auto& q = c.prepare(sql);
      q.bind(1, name);
      bool any = q.step();
      q.reset();
      if (any) return St::kNotEmpty;
    }
    c.prepare("DELETE FROM s3_buckets WHERE name = ?").bind(1, name).run();
    db_.changed(buckets_changed_);
    return St::kOk;
  });
}

St Store::set_bucket_config(const std::string& name, const std::string& key, const std::optional<std::string>& value) {
  return db_.write([&](Connection& c) {
    auto& q = c.prepare("SELECT config FROM s3_buckets WHERE name = ?");
    q.bind(1, name);
    if (!q.step()) return St::kNoSuchBucket;
    auto m = json_config(q.col_text(0));
    q.reset();
    if (value) m[key] = *value;
    else m.erase(key);
    c.prepare("UPDATE s3_buckets SET config = ? WHERE name = ?").bind(1, config_json(m)).bind(2, name).run();
    db_.changed(buckets_changed_);
    return St::kOk;
  });
}

St Store::set_versioning(const std::string& name, Versioning v) {
  return db_.write([&](Connection& c) {
    auto b = bucket_state(c, name);
    if (!b) return St::kNoSuchBucket;
    if (v == Versioning::kNone) return St::kInvalidState;
    if (v == Versioning::kSuspended && b->object_lock) return St::kInvalidState;
    c.prepare("UPDATE s3_buckets SET versioning = ? WHERE name = ?")
        .bind(1, static_cast<int64_t>(v))
        .bind(2, name)
        .run();
    db_.changed(buckets_changed_);
    return St::kOk;
  });
}

St Store::enable_object_lock(const std::string& name) {
  return db_.write([&](Connection& c) {
    auto b = bucket_state(c, name);
    if (!b) return St::kNoSuchBucket;
    if (b->object_lock) return St::kOk;
    if (b->versioning != Versioning::kEnabled) return St::kInvalidState;
    c.prepare("UPDATE s3_buckets SET object_lock = 1 WHERE name = ?").bind(1, name).run();
    db_.changed(buckets_changed_);
    return St::kOk;
  });
}

St Store::create_upload(const Upload& u) {
  return db_.write([&](Connection& c) {
    if (!bucket_state(c, u.bucket)) return St::kNoSuchBucket;
    auto& st =
        c.prepare(std::string("INSERT INTO s3_uploads(") + kUploadCols + ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, u.id).bind(2, u.bucket).bind_blob(3, u.key).bind(4, u.initiated_ms);
    st.bind(5, u.owner.id).bind(6, u.owner.name).bind_blob(7, u.meta.encode());
    st.bind(8, u.lock_mode).bind(9, u.lock_until_ms).bind(10, static_cast<int64_t>(u.legal_hold));
    st.run();
    return St::kOk;
  });
}

std::optional<Upload> Store::upload(const std::string& bucket, const std::string& key, const std::string& id) {
  return db_.read([&](Connection& c) -> std::optional<Upload> {
    auto& q = c.prepare(std::string("SELECT ") + kUploadCols +
                        " FROM s3_uploads WHERE upload_id = ? AND bucket = ? AND key = ?");
    q.bind(1, id).bind(2, bucket).bind_blob(3, key);
    if (!q.step()) return std::nullopt;
    Upload u = read_upload(q);
    q.reset();
    return u;
  });
}

St Store::put_part(const std::string& upload_id, const Part& p) {
  return write_with_blobs(db_, blobs_, p.blob_id, [&](Connection& c, std::vector<std::string>& dead) {
    if (!upload_exists(c, upload_id)) return St::kNoSuchUpload;
    auto& old = c.prepare("SELECT blob_id FROM s3_parts WHERE upload_id = ? AND part_number = ?");
    old.bind(1, upload_id).bind(2, static_cast<int64_t>(p.number));
    if (old.step()) dead.push_back(old.col_text(0));
    old.reset();
    auto& st = c.prepare(
        "INSERT OR REPLACE INTO s3_parts(upload_id, part_number, size, etag, blob_id, last_modified_ms, checksum)"
        " VALUES(?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, upload_id).bind(2, static_cast<int64_t>(p.number)).bind(3, static_cast<int64_t>(p.size));
    st.bind(4, p.etag).bind(5, p.blob_id).bind(6, p.last_modified_ms).bind(7, p.checksum);
    st.run();
    return St::kOk;
  });
}

std::vector<Part> Store::parts(const std::string& upload_id) {
  return db_.read([&](Connection& c) {
    std::vector<Part> out;
    auto& q = c.prepare(
        "SELECT part_number, size, etag, blob_id, last_modified_ms, checksum FROM s3_parts WHERE upload_id = ?"
        " ORDER BY part_number");
    q.bind(1, upload_id);
    while (q.step()) {
      out.push_back({static_cast<int>(q.col_int(0)), static_cast<uint64_t>(q.col_int(1)), q.col_text(2),
                     q.col_text(3), q.col_int(4), q.col_text(5)});
    }
    return out;
  });
}

St Store::complete_upload(const std::string& upload_id, Object& o, const WriteCond& cond, const std::string& parts) {
  return write_version(&upload_id, o, cond, parts);
}

St Store::abort_upload(const std::string& bucket, const std::string& key, const std::string& id) {
  return write_with_blobs(db_, blobs_, "", [&](Connection& c, std::vector<std::string>& dead) {
    auto& q = c.prepare("SELECT 1 FROM s3_uploads WHERE upload_id = ? AND bucket = ? AND key = ?");
    q.bind(1, id).bind(2, bucket).bind_blob(3, key);
    bool found = q.step();
    q.reset();
    if (!found) return St::kNoSuchUpload;
    dead = part_blobs(c, id);
    drop_upload(c, id);
    return St::kOk;
  });
}

std::vector<Upload> Store::list_uploads(const std::string& bucket, const std::string& lower, size_t limit) {
  return db_.read([&](Connection& c) {
    std::vector<Upload> out;
    auto& q = c.prepare(std::string("SELECT ") + kUploadCols +
                        " FROM s3_uploads WHERE bucket = ? AND key >= ? ORDER BY key, initiated_ms, upload_id LIMIT ?");
    q.bind(1, bucket).bind_blob(2, lower).bind(3, static_cast<int64_t>(limit));
    while (q.step()) out.push_back(read_upload(q));
    return out;
  });
}

void Store::collect_blobs(std::unordered_set<std::string>& out) {
  db_.read([&](Connection& c) {
    for (const char* sql : {"SELECT blob_id FROM s3_objects", "SELECT blob_id FROM s3_versions WHERE is_marker = 0",
                            "SELECT blob_id FROM s3_parts"}) {
      auto& q = c.prepare(sql);
      while (q.step()) out.insert(q.col_text(0));
    }
  });
}

void Store::reset() {
  std::unordered_set<std::string> live;
  collect_blobs(live);
  db_.clear_tables("s3_");
  for (auto& b : live) blobs_.remove(b);
}

namespace detail {
const char* const kUploadCols =
    "upload_id, bucket, key, initiated_ms, owner_id, owner_name, meta, lock_mode, lock_until_ms, legal_hold";
Upload read_upload(Statement& st) {
  Upload u;
  u.id = st.col_text(0);
  u.bucket = st.col_text(1);
  u.key = st.col_blob(2);
  u.initiated_ms = st.col_int(3);
  u.owner.id = st.col_text(4);
  u.owner.name = st.col_text(5);
  u.meta = ObjectMeta::decode(st.col_blob(6));
  u.lock_mode = st.col_text(7);
  u.lock_until_ms = st.col_int(8);
  u.legal_hold = static_cast<Hold>(st.col_int(9));
  return u;
}

bool upload_exists(Connection& c, const std::string& upload_id) {
  auto& st = c.prepare("SELECT 1 FROM s3_uploads WHERE upload_id = ?");
  st.bind(1, upload_id);
  bool found = st.step();
  st.reset();
  return found;
}

void finish_upload(Connection& c, const std::string& upload_id, std::vector<std::string>& dead) {
  auto blobs = part_blobs(c, upload_id);
  dead.insert(dead.end(), blobs.begin(), blobs.end());
  drop_upload(c, upload_id);
}
}  // namespace detail

}  // namespace localaws::s3
