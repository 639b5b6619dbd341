#include "s3/store.h"

#include <nlohmann/json.hpp>

namespace localaws::s3 {

using nlohmann::json;
using storage::Connection;
using storage::Statement;

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

json pairs_json(const Pairs& p) {
  json a = json::array();
  for (auto& [k, v] : p) a.push_back({k, v});
  return a;
}
Pairs json_pairs(const json& a) {
  Pairs p;
  if (!a.is_array()) return p;
  for (auto& e : a) p.emplace_back(e.at(0).get<std::string>(), e.at(1).get<std::string>());
  return p;
}

const char* kObjectCols = "bucket, key, size, etag, last_modified_ms, blob_id, owner_id, owner_name, meta";

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
  o.meta = ObjectMeta::from_json(st.col_text(8));
  return o;
}

std::optional<Object> find_object(Connection& c, const std::string& bucket, const std::string& key) {
  auto& st = c.prepare(std::string("SELECT ") + kObjectCols + " FROM s3_objects WHERE bucket = ? AND key = ?");
  st.bind(1, bucket).bind_blob(2, key);
  if (!st.step()) return std::nullopt;
  Object o = read_object(st);
  st.reset();
  return o;
}

bool bucket_exists(Connection& c, const std::string& name) {
  auto& st = c.prepare("SELECT 1 FROM s3_buckets WHERE name = ?");
  st.bind(1, name);
  bool found = st.step();
  st.reset();
  return found;
}

bool upload_exists(Connection& c, const std::string& upload_id) {
  auto& st = c.prepare("SELECT 1 FROM s3_uploads WHERE upload_id = ?");
  st.bind(1, upload_id);
  bool found = st.step();
  st.reset();
  return found;
}

void upsert_object(Connection& c, const Object& o) {
  auto& st = c.prepare(
      "INSERT INTO s3_objects(bucket, key, size, etag, last_modified_ms, blob_id, owner_id, owner_name, meta)"
      " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(bucket, key) DO UPDATE SET size = excluded.size,"
      " etag = excluded.etag, last_modified_ms = excluded.last_modified_ms, blob_id = excluded.blob_id,"
      " owner_id = excluded.owner_id, owner_name = excluded.owner_name, meta = excluded.meta");
  st.bind(1, o.bucket).bind_blob(2, o.key);
  st.bind(3, static_cast<int64_t>(o.size)).bind(4, o.etag).bind(5, o.last_modified_ms).bind(6, o.blob_id);
  st.bind(7, o.owner.id).bind(8, o.owner.name).bind(9, o.meta.to_json());
  st.run();
}

// Checks a conditional write against the current row (inside the write transaction).
St check_cond(const std::optional<Object>& cur, const WriteCond& cond) {
  if (cond.if_none_match_star && cur) return St::kPreconditionFailed;
  if (cond.if_match) {
    if (!cur) return St::kNoSuchKey;
    std::string want = *cond.if_match;
    if (want != "*" && want != cur->etag && "\"" + want + "\"" != cur->etag) return St::kPreconditionFailed;
  }
  return St::kOk;
}

Upload read_upload(Statement& st) {
  Upload u;
  u.id = st.col_text(0);
  u.bucket = st.col_text(1);
  u.key = st.col_blob(2);
  u.initiated_ms = st.col_int(3);
  u.owner.id = st.col_text(4);
  u.owner.name = st.col_text(5);
  u.meta = ObjectMeta::from_json(st.col_text(6));
  return u;
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

// Runs a write that points rows at new_blob. fn(c, dead) returns the status and lists the blobs the
// rows no longer use. On failure new_blob is removed; on success the dead blobs go after commit.
template <typename F>
St switch_blobs(storage::Database& db, storage::BlobStore& blobs, const std::string& new_blob, F&& fn) {
  std::vector<std::string> dead;
  St st;
  try {
    st = db.write([&](Connection& c) { return fn(c, dead); });
  } catch (...) {
    blobs.remove(new_blob);
    throw;
  }
  if (st != St::kOk) {
    blobs.remove(new_blob);
    return st;
  }
  for (auto& b : dead) {
    if (b != new_blob) blobs.remove(b);
  }
  return st;
}

}  // namespace

