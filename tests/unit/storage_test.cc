// The generic storage layer: SQLite wrapper (transactions, migrations, snapshots) and blob store.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <atomic>
#include <mutex>
#include <thread>

#include "temp_dir.h"
#include "common/crypto.h"
#include "storage/blob_store.h"
#include "storage/sqlite.h"

using namespace localaws;
using namespace localaws::storage;
namespace fs = std::filesystem;

namespace {
using localaws::testing::TempDir;

int64_t count_rows(Database& db, const std::string& table) {
  return db.read([&](Connection& c) {
    auto& st = c.prepare("SELECT count(*) FROM " + table);
    st.step();
    return st.col_int(0);
  });
}
}  // namespace

TEST_CASE("migrations apply once and in order", "[storage]") {
  TempDir dir;
  std::string path = (dir.path / "db").string();
  {
    Database db(path, false);
    db.migrate("t", {"CREATE TABLE t_a (x INTEGER)"});
    db.migrate("t", {"CREATE TABLE t_a (x INTEGER)", "ALTER TABLE t_a ADD COLUMN y TEXT"});
  }
  Database db(path, false);
  // Re-running all steps on a database that has them is a no-op (no "table exists" error).
  db.migrate("t", {"CREATE TABLE t_a (x INTEGER)", "ALTER TABLE t_a ADD COLUMN y TEXT"});
  db.write([](Connection& c) { c.prepare("INSERT INTO t_a(x, y) VALUES(?, ?)").bind_all(int64_t{1}, "one").run(); });
  CHECK(count_rows(db, "t_a") == 1);
}

TEST_CASE("a write transaction rolls back when its function throws", "[storage]") {
  for (bool in_memory : {false, true}) {
    TempDir dir;
    Database db(in_memory ? "" : (dir.path / "db").string(), false);
    db.migrate("t", {"CREATE TABLE t_a (x INTEGER PRIMARY KEY)"});
    db.write([](Connection& c) { c.prepare("INSERT INTO t_a(x) VALUES(1)").run(); });
    CHECK_THROWS_AS(db.write([](Connection& c) {
      c.prepare("INSERT INTO t_a(x) VALUES(2)").run();
      throw std::runtime_error("boom");
    }),
                    std::runtime_error);
    CHECK(count_rows(db, "t_a") == 1);
    // A constraint violation surfaces as StorageError and also rolls back.
    CHECK_THROWS_AS(db.write([](Connection& c) {
      c.prepare("INSERT INTO t_a(x) VALUES(3)").run();
      c.prepare("INSERT INTO t_a(x) VALUES(1)").run();
    }),
                    StorageError);
    CHECK(count_rows(db, "t_a") == 1);
  }
}

