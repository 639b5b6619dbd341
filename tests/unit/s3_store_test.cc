// The S3 store's versioning and object lock (AWS S3 semantics, see emulator/src/s3/store.h): every
// write, delete, per-version update and listing, on a real SQLite database and blob directory.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "temp_dir.h"
#include "common/crypto.h"
#include "s3/store.h"
#include "storage/blob_store.h"
#include "storage/sqlite.h"

using namespace localaws;
using namespace localaws::s3;
namespace fs = std::filesystem;

namespace {

using localaws::testing::TempDir;

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kDay = 86'400'000;
const Owner kOwner{"owner-id", "owner", "000000000000"};

struct Fx {
  TempDir dir;
  storage::Database db{(dir.path / "db").string(), false};
  storage::BlobStore blobs{dir.path / "data", false};
  Store store{db, blobs};

  std::string blob(const std::string& bytes) {
    auto w = blobs.create();
    REQUIRE(w->write(bytes.data(), bytes.size()));
    auto id = w->commit();
    REQUIRE(id);
    return *id;
  }
  bool blob_exists(const std::string& id) { return blobs.size_of(id).has_value(); }
  std::string bytes_of(const std::string& id) {
    auto f = blobs.open(id);
    REQUIRE(f);
    auto n = blobs.size_of(id);
    std::string out(*n, '\0');
    REQUIRE(f->read_at(0, out.data(), out.size()) == static_cast<int64_t>(out.size()));
    return out;
  }
  void bucket(const std::string& name, Versioning v = Versioning::kNone, bool lock = false) {
    Bucket b{name, "us-east-1", kOwner, kNow, {}};
    b.versioning = v;
    b.object_lock = lock;
    REQUIRE(store.create_bucket(b, nullptr) == St::kOk);
  }
  Object obj(const std::string& bucket, const std::string& key, const std::string& bytes) {
    Object o{bucket, key, bytes.size(), "\"" + to_hex(md5_raw(bytes)) + "\"", kNow, blob(bytes), kOwner, {}};
    o.meta.headers = {{"content-type", "text/plain"}};
    return o;
  }
  // Writes a version and returns it as stored (version id filled).
  Object put(const std::string& bucket, const std::string& key, const std::string& bytes, const WriteCond& cond = {}) {
    Object o = obj(bucket, key, bytes);
    REQUIRE(store.put_object(o, cond) == St::kOk);
    return o;
  }
  Deleted del(const std::string& bucket, const std::string& key, const std::string& vid = "", bool bypass = false,
              St want = St::kOk) {
    Deleted d;
    REQUIRE(store.delete_object(bucket, key, vid, bypass, kNow, &d) == want);
    return d;
  }
  std::vector<ListEntry> all_versions(const std::string& bucket, const std::string& prefix = "",
                                      const std::string& delimiter = "") {
    auto p = store.list_versions(bucket, {prefix, delimiter, "", "", 1000});
    REQUIRE_FALSE(p.truncated);
    return p.entries;
  }
  int64_t count(const std::string& sql) {
    return db.read([&](storage::Connection& c) {
      auto& st = c.prepare(sql);
      st.step();
      return st.col_int(0);
    });
  }
};

// "key@version" for versions, "key@version!" for markers, "prefix/" for common prefixes, with a
// trailing '*' on the latest: a page's shape in one comparable value.
std::vector<std::string> shape(const std::vector<ListEntry>& entries) {
  std::vector<std::string> out;
  for (auto& e : entries) {
    if (e.is_prefix) {
      out.push_back(e.key);
      continue;
    }
    out.push_back(e.key + "@" + e.obj.version_id + (e.obj.is_marker ? "!" : "") + (e.obj.is_latest ? "*" : ""));
  }
  return out;
}

// Every page of a listing, following the next markers the way clients do.
std::vector<ListEntry> page_through(Store& s, const std::string& bucket, const std::string& prefix,
                                    const std::string& delimiter, size_t page_size, size_t* pages = nullptr) {
  std::vector<ListEntry> out;
  VersionQuery q{prefix, delimiter, "", "", page_size};
  for (int i = 0; i < 100000; i++) {
    auto p = s.list_versions(bucket, q);
    REQUIRE(p.entries.size() <= page_size);
    out.insert(out.end(), p.entries.begin(), p.entries.end());
    if (pages) ++*pages;
    if (!p.truncated) return out;
    REQUIRE(p.entries.size() == page_size);
    q.key_marker = p.next_key_marker;
    q.version_id_marker = p.next_version_id_marker;
  }
  FAIL("listing did not end");
  return out;
}

// Executed SQLite VM steps, and full-scan steps, of every statement of this thread's reader
// connection: what a read costs, independent of machine speed.
struct Cost {
  int64_t vm = 0, fullscan = 0;
};
Cost reader_cost(storage::Database& db) {
  return db.read([](storage::Connection& c) {
    Cost t;
    for (sqlite3_stmt* st = sqlite3_next_stmt(c.raw(), nullptr); st; st = sqlite3_next_stmt(c.raw(), st)) {
      t.vm += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
      t.fullscan += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
    }
    return t;
  });
}
Cost writer_cost(storage::Database& db) {
  return db.write([](storage::Connection& c) {
    Cost t;
    for (sqlite3_stmt* st = sqlite3_next_stmt(c.raw(), nullptr); st; st = sqlite3_next_stmt(c.raw(), st)) {
      t.vm += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
      t.fullscan += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
    }
    return t;
  });
}
template <typename F>
Cost cost_of(storage::Database& db, F&& f) {
  Cost before = reader_cost(db);
  f();
  Cost after = reader_cost(db);
  return {after.vm - before.vm, after.fullscan - before.fullscan};
}

}  // namespace

TEST_CASE("version ids are opaque, unique, URL-safe and decode to their seq", "[s3store]") {
  std::set<std::string> seen;
  for (int64_t seq : {int64_t{1}, int64_t{2}, int64_t{63}, int64_t{64}, int64_t{1'000'000}, int64_t{1} << 40,
                      INT64_MAX}) {
    for (int i = 0; i < 20; i++) {
      std::string id = make_version_id(seq);
      CHECK(id.size() == 32);
      CHECK(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._") ==
            std::string::npos);
      CHECK(version_seq(id) == seq);
      CHECK(seen.insert(id).second);
    }
  }
  // Consecutive seqs do not give look-alike ids (no visible counter).
  std::string a = make_version_id(100), b = make_version_id(101);
  CHECK(a.substr(20, 11) != b.substr(20, 11));

  CHECK(version_seq("null") == kNullVersionSeq);
  std::vector<std::string> malformed{"", "x", "Null", "NULL", std::string(31, 'A'), std::string(33, 'A')};
  for (const std::string& bad : malformed) {
    CHECK_FALSE(version_seq(bad));
  }
  // Any single mistyped character makes an id malformed.
  std::string id = make_version_id(12345);
  for (size_t i = 0; i < id.size(); i++) {
    std::string t = id;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    CHECK_FALSE(version_seq(t));
    t[i] = '/';  // not URL-safe
    CHECK_FALSE(version_seq(t));
  }
  // Invented ids are nearly always malformed (the check character; the seq's top bits).
  std::mt19937 rng(7);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
  int well_formed = 0;
  for (int i = 0; i < 4000; i++) {
    std::string s(32, ' ');
    for (auto& ch : s) ch = alphabet[rng() % 64];
    if (version_seq(s)) well_formed++;
  }
  CHECK(well_formed < 60);  // expected about 4000 / 64 / 4 = 16
}