std::string ObjectMeta::to_json() const {
  json j = {{"h", pairs_json(headers)}, {"u", pairs_json(user)}, {"t", pairs_json(tags)}, {"sc", storage_class}};
  if (!checksum_algo.empty()) j["ca"] = checksum_algo, j["cv"] = checksum_value, j["ct"] = checksum_type;
  if (!part_sizes.empty()) j["ps"] = part_sizes;
  if (!acl.empty()) j["acl"] = acl;
  return j.dump();
}

ObjectMeta ObjectMeta::from_json(const std::string& s) {
  ObjectMeta m;
  json j = json::parse(s, nullptr, false);
  if (!j.is_object()) return m;
  m.headers = json_pairs(j.value("h", json::array()));
  m.user = json_pairs(j.value("u", json::array()));
  m.tags = json_pairs(j.value("t", json::array()));
  m.storage_class = j.value("sc", "STANDARD");
  m.checksum_algo = j.value("ca", "");
  m.checksum_value = j.value("cv", "");
  m.checksum_type = j.value("ct", "");
  if (j.contains("ps")) m.part_sizes = j["ps"].get<std::vector<uint64_t>>();
  m.acl = j.value("acl", "");
  return m;
}

std::optional<std::string> next_prefix(const std::string& p) {
  std::string s = p;
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xFF) s.pop_back();
  if (s.empty()) return std::nullopt;
  s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

Store::Store(storage::Database& db, storage::BlobStore& blobs) : db_(db), blobs_(blobs) { db_.migrate("s3", kSchema); }

St Store::create_bucket(const Bucket& b, Bucket* existing) {
  return db_.write([&](Connection& c) {
    auto& q = c.prepare("SELECT region, owner_id, owner_name, owner_account, created_ms FROM s3_buckets WHERE name = ?");
    q.bind(1, b.name);
    if (q.step()) {
      if (existing) *existing = {b.name, q.col_text(0), {q.col_text(1), q.col_text(2), q.col_text(3)}, q.col_int(4), {}};
      q.reset();
      return St::kExists;
    }
    auto& st = c.prepare(
        "INSERT INTO s3_buckets(name, region, owner_id, owner_name, owner_account, created_ms, config)"
        " VALUES(?,?,?,?,?,?,?)");
    st.bind_all(b.name, b.region, b.owner.id, b.owner.name, b.owner.account, b.created_ms, config_json(b.config));
    st.run();
    return St::kOk;
  });
}

std::optional<Bucket> Store::bucket(const std::string& name) {
  return db_.read([&](Connection& c) -> std::optional<Bucket> {
    auto& q = c.prepare(
        "SELECT region, owner_id, owner_name, owner_account, created_ms, config FROM s3_buckets WHERE name = ?");
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    Bucket b{name, q.col_text(0), {q.col_text(1), q.col_text(2), q.col_text(3)}, q.col_int(4), json_config(q.col_text(5))};
    q.reset();
    return b;
  });
}

std::vector<Bucket> Store::list_buckets(const std::string& account, const std::string& prefix,
                                        const std::string& after, size_t limit) {
  return db_.read([&](Connection& c) {
    std::vector<Bucket> out;
    auto& q = c.prepare(
        "SELECT name, region, owner_id, owner_name, owner_account, created_ms FROM s3_buckets"
        " WHERE owner_account = ? AND name > ? AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?");
    q.bind(1, account).bind(2, after).bind(3, static_cast<int64_t>(prefix.size())).bind(4, prefix);
    q.bind(5, static_cast<int64_t>(limit));
    while (q.step()) {
      out.push_back({q.col_text(0), q.col_text(1), {q.col_text(2), q.col_text(3), q.col_text(4)}, q.col_int(5), {}});
    }
    return out;
  });
}

St Store::delete_bucket(const std::string& name) {
  return db_.write([&](Connection& c) {
    if (!bucket_exists(c, name)) return St::kNoSuchBucket;
    for (const char* sql : {"SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1",
                            "SELECT 1 FROM s3_uploads WHERE bucket = ? LIMIT 1"}) {
      auto& q = c.prepare(sql);
      q.bind(1, name);
      bool any = q.step();
      q.reset();
      if (any) return St::kNotEmpty;
    }
    c.prepare("DELETE FROM s3_buckets WHERE name = ?").bind(1, name).run();
    return St::kOk;
  });
}