TEST_CASE("concurrent read-modify-write transactions never lose an update", "[storage]") {
  for (bool in_memory : {false, true}) {
    TempDir dir;
    Database db(in_memory ? "" : (dir.path / "db").string(), false);
    db.migrate("t", {"CREATE TABLE t_counter (id INTEGER PRIMARY KEY, n INTEGER)", "INSERT INTO t_counter VALUES(1, 0)"});
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    std::string first_error;
    std::mutex err_mu;
    for (int t = 0; t < 8; t++) {
      threads.emplace_back([&] {
        for (int i = 0; i < 200; i++) try {
          db.write([](Connection& c) {
            auto& r = c.prepare("SELECT n FROM t_counter WHERE id = 1");
            r.step();
            int64_t n = r.col_int(0);
            r.reset();
            c.prepare("UPDATE t_counter SET n = ? WHERE id = 1").bind(1, n + 1).run();
          });
          // Readers on other connections see committed values only.
          db.read([&](Connection& c) {
            auto& r = c.prepare("SELECT n FROM t_counter WHERE id = 1");
            if (!r.step()) failures++;
          });
        } catch (const std::exception& e) {
          failures++;
          std::lock_guard<std::mutex> lock(err_mu);
          first_error = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    INFO("in_memory=" << in_memory << " first error: " << first_error);
    CHECK(failures == 0);
    int64_t n = db.read([](Connection& c) {
      auto& r = c.prepare("SELECT n FROM t_counter WHERE id = 1");
      r.step();
      return r.col_int(0);
    });
    CHECK(n == 1600);
  }
}

TEST_CASE("clear_tables honours the prefix and keeps migrations", "[storage]") {
  Database db("", false);
  db.migrate("a", {"CREATE TABLE s3_x (v INTEGER); CREATE TABLE ddb_y (v INTEGER);"});
  db.write([](Connection& c) {
    c.exec("INSERT INTO s3_x VALUES (1); INSERT INTO ddb_y VALUES (2);");
  });
  db.clear_tables("s3_");
  CHECK(count_rows(db, "s3_x") == 0);
  CHECK(count_rows(db, "ddb_y") == 1);
  db.clear_tables("");
  CHECK(count_rows(db, "ddb_y") == 0);
  CHECK(count_rows(db, "localaws_migrations") == 1);
}

TEST_CASE("backup and restore round trip", "[storage]") {
  TempDir dir;
  Database db("", false);
  db.migrate("a", {"CREATE TABLE s3_x (v INTEGER)"});
  db.write([](Connection& c) { c.exec("INSERT INTO s3_x VALUES (1), (2)"); });
  db.backup_to((dir.path / "snap.db").string());
  db.write([](Connection& c) { c.exec("DELETE FROM s3_x"); });
  CHECK(count_rows(db, "s3_x") == 0);
  db.restore_from((dir.path / "snap.db").string());
  CHECK(count_rows(db, "s3_x") == 2);
}

TEST_CASE("a snapshot taken before a schema step is migrated when restored", "[storage]") {
  TempDir dir;
  Database db("", false);
  db.migrate("a", {"CREATE TABLE s3_x (v INTEGER)"});
  db.write([](Connection& c) { c.exec("INSERT INTO s3_x VALUES (1)"); });
  db.backup_to((dir.path / "old.db").string());
  // A newer binary adds a step; the old snapshot lacks it.
  db.migrate("a", {"CREATE TABLE s3_x (v INTEGER)", "ALTER TABLE s3_x ADD COLUMN w INTEGER NOT NULL DEFAULT 7"});
  db.restore_from((dir.path / "old.db").string());
  CHECK(count_rows(db, "s3_x") == 1);
  int64_t w = db.read([](Connection& c) {
    auto& st = c.prepare("SELECT w FROM s3_x");
    REQUIRE(st.step());
    return st.col_int(0);
  });
  CHECK(w == 7);
  db.write([](Connection& c) { c.exec("INSERT INTO s3_x(v, w) VALUES (2, 8)"); });
  CHECK(count_rows(db, "s3_x") == 2);
}

TEST_CASE("blob store: write, commit, read, names never from keys", "[storage]") {
  TempDir dir;
  BlobStore blobs(dir.path, false);
  auto w = blobs.create();
  REQUIRE(w->write("hello ", 6));
  REQUIRE(w->write("world", 5));
  CHECK(w->size() == 11);
  auto id = w->commit();
  REQUIRE(id.has_value());
  CHECK(BlobStore::valid_id(*id));
  CHECK(blobs.size_of(*id).value() == 11);
  auto f = blobs.open(*id);
  REQUIRE(f);
  char buf[32];
  CHECK(f->read_at(6, buf, sizeof buf) == 5);
  CHECK(std::string(buf, 5) == "world");
  // The path is derived from the id alone: <root>/blobs/ab/cd/<id>.
  CHECK(fs::exists(dir.path / "blobs" / id->substr(0, 2) / id->substr(2, 2) / *id));
  // Ids that are not ours never become paths.
  CHECK(blobs.open("../../etc/passwd") == nullptr);
  CHECK(blobs.open(std::string(32, 'g')) == nullptr);
  // An unlinked blob stays readable through an open handle.
  blobs.remove(*id);
  CHECK(blobs.open(*id) == nullptr);
  CHECK(f->read_at(0, buf, 5) == 5);
}

TEST_CASE("blob store: abandoned writers leave nothing; sweep removes orphans", "[storage]") {
  TempDir dir;
  BlobStore blobs(dir.path, true);
  {
    auto w = blobs.create();
    w->write("partial", 7);
  }  // destroyed without commit
  CHECK(fs::is_empty(dir.path / "tmp"));
  auto keep = blobs.create();
  keep->write("k", 1);
  auto keep_id = *keep->commit();
  auto drop = blobs.create();
  drop->write("d", 1);
  auto drop_id = *drop->commit();
  // A temp file left by a crash is swept too.
  std::ofstream(dir.path / "tmp" / "leftover.part") << "x";
  size_t removed = blobs.sweep([&](const std::string& id) { return id == keep_id; });
  CHECK(removed == 1);
  CHECK(blobs.open(keep_id) != nullptr);
  CHECK(blobs.open(drop_id) == nullptr);
  CHECK(fs::is_empty(dir.path / "tmp"));
}