TEST_CASE("object metadata round-trips through the binary form, and old JSON rows still decode", "[s3store]") {
  ObjectMeta m;
  m.headers = {{"content-type", "image/png"}, {"cache-control", "max-age=60"}};
  m.user = {{"note", std::string("caf\xc3\xa9 \0 and more", 16)}, {"empty", ""}};
  m.tags = {{"k", "v"}, {"", ""}};
  m.storage_class = "GLACIER";
  m.checksum_algo = "CRC32C";
  m.checksum_value = "AAAAAA==-3";
  m.checksum_type = "COMPOSITE";
  m.part_sizes = {5 * 1024 * 1024, 1, 0, uint64_t{1} << 40};
  m.acl = std::string(300, 'a');
  m.sse_algo = "aws:kms";
  m.kms_key_id = "arn:aws:kms:us-east-1:000000000000:key/k";
  m.kms_context = "e30=";
  m.bucket_key = true;
  m.ssec_key_md5 = "md5==";
  m.ssec_nonce = std::string("\0\1\2", 3);
  m.restore_ready_ms = 1700000000000;
  m.restore_expiry_ms = 1800000000000;
  m.part_checksums = {"AAAAAA==", "", "BBBBBB=="};
  std::string enc = m.encode();
  CHECK(enc[0] != '{');
  ObjectMeta d = ObjectMeta::decode(enc);
  CHECK(d.headers == m.headers);
  CHECK(d.user == m.user);
  CHECK(d.tags == m.tags);
  CHECK(d.storage_class == "GLACIER");
  CHECK(d.checksum_algo == "CRC32C");
  CHECK(d.checksum_value == "AAAAAA==-3");
  CHECK(d.checksum_type == "COMPOSITE");
  CHECK(d.part_sizes == m.part_sizes);
  CHECK(d.acl == m.acl);
  CHECK(d.sse_algo == m.sse_algo);
  CHECK(d.kms_key_id == m.kms_key_id);
  CHECK(d.kms_context == m.kms_context);
  CHECK(d.bucket_key);
  CHECK(d.ssec_key_md5 == m.ssec_key_md5);
  CHECK(d.ssec_nonce == m.ssec_nonce);
  CHECK(d.restore_ready_ms == m.restore_ready_ms);
  CHECK(d.restore_expiry_ms == m.restore_expiry_ms);
  CHECK(d.part_checksums == m.part_checksums);
  // Format 2 (rows written before the parts' checksums) still decodes.
  std::string v2 = m.encode();
  v2[0] = 0x02;
  v2.resize(v2.size() - (1 + 9 + 1 + 9));  // the count and three length-prefixed strings
  ObjectMeta d2 = ObjectMeta::decode(v2);
  CHECK(d2.restore_expiry_ms == m.restore_expiry_ms);
  CHECK(d2.part_checksums.empty());
  // Format 1 (rows written before the encryption fields) still decodes.
  ObjectMeta v1m;
  v1m.tags = {{"a", "b"}};
  std::string v1 = v1m.encode();
  v1[0] = 0x01;
  v1.resize(v1.size() - 8);  // drop format 2's fields: five empty strings and three zero varints, a byte each
  CHECK(ObjectMeta::decode(v1).tags == v1m.tags);
  // The binary form is smaller than the JSON it replaces.
  CHECK(enc.size() < m.to_json().size());

  // JSON as rows written before the binary form hold it.
  std::string old = R"({"h":[["content-type","text/html"]],"u":[["a","b"]],"t":[["t1","v1"]],"sc":"STANDARD",)"
                    R"("ca":"SHA256","cv":"abc=","ct":"FULL_OBJECT","ps":[10,20],"acl":"{\"grants\":[]}"})";
  ObjectMeta j = ObjectMeta::decode(old);
  CHECK(j.headers == Pairs{{"content-type", "text/html"}});
  CHECK(j.user == Pairs{{"a", "b"}});
  CHECK(j.tags == Pairs{{"t1", "v1"}});
  CHECK(j.checksum_algo == "SHA256");
  CHECK(j.checksum_value == "abc=");
  CHECK(j.part_sizes == std::vector<uint64_t>{10, 20});
  CHECK(j.acl == "{\"grants\":[]}");

  // Truncated or corrupt values decode to the defaults instead of reading past the end.
  for (size_t n = 1; n < enc.size(); n++) {
    ObjectMeta t = ObjectMeta::decode(std::string_view(enc).substr(0, n));
    CHECK(t.headers.empty());
    CHECK(t.storage_class == "STANDARD");
    CHECK(t.acl.empty());
  }
  CHECK(ObjectMeta::decode("").storage_class == "STANDARD");
  CHECK(ObjectMeta::decode("\x07garbage").headers.empty());
  CHECK(ObjectMeta::decode(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11)).headers.empty());
}

TEST_CASE("a database from before versioning migrates: its objects become null versions", "[s3store]") {
  TempDir dir;
  std::string path = (dir.path / "db").string();
  storage::BlobStore blobs(dir.path / "data", false);
  std::string blob_id;
  {
    auto w = blobs.create();
    REQUIRE(w->write("hello", 5));
    blob_id = *w->commit();
  }
  {
    // Schema steps 1 and 2 exactly as released, and rows as the JSON-writing store wrote them.
    storage::Database db(path, false);
    db.migrate("s3", {
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
        "ALTER TABLE s3_buckets ADD COLUMN config TEXT NOT NULL DEFAULT '{}';",
    });
    db.write([&](storage::Connection& c) {
      c.exec("INSERT INTO s3_buckets VALUES('old', 'us-east-1', 'oid', 'oname', '000000000000', 1, '{}')");
      c.prepare("INSERT INTO s3_objects VALUES('old', ?, 5, '\"etag\"', 2, ?, 'oid', 'oname', ?)")
          .bind_blob(1, "greeting.txt")
          .bind(2, blob_id)
          .bind(3, R"({"h":[["content-type","text/plain"]],"u":[],"t":[["color","blue"]],"sc":"STANDARD"})")
          .run();
      c.exec("INSERT INTO s3_uploads VALUES('up1', 'old', X'6B', 3, 'oid', 'oname',"
             " '{\"h\":[],\"u\":[],\"t\":[],\"sc\":\"STANDARD\"}')");
    });
  }
  storage::Database db(path, false);
  Store store(db, blobs);
  auto b = store.bucket("old");
  REQUIRE(b);
  CHECK(b->versioning == Versioning::kNone);
  CHECK_FALSE(b->object_lock);
  auto o = store.object("old", "greeting.txt");
  REQUIRE(o);
  CHECK(o->version_id == "null");
  CHECK(o->seq == 0);
  CHECK(o->is_latest);
  CHECK(o->meta.headers == Pairs{{"content-type", "text/plain"}});
  CHECK(o->meta.tags == Pairs{{"color", "blue"}});
  CHECK(o->lock_mode.empty());
  auto u = store.upload("old", "k", "up1");
  REQUIRE(u);
  CHECK(u->lock_mode.empty());
  CHECK(shape(store.list_versions("old", {}).entries) == std::vector<std::string>{"greeting.txt@null*"});

  // The old null version becomes noncurrent once versioning is on, bytes intact.
  REQUIRE(store.set_versioning("old", Versioning::kEnabled) == St::kOk);
  Object n{"old", "greeting.txt", 3, "\"e2\"", 10, "", {"oid", "oname", ""}, {}};
  {
    auto w = blobs.create();
    REQUIRE(w->write("new", 3));
    n.blob_id = *w->commit();
  }
  REQUIRE(store.put_object(n, {}) == St::kOk);
  CHECK(shape(store.list_versions("old", {}).entries) ==
        std::vector<std::string>{"greeting.txt@" + n.version_id + "*", "greeting.txt@null"});
  auto null_v = store.find("old", "greeting.txt", "null");
  REQUIRE(null_v);
  CHECK(null_v->blob_id == blob_id);
  CHECK(null_v->meta.tags == Pairs{{"color", "blue"}});
  CHECK(blobs.size_of(blob_id) == 5u);
  // The tag update on the old version writes it in the binary form.
  REQUIRE(store.set_tags("old", "greeting.txt", "null", {{"color", "red"}}) == St::kOk);
  CHECK(store.find("old", "greeting.txt", "null")->meta.tags == Pairs{{"color", "red"}});
}