std::optional<Object> Store::object(const std::string& bucket, const std::string& key) {
  return db_.read([&](Connection& c) { return find_object(c, bucket, key); });
}

St Store::put_object(const Object& o, const WriteCond& cond) {
  // After commit the row points to the new blob, so the old one can go (readers holding it open
  // keep their bytes).
  return switch_blobs(db_, blobs_, o.blob_id, [&](Connection& c, std::vector<std::string>& dead) {
    if (!bucket_exists(c, o.bucket)) return St::kNoSuchBucket;
    auto cur = find_object(c, o.bucket, o.key);
    if (St s = check_cond(cur, cond); s != St::kOk) return s;
    if (cur) dead.push_back(cur->blob_id);
    upsert_object(c, o);
    return St::kOk;
  });
}

St Store::delete_object(const std::string& bucket, const std::string& key) {
  std::string old_blob;
  St st = db_.write([&](Connection& c) {
    if (!bucket_exists(c, bucket)) return St::kNoSuchBucket;
    auto cur = find_object(c, bucket, key);
    if (!cur) return St::kOk;
    old_blob = cur->blob_id;
    c.prepare("DELETE FROM s3_objects WHERE bucket = ? AND key = ?").bind(1, bucket).bind_blob(2, key).run();
    return St::kOk;
  });
  if (!old_blob.empty()) blobs_.remove(old_blob);
  return st;
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
    return St::kOk;
  });
}

St Store::set_tags(const std::string& bucket, const std::string& key, const Pairs& tags) {
  return update_meta(bucket, key, [&](ObjectMeta& m) { m.tags = tags; });
}

St Store::set_object_acl(const std::string& bucket, const std::string& key, const std::string& acl) {
  return update_meta(bucket, key, [&](ObjectMeta& m) { m.acl = acl; });
}

template <typename F>
St Store::update_meta(const std::string& bucket, const std::string& key, F&& change) {
  return db_.write([&](Connection& c) {
    if (!bucket_exists(c, bucket)) return St::kNoSuchBucket;
    auto cur = find_object(c, bucket, key);
    if (!cur) return St::kNoSuchKey;
    change(cur->meta);
    c.prepare("UPDATE s3_objects SET meta = ? WHERE bucket = ? AND key = ?")
        .bind(1, cur->meta.to_json())
        .bind(2, bucket)
        .bind_blob(3, key)
        .run();
    return St::kOk;
  });
}

// Seeks instead of scanning: each key costs one index step, and a common prefix costs one seek
// past all of its keys, so a page deep in a large bucket costs what the first page costs.
ListPage Store::list_objects(const std::string& bucket, const ListQuery& q) {
  return db_.read([&](Connection& c) {
    ListPage page;
    if (q.max == 0) return page;
    std::string lower = std::max(q.lower, q.prefix);
    std::optional<std::string> upper = q.prefix.empty() ? std::nullopt : next_prefix(q.prefix);
    std::string sql = std::string("SELECT ") + kObjectCols + " FROM s3_objects WHERE bucket = ? AND key >= ?" +
                      (upper ? " AND key < ?" : "") + " ORDER BY key LIMIT ?";
    while (true) {
      auto& st = c.prepare(sql);
      st.bind(1, bucket).bind_blob(2, lower);
      int idx = 3;
      if (upper) st.bind_blob(idx++, *upper);
      st.bind(idx, static_cast<int64_t>(q.max - page.entries.size() + 1));
      bool reseek = false, any = false;
      while (st.step()) {
        any = true;
        std::string key = st.col_blob(1);
        size_t pos = q.delimiter.empty() ? std::string::npos : key.find(q.delimiter, q.prefix.size());
        if (pos != std::string::npos) {
          std::string cp = key.substr(0, pos + q.delimiter.size());
          if (page.entries.size() == q.max) {
            page.truncated = true;
            page.next_lower = cp;
            break;
          }
          page.entries.push_back({true, cp, {}});
          auto next = next_prefix(cp);
          if (!next) break;  // nothing sorts after this prefix
          lower = *next;
          reseek = true;
          break;
        }
        if (page.entries.size() == q.max) {
          page.truncated = true;
          page.next_lower = key;
          break;
        }
        page.entries.push_back({false, key, read_object(st)});
        lower = key + std::string(1, '\0');
      }
      st.reset();
      if (!reseek || !any || page.truncated) break;
    }
    return page;
  });
}

