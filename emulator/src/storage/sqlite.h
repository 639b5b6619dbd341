// A thin RAII layer over SQLite: connections, cached prepared statements, transactions, numbered
// migrations. It knows no bucket, object, table or item; services own their schemas.
//
// Concurrency model: one writer connection, serialised by a mutex, every write inside
// BEGIN IMMEDIATE ... COMMIT; one reader connection per thread (WAL: readers never block the
// writer and see a consistent snapshot). SQLite failures throw StorageError: they are bugs or a
// broken disk, and become a 500 InternalError at the protocol boundary.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace localaws::storage {

class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding indexes start at 1, as in SQLite. Text and blobs are copied (SQLITE_TRANSIENT).
  Statement& bind(int idx, int64_t v);
  Statement& bind(int idx, std::string_view text);
  Statement& bind(int idx, const char* text) { return bind(idx, std::string_view(text)); }
  Statement& bind(int idx, const std::string& text) { return bind(idx, std::string_view(text)); }
  Statement& bind_blob(int idx, std::string_view bytes);
  Statement& bind_null(int idx);
  // Binds every argument in order, starting at 1.
  template <typename... Args>
  Statement& bind_all(Args&&... args) {
    int i = 1;
    (bind(i++, std::forward<Args>(args)), ...);
    return *this;
  }

  // Steps once: true when a row is available, false when done. Throws StorageError on failure.
  bool step();
  // Runs a statement that returns no rows; returns sqlite3_changes().
  int run();

  int64_t col_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  std::string col_text(int i) const;
  std::string col_blob(int i) const;
  bool col_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

  void reset();  // clears bindings too

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  Connection(const std::string& uri, bool readonly, bool fsync);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A cached prepared statement, reset with bindings cleared. The reference stays valid for the
  // connection's life; do not hold it across another prepare() of the same SQL.
  Statement& prepare(const std::string& sql);
  void exec(const std::string& sql);  // one or more statements, no results
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  // Resets every statement still mid-step: a pending SELECT would otherwise keep its read lock
  // (or WAL snapshot) after the transaction ends and block the writer's commit.
  void reset_statements();
  sqlite3* raw() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

class Database {
 public:
  // path: a file (created if missing), or empty for a private in-memory database (SQLite's
  // memdb VFS, shared by this process's connections).
  Database(const std::string& path, bool fsync);
  ~Database();

  // Runs fn(Connection&) inside BEGIN IMMEDIATE ... COMMIT on the writer connection. If fn
  // throws, the transaction is rolled back and the exception propagates.
  template <typename F>
  auto write(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
    std::lock_guard<std::recursive_mutex> lock(write_mu_);
    if (in_write_) return fn(*writer_);  // nested: part of the outer transaction
    TxnGuard g(*this);
    if constexpr (std::is_void_v<decltype(fn(*writer_))>) {
      fn(*writer_);
      g.commit();
    } else {
      auto r = fn(*writer_);
      g.commit();
      return r;
    }
  }

  // Runs fn(Connection&) on this thread's reader connection inside one read transaction, so
  // everything it reads comes from one snapshot.
  template <typename F>
  auto read(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
    Connection& c = reader();
    c.exec("BEGIN");
    struct End {
      Connection& c;
      ~End() {
        c.reset_statements();
        sqlite3_exec(c.raw(), "COMMIT", nullptr, nullptr, nullptr);
      }
    } end{c};
    return fn(c);
  }

  // Applies the numbered steps of `component` not applied yet, each in its own transaction.
  // Steps are append-only: never edit a released one.
  void migrate(const std::string& component, const std::vector<std::string>& steps);

  // Deletes every row of every table whose name starts with `table_prefix` ("" = all tables but
  // the migration bookkeeping), in one transaction.
  void clear_tables(std::string_view table_prefix);

  // Writes a consistent copy of the database to `dest_path` (SQLite backup API), and back. A
  // restored copy written by an older schema is brought up to date with the steps migrate() was
  // given (a snapshot kept in a data dir outlives the binary that took it).
  void backup_to(const std::string& dest_path);
  void restore_from(const std::string& src_path);

  bool in_memory() const { return in_memory_; }

 private:
  struct TxnGuard {
    Database& db;
    bool done = false;
    explicit TxnGuard(Database& d);
    void commit();
    ~TxnGuard();
  };
  Connection& reader();

  std::string uri_;
  bool fsync_;
  bool in_memory_;
  std::unique_ptr<Connection> writer_;
  std::recursive_mutex write_mu_;
  bool in_write_ = false;
  std::vector<std::pair<std::string, std::vector<std::string>>> migrations_;  // as given to migrate()
  uint64_t id_;  // distinguishes this database in the per-thread reader cache
};

}  // namespace localaws::storage