TEST_CASE("buckets keep their versioning state and object lock", "[s3store]") {
  Fx f;
  f.bucket("plain");
  f.bucket("locked", Versioning::kEnabled, true);
  CHECK(f.store.bucket("plain")->versioning == Versioning::kNone);
  CHECK(f.store.bucket("locked")->versioning == Versioning::kEnabled);
  CHECK(f.store.bucket("locked")->object_lock);
  auto listed = f.store.list_buckets(kOwner.account, "", "", 10);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].name == "locked");
  CHECK(listed[0].object_lock);
  CHECK(listed[0].versioning == Versioning::kEnabled);
  Bucket existing;
  CHECK(f.store.create_bucket({"locked", "us-east-1", kOwner, kNow, {}}, &existing) == St::kExists);
  CHECK(existing.object_lock);

  CHECK(f.store.set_versioning("nope", Versioning::kEnabled) == St::kNoSuchBucket);
  CHECK(f.store.set_versioning("plain", Versioning::kNone) == St::kInvalidState);  // never back to unversioned
  CHECK(f.store.enable_object_lock("plain") == St::kInvalidState);                 // needs versioning Enabled
  CHECK(f.store.set_versioning("plain", Versioning::kSuspended) == St::kOk);
  CHECK(f.store.bucket("plain")->versioning == Versioning::kSuspended);
  CHECK(f.store.enable_object_lock("plain") == St::kInvalidState);
  CHECK(f.store.set_versioning("plain", Versioning::kEnabled) == St::kOk);
  CHECK(f.store.enable_object_lock("plain") == St::kOk);
  CHECK(f.store.enable_object_lock("plain") == St::kOk);  // idempotent
  CHECK(f.store.bucket("plain")->object_lock);
  // An object-lock bucket cannot be suspended.
  CHECK(f.store.set_versioning("plain", Versioning::kSuspended) == St::kInvalidState);
  CHECK(f.store.set_versioning("locked", Versioning::kSuspended) == St::kInvalidState);
  CHECK(f.store.bucket("locked")->versioning == Versioning::kEnabled);
  CHECK(f.store.enable_object_lock("nope") == St::kNoSuchBucket);
}

TEST_CASE("never-versioned buckets replace the null version and delete for good", "[s3store]") {
  Fx f;
  f.bucket("b");
  Object v1 = f.put("b", "k", "one");
  CHECK(v1.version_id == "null");
  CHECK(v1.seq > 0);
  CHECK(v1.is_latest);
  Object v2 = f.put("b", "k", "two");
  CHECK(v2.version_id == "null");
  CHECK(v2.seq > v1.seq);
  CHECK_FALSE(f.blob_exists(v1.blob_id));  // replaced: dead after commit
  CHECK(f.bytes_of(f.store.object("b", "k")->blob_id) == "two");
  CHECK(shape(f.all_versions("b")) == std::vector<std::string>{"k@null*"});
  CHECK(f.count("SELECT count(*) FROM s3_versions") == 0);

  Deleted d = f.del("b", "k");
  CHECK_FALSE(d.marker);
  CHECK(d.version_id.empty());
  CHECK_FALSE(f.store.object("b", "k"));
  CHECK_FALSE(f.store.find("b", "k", ""));
  CHECK_FALSE(f.blob_exists(v2.blob_id));
  CHECK(f.all_versions("b").empty());
  f.del("b", "k");  // already missing: still fine
  CHECK(f.store.delete_object("nope", "k", "", false, kNow, nullptr) == St::kNoSuchBucket);

  // An empty version id addresses the current (null) version.
  Object v3 = f.obj("b", "k", "three");
  REQUIRE(f.store.put_object(v3, {}) == St::kOk);
  CHECK(f.store.object("b", "k")->version_id == "null");
  REQUIRE(f.store.set_tags("b", "k", "", {{"a", "1"}}) == St::kOk);
  REQUIRE(f.store.set_object_acl("b", "k", "", "acl-doc") == St::kOk);
  CHECK(f.store.object("b", "k")->meta.tags == Pairs{{"a", "1"}});
  CHECK(f.store.object("b", "k")->meta.acl == "acl-doc");
  REQUIRE(f.store.delete_object("b", "k", "", false, kNow, nullptr) == St::kOk);
  CHECK_FALSE(f.store.object("b", "k"));
  CHECK(f.store.set_tags("b", "k", "", {}) == St::kNoSuchKey);

  // A null version named by id is deleted like the current one.
  Object v4 = f.put("b", "k", "four");
  d = f.del("b", "k", "null");
  CHECK(d.version_id == "null");
  CHECK_FALSE(d.marker);
  CHECK_FALSE(f.store.object("b", "k"));
  CHECK_FALSE(f.blob_exists(v4.blob_id));
}

TEST_CASE("enabled versioning keeps every version; ids find them", "[s3store]") {
  Fx f;
  f.bucket("b", Versioning::kEnabled);
  Object v1 = f.put("b", "k", "one");
  Object v2 = f.put("b", "k", "two");
  Object v3 = f.put("b", "k", "three");
  std::set<std::string> ids{v1.version_id, v2.version_id, v3.version_id};
  CHECK(ids.size() == 3);
  for (auto* v : {&v1, &v2, &v3}) {
    CHECK(v->version_id != "null");
    CHECK(version_seq(v->version_id) == v->seq);
    CHECK(f.blob_exists(v->blob_id));
  }
  CHECK(v1.seq < v2.seq);
  CHECK(v2.seq < v3.seq);
  auto cur = f.store.object("b", "k");
  REQUIRE(cur);
  CHECK(cur->version_id == v3.version_id);
  CHECK(cur->is_latest);
  CHECK(f.bytes_of(cur->blob_id) == "three");
  auto old = f.store.find("b", "k", v1.version_id);
  REQUIRE(old);
  CHECK(f.bytes_of(old->blob_id) == "one");
  CHECK_FALSE(old->is_latest);
  CHECK(old->meta.headers == Pairs{{"content-type", "text/plain"}});
  CHECK(f.store.find("b", "k", v3.version_id)->is_latest);
  CHECK(f.store.find("b", "k", "")->version_id == v3.version_id);
  CHECK_FALSE(f.store.find("b", "k", "null"));
  CHECK_FALSE(f.store.find("b", "k", make_version_id(v2.seq)));  // the right seq, an id never issued
  CHECK_FALSE(f.store.find("b", "other", v2.version_id));        // another key's version
  CHECK_FALSE(f.store.find("b", "k", "garbage"));
  CHECK(shape(f.all_versions("b")) ==
        std::vector<std::string>{"k@" + v3.version_id + "*", "k@" + v2.version_id, "k@" + v1.version_id});
  // ListObjects sees the current version only.
  auto lp = f.store.list_objects("b", {});
  REQUIRE(lp.entries.size() == 1);
  CHECK(lp.entries[0].obj.version_id == v3.version_id);

  // Deleting the current version by id makes the previous one current.
  Deleted d = f.del("b", "k", v3.version_id);
  CHECK_FALSE(d.marker);
  CHECK(d.version_id == v3.version_id);
  CHECK_FALSE(f.blob_exists(v3.blob_id));
  CHECK(f.store.object("b", "k")->version_id == v2.version_id);
  CHECK(f.bytes_of(f.store.object("b", "k")->blob_id) == "two");
  // Deleting a noncurrent version by id leaves the current one alone.
  f.del("b", "k", v1.version_id);
  CHECK_FALSE(f.blob_exists(v1.blob_id));
  CHECK(shape(f.all_versions("b")) == std::vector<std::string>{"k@" + v2.version_id + "*"});
  // A well-formed id naming nothing: 204 as S3 answers, the id echoed, nothing changed.
  d = f.del("b", "k", v1.version_id);
  CHECK(d.version_id == v1.version_id);
  CHECK_FALSE(d.marker);
  d = f.del("b", "k", "null");
  CHECK(d.version_id == "null");
  CHECK(shape(f.all_versions("b")) == std::vector<std::string>{"k@" + v2.version_id + "*"});
}