St Store::create_upload(const Upload& u) {
  return db_.write([&](Connection& c) {
    if (!bucket_exists(c, u.bucket)) return St::kNoSuchBucket;
    auto& st = c.prepare(
        "INSERT INTO s3_uploads(upload_id, bucket, key, initiated_ms, owner_id, owner_name, meta)"
        " VALUES(?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, u.id).bind(2, u.bucket).bind_blob(3, u.key).bind(4, u.initiated_ms);
    st.bind(5, u.owner.id).bind(6, u.owner.name).bind(7, u.meta.to_json());
    st.run();
    return St::kOk;
  });
}

std::optional<Upload> Store::upload(const std::string& bucket, const std::string& key, const std::string& id) {
  return db_.read([&](Connection& c) -> std::optional<Upload> {
    auto& q = c.prepare(
        "SELECT upload_id, bucket, key, initiated_ms, owner_id, owner_name, meta FROM s3_uploads"
        " WHERE upload_id = ? AND bucket = ? AND key = ?");
    q.bind(1, id).bind(2, bucket).bind_blob(3, key);
    if (!q.step()) return std::nullopt;
    Upload u = read_upload(q);
    q.reset();
    return u;
  });
}

St Store::put_part(const std::string& upload_id, const Part& p) {
  return switch_blobs(db_, blobs_, p.blob_id, [&](Connection& c, std::vector<std::string>& dead) {
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

St Store::complete_upload(const std::string& upload_id, const Object& o, const WriteCond& cond) {
  return switch_blobs(db_, blobs_, o.blob_id, [&](Connection& c, std::vector<std::string>& dead) {
    if (!upload_exists(c, upload_id)) return St::kNoSuchUpload;
    auto cur = find_object(c, o.bucket, o.key);
    if (St s = check_cond(cur, cond); s != St::kOk) return s;
    dead = part_blobs(c, upload_id);
    if (cur) dead.push_back(cur->blob_id);
    drop_upload(c, upload_id);
    upsert_object(c, o);
    return St::kOk;
  });
}

St Store::abort_upload(const std::string& bucket, const std::string& key, const std::string& id) {
  std::vector<std::string> dead;
  St st = db_.write([&](Connection& c) {
    auto& q = c.prepare("SELECT 1 FROM s3_uploads WHERE upload_id = ? AND bucket = ? AND key = ?");
    q.bind(1, id).bind(2, bucket).bind_blob(3, key);
    bool found = q.step();
    q.reset();
    if (!found) return St::kNoSuchUpload;
    dead = part_blobs(c, id);
    drop_upload(c, id);
    return St::kOk;
  });
  for (auto& b : dead) blobs_.remove(b);
  return st;
}

std::vector<Upload> Store::list_uploads(const std::string& bucket, const std::string& lower, size_t limit) {
  return db_.read([&](Connection& c) {
    std::vector<Upload> out;
    auto& q = c.prepare(
        "SELECT upload_id, bucket, key, initiated_ms, owner_id, owner_name, meta FROM s3_uploads"
        " WHERE bucket = ? AND key >= ? ORDER BY key, initiated_ms, upload_id LIMIT ?");
    q.bind(1, bucket).bind_blob(2, lower).bind(3, static_cast<int64_t>(limit));
    while (q.step()) out.push_back(read_upload(q));
    return out;
  });
}

void Store::collect_blobs(std::unordered_set<std::string>& out) {
  db_.read([&](Connection& c) {
    for (const char* sql : {"SELECT blob_id FROM s3_objects", "SELECT blob_id FROM s3_parts"}) {
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

}  // namespace localaws::s3