TEST_CASE("delete markers: added by plain deletes, latest until removed by id", "[s3store]") {
  Fx f;
  f.bucket("b", Versioning::kEnabled);
  Object v1 = f.put("b", "k", "one");
  Deleted m1 = f.del("b", "k");
  CHECK(m1.marker);
  REQUIRE(version_seq(m1.version_id));
  CHECK(*version_seq(m1.version_id) > v1.seq);
  CHECK(f.blob_exists(v1.blob_id));
  CHECK_FALSE(f.store.object("b", "k"));  // GET's fast path: 404
  auto latest = f.store.find("b", "k", "");
  REQUIRE(latest);
  CHECK(latest->is_marker);
  CHECK(latest->is_latest);
  CHECK(latest->version_id == m1.version_id);
  CHECK(latest->owner.id == kOwner.id);  // the bucket owner, no requester given
  CHECK(latest->last_modified_ms == kNow);
  CHECK(f.store.list_objects("b", {}).entries.empty());

  // A second plain delete adds another marker over the first.
  Owner someone{"someone-id", "someone", "111111111111"};
  Deleted m2;
  REQUIRE(f.store.delete_object("b", "k", "", false, kNow + 5, &m2, &someone) == St::kOk);
  CHECK(m2.marker);
  CHECK(m2.version_id != m1.version_id);
  CHECK(f.store.find("b", "k", "")->owner.id == "someone-id");
  CHECK(shape(f.all_versions("b")) == std::vector<std::string>{"k@" + m2.version_id + "!*", "k@" + m1.version_id + "!",
                                                                "k@" + v1.version_id});
  auto by_id = f.store.find("b", "k", m1.version_id);
  REQUIRE(by_id);
  CHECK(by_id->is_marker);
  CHECK_FALSE(by_id->is_latest);

  // Removing the latest marker by id: the older marker is latest now (a marker stays in history).
  Deleted d = f.del("b", "k", m2.version_id);
  CHECK(d.marker);
  CHECK(d.version_id == m2.version_id);
  CHECK_FALSE(f.store.object("b", "k"));
  CHECK(f.store.find("b", "k", "")->version_id == m1.version_id);
  // Removing that one too: the version below becomes current again.
  f.del("b", "k", m1.version_id);
  auto cur = f.store.object("b", "k");
  REQUIRE(cur);
  CHECK(cur->version_id == v1.version_id);
  CHECK(f.bytes_of(cur->blob_id) == "one");
  CHECK(f.count("SELECT count(*) FROM s3_versions") == 0);

  // A noncurrent marker removed by id changes nothing about the current version.
  Deleted m3 = f.del("b", "k");
  Object v2 = f.put("b", "k", "two");
  f.del("b", "k", m3.version_id);
  CHECK(f.store.object("b", "k")->version_id == v2.version_id);
  CHECK(shape(f.all_versions("b")) ==
        std::vector<std::string>{"k@" + v2.version_id + "*", "k@" + v1.version_id});

  // Plain delete of a key that never existed still adds a marker.
  Deleted m4 = f.del("b", "ghost");
  CHECK(m4.marker);
  CHECK(shape(f.all_versions("b", "g")) == std::vector<std::string>{"ghost@" + m4.version_id + "!*"});
}

TEST_CASE("suspended versioning: writes and deletes replace the null version, keep the others", "[s3store]") {
  Fx f;
  f.bucket("b", Versioning::kEnabled);
  Object v1 = f.put("b", "k", "v1");
  REQUIRE(f.store.set_versioning("b", Versioning::kSuspended) == St::kOk);
  Object n1 = f.put("b", "k", "n1");  // v1 becomes noncurrent
  CHECK(n1.version_id == "null");
  Object n2 = f.put("b", "k", "n2");  // replaces the null current version
  CHECK(n2.version_id == "null");
  CHECK_FALSE(f.blob_exists(n1.blob_id));
  CHECK(f.blob_exists(v1.blob_id));
  CHECK(shape(f.all_versions("b")) == std::vector<std::string>{"k@null*", "k@" + v1.version_id});

  REQUIRE(f.store.set_versioning("b", Versioning::kEnabled) == St::kOk);
  Object v3 = f.put("b", "k", "v3");  // the null version becomes noncurrent
  CHECK(shape(f.all_versions("b")) ==
        std::vector<std::string>{"k@" + v3.version_id + "*", "k@null", "k@" + v1.version_id});
  REQUIRE(f.store.set_versioning("b", Versioning::kSuspended) == St::kOk);
  Object n3 = f.put("b", "k", "n3");  // the noncurrent null version goes; v3 becomes noncurrent
  CHECK_FALSE(f.blob_exists(n2.blob_id));
  CHECK(f.blob_exists(v3.blob_id));
  CHECK(shape(f.all_versions("b")) ==
        std::vector<std::string>{"k@null*", "k@" + v3.version_id, "k@" + v1.version_id});
  CHECK(f.bytes_of(f.store.find("b", "k", "null")->blob_id) == "n3");

  // A plain delete: a null marker replaces the null current version.
  Deleted d = f.del("b", "k");
  CHECK(d.marker);
  CHECK(d.version_id == "null");
  CHECK_FALSE(f.blob_exists(n3.blob_id));
  CHECK_FALSE(f.store.object("b", "k"));
  CHECK(shape(f.all_versions("b")) ==
        std::vector<std::string>{"k@null!*", "k@" + v3.version_id, "k@" + v1.version_id});
  // Again: the null marker is replaced by a new null marker (still one null per key).
  d = f.del("b", "k");
  CHECK(d.version_id == "null");
  CHECK(f.count("SELECT count(*) FROM s3_versions WHERE version_id = 'null'") == 1);
  // A write replaces the null marker.
  Object n4 = f.put("b", "k", "n4");
  CHECK(shape(f.all_versions("b")) ==
        std::vector<std::string>{"k@null*", "k@" + v3.version_id, "k@" + v1.version_id});

  // With a non-null current version, a plain delete moves it to history under a null marker.
  REQUIRE(f.store.set_versioning("b", Versioning::kEnabled) == St::kOk);
  Object v5 = f.put("b", "k", "v5");
  REQUIRE(f.store.set_versioning("b", Versioning::kSuspended) == St::kOk);
  d = f.del("b", "k");
  CHECK(d.version_id == "null");
  CHECK_FALSE(f.blob_exists(n4.blob_id));  // the noncurrent null version was replaced by the marker
  CHECK(f.blob_exists(v5.blob_id));
  CHECK(shape(f.all_versions("b")) == std::vector<std::string>{"k@null!*", "k@" + v5.version_id,
                                                                "k@" + v3.version_id, "k@" + v1.version_id});
  // Deleting the null marker by id brings v5 back.
  f.del("b", "k", "null");
  CHECK(f.store.object("b", "k")->version_id == v5.version_id);
  // Suspended bucket with no null version anywhere: a plain delete only adds the marker.
  d = f.del("b", "k2");
  CHECK(d.marker);
  CHECK(d.version_id == "null");
}

TEST_CASE("conditional writes look at the current version; a marker counts as missing", "[s3store]") {
  Fx f;
  f.bucket("b", Versioning::kEnabled);
  Object v1 = f.put("b", "k", "one");
  Object o = f.obj("b", "k", "two");
  CHECK(f.store.put_object(o, {true, std::nullopt}) == St::kPreconditionFailed);
  CHECK_FALSE(f.blob_exists(o.blob_id));  // a refused write's blob is removed
  o = f.obj("b", "k", "two");
  CHECK(f.store.put_object(o, {false, std::string("\"nope\"")}) == St::kPreconditionFailed);
  o = f.obj("b", "k", "two");
  CHECK(f.store.put_object(o, {false, v1.etag}) == St::kOk);
  CHECK(shape(f.all_versions("b")).size() == 2);

  f.del("b", "k");
  o = f.obj("b", "k", "three");
  CHECK(f.store.put_object(o, {false, std::string("*")}) == St::kNoSuchKey);
  CHECK_FALSE(f.blob_exists(o.blob_id));
  o = f.obj("b", "k", "three");
  CHECK(f.store.put_object(o, {true, std::nullopt}) == St::kOk);  // If-None-Match: * over a marker
  CHECK(f.store.object("b", "k")->version_id == o.version_id);
  o = f.obj("nope", "k", "x");
  CHECK(f.store.put_object(o, {}) == St::kNoSuchBucket);
  CHECK_FALSE(f.blob_exists(o.blob_id));
}

TEST_CASE("object lock refuses deleting protected versions, never new versions or markers", "[s3store]") {
  Fx f;
  f.bucket("b", Versioning::kEnabled, true);
  auto locked = [&](const std::string& key, const std::string& mode, int64_t until, bool hold) {
    Object o = f.obj("b", key, key);
    o.lock_mode = mode;
    o.lock_until_ms = until;
    o.legal_hold = hold ? Hold::kOn : Hold::kNone;
    REQUIRE(f.store.put_object(o, {}) == St::kOk);
    return o;
  };
  Object c = locked("compliance", "COMPLIANCE", kNow + kDay, false);
  Object g = locked("governance", "GOVERNANCE", kNow + kDay, false);
  Object h = locked("held", "", 0, true);
  Object e = locked("expired", "COMPLIANCE", kNow - 1, false);
  auto stored = f.store.object("b", "compliance");
  CHECK(stored->lock_mode == "COMPLIANCE");
  CHECK(stored->lock_until_ms == kNow + kDay);
  CHECK(f.store.object("b", "held")->legal_hold == Hold::kOn);

  f.del("b", "compliance", c.version_id, false, St::kLocked);
  f.del("b", "compliance", c.version_id, true, St::kLocked);  // no bypass for compliance
  f.del("b", "governance", g.version_id, false, St::kLocked);
  f.del("b", "held", h.version_id, true, St::kLocked);  // a legal hold is never bypassed
  for (auto* o : {&c, &g, &h}) {
    CHECK(f.store.object("b", o->key)->version_id == o->version_id);
    CHECK(f.blob_exists(o->blob_id));
  }
  f.del("b", "governance", g.version_id, true);  // bypass lifts governance
  CHECK_FALSE(f.store.object("b", "governance"));
  CHECK_FALSE(f.blob_exists(g.blob_id));
  f.del("b", "expired", e.version_id);  // retention over
  CHECK_FALSE(f.store.object("b", "expired"));

  // New versions and markers are always allowed; the locked version stays, noncurrent.
  Object c2 = f.put("b", "compliance", "newer");
  Deleted m = f.del("b", "compliance");
  CHECK(m.marker);
  CHECK(f.store.find("b", "compliance", c.version_id)->lock_mode == "COMPLIANCE");
  f.del("b", "compliance", c.version_id, true, St::kLocked);
  f.del("b", "compliance", m.version_id);  // markers carry no lock
  f.del("b", "compliance", c2.version_id);
  // Once the hold is released the version can go.
  REQUIRE(f.store.set_legal_hold("b", "held", h.version_id, false) == St::kOk);
  f.del("b", "held", h.version_id);
  CHECK_FALSE(f.store.object("b", "held"));
  // Retention ends with time: the same version deletes once now is past it.
  Deleted d;
  CHECK(f.store.delete_object("b", "compliance", c.version_id, false, kNow + kDay + 1, &d) == St::kOk);
  CHECK_FALSE(f.store.find("b", "compliance", c.version_id));
}

TEST_CASE("retention changes: compliance only extends, governance needs bypass to weaken", "[s3store]") {
  Fx f;
  f.bucket("b", Versioning::kEnabled, true);
  f.bucket("nolock", Versioning::kEnabled);
  Object o = f.put("b", "k", "x");
  auto ret = [&](const std::string& vid, const std::string& mode, int64_t until, bool bypass) {
    return f.store.set_retention("b", "k", vid, {mode, until}, bypass, kNow);
  };
  auto now_lock = [&] {
    auto v = f.store.find("b", "k", o.version_id);
    return std::make_pair(v->lock_mode, v->lock_until_ms);
  };
  // No retention yet: anything goes, on the current version by id or without one.
  CHECK(ret("", "GOVERNANCE", kNow + 2 * kDay, false) == St::kOk);
  CHECK(now_lock() == std::make_pair(std::string("GOVERNANCE"), kNow + 2 * kDay));
  CHECK(ret(o.version_id, "GOVERNANCE", kNow + 3 * kDay, false) == St::kOk);  // extending governance
  CHECK(ret(o.version_id, "GOVERNANCE", kNow + kDay, false) == St::kLocked);  // shortening
  CHECK(ret(o.version_id, "", 0, false) == St::kLocked);                      // removing
  CHECK(ret(o.version_id, "COMPLIANCE", kNow + 4 * kDay, false) == St::kLocked);  // changing mode
  CHECK(now_lock() == std::make_pair(std::string("GOVERNANCE"), kNow + 3 * kDay));
  CHECK(ret(o.version_id, "GOVERNANCE", kNow + kDay, true) == St::kOk);  // bypass: shorten
  CHECK(ret(o.version_id, "", 0, true) == St::kOk);                      // bypass: remove
  CHECK(now_lock() == std::make_pair(std::string(""), int64_t{0}));
  CHECK(ret(o.version_id, "GOVERNANCE", kNow + kDay, false) == St::kOk);
  CHECK(ret(o.version_id, "COMPLIANCE", kNow + 2 * kDay, true) == St::kOk);  // bypass: to compliance

  CHECK(ret(o.version_id, "COMPLIANCE", kNow + 5 * kDay, false) == St::kOk);  // extending compliance
  CHECK(ret(o.version_id, "COMPLIANCE", kNow + 5 * kDay, false) == St::kOk);  // the same date again
  CHECK(ret(o.version_id, "COMPLIANCE", kNow + 4 * kDay, true) == St::kLocked);
  CHECK(ret(o.version_id, "GOVERNANCE", kNow + 9 * kDay, true) == St::kLocked);
  CHECK(ret(o.version_id, "", 0, true) == St::kLocked);
  CHECK(now_lock() == std::make_pair(std::string("COMPLIANCE"), kNow + 5 * kDay));
  // Once it expired, compliance no longer binds.
  CHECK(f.store.set_retention("b", "k", o.version_id, {"GOVERNANCE", kNow + 7 * kDay}, false, kNow + 6 * kDay) ==
        St::kOk);

  // Retention and legal hold need object lock on the bucket; markers have neither.
  f.put("nolock", "k", "x");
  CHECK(f.store.set_retention("nolock", "k", "", {"GOVERNANCE", kNow + kDay}, false, kNow) == St::kInvalidState);
  CHECK(f.store.set_legal_hold("nolock", "k", "", true) == St::kInvalidState);
  Object v2 = f.put("b", "k", "y");
  Deleted m = f.del("b", "k");
  CHECK(ret(m.version_id, "GOVERNANCE", kNow + kDay, false) == St::kIsMarker);
  CHECK(f.store.set_legal_hold("b", "k", m.version_id, true) == St::kIsMarker);
  CHECK(ret("", "GOVERNANCE", kNow + kDay, false) == St::kNoSuchKey);  // the latest is a marker
  CHECK(ret(make_version_id(999999), "GOVERNANCE", kNow + kDay, false) == St::kNoSuchVersion);
  CHECK(f.store.set_retention("nope", "k", "", {}, false, kNow) == St::kNoSuchBucket);
  // A noncurrent version's lock is its own.
  CHECK(f.store.set_legal_hold("b", "k", v2.version_id, true) == St::kOk);
  CHECK(f.store.find("b", "k", v2.version_id)->legal_hold == Hold::kOn);
  CHECK(f.store.find("b", "k", o.version_id)->legal_hold == Hold::kNone);
}

TEST_CASE("tags and ACLs are per version", "[s3store]") {
  Fx f;
  f.bucket("b", Versioning::kEnabled);
  Object v1 = f.put("b", "k", "one");
  Object v2 = f.put("b", "k", "two");
  REQUIRE(f.store.set_tags("b", "k", v1.version_id, {{"old", "yes"}}) == St::kOk);
  REQUIRE(f.store.set_tags("b", "k", "", {{"new", "yes"}}) == St::kOk);
  REQUIRE(f.store.set_object_acl("b", "k", v1.version_id, "acl-1") == St::kOk);
  CHECK(f.store.find("b", "k", v1.version_id)->meta.tags == Pairs{{"old", "yes"}});
  CHECK(f.store.find("b", "k", v1.version_id)->meta.acl == "acl-1");
  CHECK(f.store.find("b", "k", v1.version_id)->meta.headers == Pairs{{"content-type", "text/plain"}});
  CHECK(f.store.object("b", "k")->meta.tags == Pairs{{"new", "yes"}});
  CHECK(f.store.object("b", "k")->meta.acl.empty());
  // Metadata updates do not touch Last-Modified or make a new version.
  CHECK(f.store.find("b", "k", v1.version_id)->last_modified_ms == kNow);
  CHECK(f.all_versions("b").size() == 2);

  Deleted m = f.del("b", "k");
  CHECK(f.store.set_tags("b", "k", m.version_id, {}) == St::kIsMarker);
  CHECK(f.store.set_object_acl("b", "k", m.version_id, "x") == St::kIsMarker);
  CHECK(f.store.set_tags("b", "k", "", {}) == St::kNoSuchKey);
  CHECK(f.store.set_tags("b", "k", make_version_id(424242), {}) == St::kNoSuchVersion);
  CHECK(f.store.set_tags("b", "k", "null", {}) == St::kNoSuchVersion);
  CHECK(f.store.set_tags("nope", "k", "", {}) == St::kNoSuchBucket);
  // Tags set on a version survive it becoming current again.
  f.del("b", "k", m.version_id);
  CHECK(f.store.object("b", "k")->meta.tags == Pairs{{"new", "yes"}});
  f.del("b", "k", v2.version_id);
  CHECK(f.store.object("b", "k")->meta.tags == Pairs{{"old", "yes"}});
}

TEST_CASE("multipart completion writes a version like a PUT", "[s3store]") {
  Fx f;
  f.bucket("b", Versioning::kEnabled, true);
  Object v1 = f.put("b", "k", "one");
  Upload u;
  u.id = "up-1";
  u.bucket = "b";
  u.key = "k";
  u.initiated_ms = kNow;
  u.owner = kOwner;
  u.lock_mode = "GOVERNANCE";
  u.lock_until_ms = kNow + kDay;
  u.legal_hold = Hold::kOn;
  REQUIRE(f.store.create_upload(u) == St::kOk);
  auto got = f.store.upload("b", "k", "up-1");
  REQUIRE(got);
  CHECK(got->lock_mode == "GOVERNANCE");
  CHECK(got->lock_until_ms == kNow + kDay);
  CHECK(got->legal_hold == Hold::kOn);
  std::string part_blob = f.blob("part");
  REQUIRE(f.store.put_part("up-1", {1, 4, "\"p\"", part_blob, kNow, ""}) == St::kOk);
  CHECK(f.store.delete_bucket("b") == St::kNotEmpty);

  Object done = f.obj("b", "k", "part");
  done.lock_mode = got->lock_mode;
  done.lock_until_ms = got->lock_until_ms;
  done.legal_hold = got->legal_hold;
  REQUIRE(f.store.complete_upload("up-1", done, {}) == St::kOk);
  REQUIRE(version_seq(done.version_id));
  CHECK(*version_seq(done.version_id) == done.seq);
  CHECK_FALSE(f.blob_exists(part_blob));  // parts are dead after commit
  CHECK(f.blob_exists(v1.blob_id));       // the previous version is kept
  CHECK(shape(f.all_versions("b")) == std::vector<std::string>{"k@" + done.version_id + "*", "k@" + v1.version_id});
  CHECK(f.store.object("b", "k")->legal_hold == Hold::kOn);
  CHECK_FALSE(f.store.upload("b", "k", "up-1"));
  Object again = f.obj("b", "k", "again");
  CHECK(f.store.complete_upload("up-1", again, {}) == St::kNoSuchUpload);
  CHECK_FALSE(f.blob_exists(again.blob_id));
}

TEST_CASE("buckets with versions or markers are not empty; blobs of all versions are live", "[s3store]") {
  Fx f;
  f.bucket("b", Versioning::kEnabled);
  Object v1 = f.put("b", "k", "one");
  Object v2 = f.put("b", "k", "two");
  std::unordered_set<std::string> live;
  f.store.collect_blobs(live);
  CHECK(live.count(v1.blob_id) == 1);
  CHECK(live.count(v2.blob_id) == 1);
  CHECK(live.count("") == 0);  // markers have no blob

  Deleted m = f.del("b", "k");
  live.clear();
  f.store.collect_blobs(live);
  CHECK(live.size() == 2);
  CHECK(f.store.delete_bucket("b") == St::kNotEmpty);  // noncurrent versions and a marker
  f.del("b", "k", v1.version_id);
  f.del("b", "k", v2.version_id);
  CHECK(f.store.delete_bucket("b") == St::kNotEmpty);  // only a marker left
  f.del("b", "k", m.version_id);
  CHECK(f.store.delete_bucket("b") == St::kOk);
  CHECK_FALSE(f.store.bucket("b"));

  // reset() clears every table (the version counter too) and every blob; writes go on after it.
  f.bucket("c", Versioning::kEnabled);
  Object c1 = f.put("c", "k", "one");
  Object c2 = f.put("c", "k", "two");
  f.store.reset();
  CHECK_FALSE(f.blob_exists(c1.blob_id));
  CHECK_FALSE(f.blob_exists(c2.blob_id));
  CHECK(f.count("SELECT count(*) FROM s3_versions") == 0);
  CHECK_FALSE(f.store.bucket("c"));
  f.bucket("c", Versioning::kEnabled);
  Object c3 = f.put("c", "k", "three");
  Object c4 = f.put("c", "k", "four");
  CHECK(c4.seq > c3.seq);
  CHECK(shape(f.all_versions("c")).size() == 2);
}

TEST_CASE("list_versions orders keys, newest first within a key, with prefixes and delimiters", "[s3store]") {
  Fx f;
  f.bucket("b", Versioning::kEnabled);
  Object a1 = f.put("b", "a/1", "x");
  Object a2 = f.put("b", "a/2", "x");
  Object b1 = f.put("b", "b", "x");
  Deleted bm = f.del("b", "b");
  Object b2 = f.put("b", "b", "y");
  Deleted cm = f.del("b", "c/x/y");
  Object d1 = f.put("b", "d", "x");
  Object d2 = f.put("b", "d", "y");
  Object e1 = f.put("b", std::string("e\xff", 2), "x");

  CHECK(shape(f.all_versions("b")) ==
        std::vector<std::string>{"a/1@" + a1.version_id + "*", "a/2@" + a2.version_id + "*",
                                 "b@" + b2.version_id + "*", "b@" + bm.version_id + "!", "b@" + b1.version_id,
                                 "c/x/y@" + cm.version_id + "!*", "d@" + d2.version_id + "*",
                                 "d@" + d1.version_id, std::string("e\xff@", 3) + e1.version_id + "*"});
  CHECK(shape(f.all_versions("b", "", "/")) ==
        std::vector<std::string>{"a/", "b@" + b2.version_id + "*", "b@" + bm.version_id + "!",
                                 "b@" + b1.version_id, "c/", "d@" + d2.version_id + "*", "d@" + d1.version_id,
                                 std::string("e\xff@", 3) + e1.version_id + "*"});
  CHECK(shape(f.all_versions("b", "c/", "/")) == std::vector<std::string>{"c/x/"});
  CHECK(shape(f.all_versions("b", "c/x/", "/")) == std::vector<std::string>{"c/x/y@" + cm.version_id + "!*"});
  CHECK(shape(f.all_versions("b", "a")) ==
        std::vector<std::string>{"a/1@" + a1.version_id + "*", "a/2@" + a2.version_id + "*"});
  CHECK(f.all_versions("b", "zz").empty());
  CHECK(shape(f.all_versions("b", std::string("e\xff", 2))) ==
        std::vector<std::string>{std::string("e\xff@", 3) + e1.version_id + "*"});

  // key-marker alone: keys after it; inside a listed common prefix: after the whole prefix.
  auto p = f.store.list_versions("b", {"", "", "b", "", 1000});
  CHECK(shape(p.entries).front() == "c/x/y@" + cm.version_id + "!*");
  p = f.store.list_versions("b", {"", "/", "a/", "", 1000});
  CHECK(shape(p.entries).front() == "b@" + b2.version_id + "*");
  p = f.store.list_versions("b", {"", "/", "a/1", "", 1000});
  CHECK(shape(p.entries).front() == "b@" + b2.version_id + "*");
  // With version-id-marker: that key's older versions, then later keys.
  p = f.store.list_versions("b", {"", "", "b", b2.version_id, 1000});
  CHECK(shape(p.entries) == std::vector<std::string>{"b@" + bm.version_id + "!", "b@" + b1.version_id,
                                                     "c/x/y@" + cm.version_id + "!*", "d@" + d2.version_id + "*",
                                                     "d@" + d1.version_id,
                                                     std::string("e\xff@", 3) + e1.version_id + "*"});
  p = f.store.list_versions("b", {"", "", "b", b1.version_id, 2});
  CHECK(shape(p.entries) == std::vector<std::string>{"c/x/y@" + cm.version_id + "!*", "d@" + d2.version_id + "*"});
  CHECK(p.truncated);
  CHECK(p.next_key_marker == "d");
  CHECK(p.next_version_id_marker == d2.version_id);
  // A marker version that was deleted meanwhile still resumes at its place (its id holds its seq).
  f.del("b", "b", bm.version_id);
  p = f.store.list_versions("b", {"", "", "b", bm.version_id, 1});
  CHECK(shape(p.entries) == std::vector<std::string>{"b@" + b1.version_id});
  // Truncated on a common prefix: the prefix is the next key marker, with no version id.
  p = f.store.list_versions("b", {"", "/", "", "", 1});
  CHECK(shape(p.entries) == std::vector<std::string>{"a/"});
  CHECK(p.truncated);
  CHECK(p.next_key_marker == "a/");
  CHECK(p.next_version_id_marker.empty());
  CHECK(f.store.list_versions("b", {"", "", "", "", 0}).entries.empty());
  CHECK(f.store.list_versions("nope", {}).entries.empty());
}

TEST_CASE("list_versions pages through one key's long history and through many keys", "[s3store]") {
  Fx f;
  f.bucket("b", Versioning::kEnabled);
  // One key: 120 versions with markers in between.
  std::vector<std::string> want;
  for (int i = 0; i < 120; i++) {
    if (i % 10 == 9) {
      want.push_back("k@" + f.del("b", "k").version_id + "!");
    } else {
      want.push_back("k@" + f.put("b", "k", std::to_string(i)).version_id);
    }
  }
  std::reverse(want.begin(), want.end());
  want[0] += "*";
  CHECK(shape(f.all_versions("b")) == want);
  for (size_t page : {1u, 7u, 10u, 119u, 120u, 121u}) {
    size_t pages = 0;
    CHECK(shape(page_through(f.store, "b", "", "", page, &pages)) == want);
    CHECK(pages == (want.size() + page - 1) / page);  // a full last page is not reported truncated
  }

  // Many keys, some with several versions, some whose latest is a marker, a null version from
  // before versioning was enabled, under several prefixes.
  f.bucket("m");
  std::map<std::string, std::vector<std::string>> by_key;  // newest first
  for (int i = 0; i < 40; i++) {
    std::string key = "p" + std::to_string(i % 4) + "/k" + std::to_string(100 + i);
    by_key[key].insert(by_key[key].begin(), "null");
    f.put("m", key, "null");
  }
  REQUIRE(f.store.set_versioning("m", Versioning::kEnabled) == St::kOk);
  std::mt19937 rng(11);
  for (int i = 0; i < 200; i++) {
    std::string key = "p" + std::to_string(rng() % 5) + "/k" + std::to_string(100 + rng() % 50);
    if (rng() % 4 == 0) by_key[key].insert(by_key[key].begin(), f.del("m", key).version_id + "!");
    else by_key[key].insert(by_key[key].begin(), f.put("m", key, "v").version_id);
  }
  std::vector<std::string> all;
  for (auto& [key, versions] : by_key) {
    for (size_t i = 0; i < versions.size(); i++) all.push_back(key + "@" + versions[i] + (i == 0 ? "*" : ""));
  }
  CHECK(shape(f.all_versions("m")) == all);
  for (size_t page : {1u, 3u, 17u, 1000u}) CHECK(shape(page_through(f.store, "m", "", "", page)) == all);
  std::vector<std::string> p2;
  for (auto& s : all) {
    if (s.rfind("p2/", 0) == 0) p2.push_back(s);
  }
  CHECK(shape(page_through(f.store, "m", "p2/", "", 4)) == p2);
  // With a delimiter every common prefix comes once, whatever the page size.
  std::vector<std::string> prefixes;
  for (auto& [key, v] : by_key) {
    std::string cp = key.substr(0, 3);
    if (prefixes.empty() || prefixes.back() != cp) prefixes.push_back(cp);
  }
  for (size_t page : {1u, 2u, 1000u}) CHECK(shape(page_through(f.store, "m", "", "/", page)) == prefixes);
  // Prefix and delimiter: a prefix's keys, paged.
  CHECK(shape(page_through(f.store, "m", "p2/", "/", 5)) == p2);
}

TEST_CASE("list_versions pages cost the same deep in a large bucket as at its start", "[s3store]") {
  Fx f;
  f.bucket("one", Versioning::kEnabled);
  f.bucket("many", Versioning::kEnabled);
  // Rows written directly, in one transaction each: what 100,000 PUTs would leave.
  constexpr int kRows = 100000;
  f.db.write([&](storage::Connection& c) {
    auto& hist = c.prepare(
        "INSERT INTO s3_versions(bucket, key, rank, version_id, is_marker, size, etag, last_modified_ms, blob_id,"
        " owner_id, owner_name, meta, lock_mode, lock_until_ms, legal_hold)"
        " VALUES(?, ?, ?, ?, ?, 1, '\"e\"', 1, ?, 'o', 'o', ?, '', 0, 0)");
    auto& cur = c.prepare(
        "INSERT INTO s3_objects(bucket, key, size, etag, last_modified_ms, blob_id, owner_id, owner_name, meta,"
        " version_id, seq) VALUES(?, ?, 1, '\"e\"', 1, ?, 'o', 'o', ?, ?, ?)");
    std::string meta = ObjectMeta{}.encode();
    for (int i = 1; i <= kRows; i++) {
      // "one": key "k" with kRows noncurrent versions (every 10th a marker) under a current one.
      hist.bind(1, "one").bind_blob(2, "k").bind(3, -int64_t{i}).bind(4, make_version_id(i));
      hist.bind(5, int64_t{i % 10 == 0}).bind(6, i % 10 == 0 ? "" : "blob").bind_blob(7, i % 10 == 0 ? "" : meta);
      hist.run();
      hist.reset();
      // "many": kRows keys, each a current version over a noncurrent one.
      char key[16];
      std::snprintf(key, sizeof key, "key%07d", i);
      int64_t seq = kRows + 2 * i;
      hist.bind(1, "many").bind_blob(2, key).bind(3, -seq).bind(4, make_version_id(seq)).bind(5, int64_t{0});
      hist.bind(6, "blob").bind_blob(7, meta);
      hist.run();
      hist.reset();
      cur.bind(1, "many").bind_blob(2, key).bind(3, "blob").bind_blob(4, meta);
      cur.bind(5, make_version_id(seq + 1)).bind(6, seq + 1);
      cur.run();
      cur.reset();
    }
    cur.bind(1, "one").bind_blob(2, "k").bind(3, "blob").bind_blob(4, meta);
    cur.bind(5, make_version_id(10 * kRows)).bind(6, 10 * kRows);
    cur.run();
    c.exec("INSERT OR REPLACE INTO s3_seq(id, n) VALUES(1, " + std::to_string(20 * kRows) + ")");  // past them all
  });

  auto page = [&](const std::string& bucket, const std::string& km, const std::string& vm) {
    VersionPage p;
    Cost cost = cost_of(f.db, [&] { p = f.store.list_versions(bucket, {"", "", km, vm, 1000}); });
    REQUIRE(p.entries.size() == 1000);
    REQUIRE(p.truncated);
    CHECK(cost.fullscan == 0);
    return std::make_pair(cost.vm, p);
  };
  // Warm the statement cache so each measurement counts only its own steps.
  page("one", "", "");
  page("many", "", "");

  auto [first_one, p1] = page("one", "", "");
  CHECK(p1.entries.front().obj.is_latest);
  auto [deep_one, pd] = page("one", "k", make_version_id(1200));  // versions 1199 ... 200
  CHECK(pd.entries.front().obj.seq == 1199);
  auto [end_one, pe] = page("one", "k", make_version_id(1002));  // versions 1001 ... 2
  CHECK(pe.entries.back().obj.seq == 2);
  INFO("one key: first page " << first_one << " VM steps, deep " << deep_one << ", end " << end_one);
  CHECK(deep_one < first_one * 2);
  CHECK(end_one < first_one * 2);

  auto [first_many, m1] = page("many", "", "");
  CHECK(m1.entries[0].key == "key0000001");
  CHECK(m1.entries[1].key == "key0000001");
  CHECK(m1.entries[2].key == "key0000002");
  auto [deep_many, md] = page("many", "key0099000", "");
  CHECK(md.entries.front().key == "key0099001");
  auto [mid_many, mm] = page("many", "key0050000", m1.entries[1].obj.version_id);  // a stale marker position
  (void)mm;
  INFO("many keys: first page " << first_many << " VM steps, deep " << deep_many << ", mid " << mid_many);
  CHECK(deep_many < first_many * 2);
  CHECK(mid_many < first_many * 2);

  // A scan over skipped rows would cost on the order of kRows steps; a seek costs a page's worth.
  CHECK(deep_one < kRows);
  CHECK(deep_many < kRows);

  // Finding a key's null version is one index probe, not a walk through its history: for reads,
  // and for the writes and deletes of a suspended bucket, which replace the null version.
  Cost null_find = cost_of(f.db, [&] { CHECK_FALSE(f.store.find("one", "k", "null")); });
  CHECK(null_find.vm < 200);
  REQUIRE(f.store.set_versioning("one", Versioning::kSuspended) == St::kOk);
  f.put("one", "warm", "x");  // the writer's statements, prepared once
  f.del("one", "warm");
  Cost before = writer_cost(f.db);
  Object n = f.put("one", "k", "suspended");
  Deleted d = f.del("one", "k");
  Cost after = writer_cost(f.db);
  CHECK(n.version_id == "null");
  CHECK(d.version_id == "null");
  INFO("suspended put + delete on a key with " << kRows << " versions: " << after.vm - before.vm << " VM steps");
  CHECK(after.vm - before.vm < 2000);
  CHECK(after.fullscan - before.fullscan == 0);

  // ListObjects reads only current versions: history rows do not slow it down.
  ListPage lp;
  Cost lo = cost_of(f.db, [&] { lp = f.store.list_objects("many", {"", "", "key0090000", 1000}); });
  CHECK(lp.entries.size() == 1000);
  CHECK(lo.fullscan == 0);
  CHECK(lo.vm < first_many);
}
