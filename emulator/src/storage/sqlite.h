// A thin RAII layer over SQLite: connections, cached prepared statements, transactions, numbered
// migrations. It knows no bucket, object, table or item; services own their schemas.
//
// Concurrency model: one writer connection, serialised by a mutex, every write inside
// BEGIN IMMEDIATE ... COMMIT; one reader connection per thread (WAL: readers never block the
// writer and see a consistent snapshot). SQLite failures throw StorageError: they are bugs or a
// broken disk, and become a 500 InternalError at the protocol boundary.
#pragma once
#include <sqlite3.h>

#include <atomic>
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

class Database;

// A change counter for rows a service keeps in memory (bucket and table configuration). The
// service calls Database::changed(w) in every write transaction that changes those rows; the
// counter moves once that transaction has ended (committed or rolled back), and at
// clear_tables() and restore_from(). Every transaction notes each counter as it begins
// (Connection::seen): what a transaction reads is the state of that generation, so a cache
// entry filled in a transaction is tagged with seen(), and a transaction may use an entry whose
// tag equals its own seen() (unless it changed the rows itself: changing()).
class Watch {
 public:
  uint64_t generation() const { return gen_.load(std::memory_order_acquire); }
  bool changing() const { return dirty_.load(std::memory_order_acquire); }
  int slot() const { return slot_; }

 private:
  friend class Database;
  std::atomic<uint64_t> gen_{1};
  std::atomic<bool> dirty_{false};
  int slot_ = 0;
};
constexpr int kMaxWatches = 8;

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
  // Transaction control as statements prepared once per connection (sqlite3_exec would parse
  // them again on every transaction). run_tx throws StorageError on failure; try_tx returns the
  // SQLite result code (for COMMIT/ROLLBACK in destructors).
  enum class Tx { kBegin, kBeginImmediate, kCommit, kRollback };
  void run_tx(Tx t);
  int try_tx(Tx t) noexcept;
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  // Resets every statement still mid-step: a pending SELECT would otherwise keep its read lock
  // (or WAL snapshot) after the transaction ends and block the writer's commit.
  void reset_statements();
  sqlite3* raw() const { return db_; }
  // The generation of w when this connection's current transaction began.
  uint64_t seen(const Watch& w) const { return seen_[w.slot()]; }
  // Database::changed() on the database's watch of that name. REQUIRES: a write transaction.
  void changed(const std::string& watch_name);

 private:
  friend class Database;
  sqlite3* db_ = nullptr;
  Database* owner_ = nullptr;
  uint64_t seen_[kMaxWatches] = {};
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
  sqlite3_stmt* tx_[4] = {nullptr, nullptr, nullptr, nullptr};
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
    note_generations(c);  // before BEGIN: the snapshot is at least this new
    c.run_tx(Connection::Tx::kBegin);
    struct End {
      Connection& c;
      ~End() {
        c.reset_statements();
        c.try_tx(Connection::Tx::kCommit);
      }
    } end{c};
    return fn(c);
  }

  // The change counter named `name` (made on first use; lives as long as the database).
  Watch& watch(const std::string& name);
  // Marks w as changed by the current write transaction. REQUIRES: inside write().
  void changed(Watch& w);

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
  void note_generations(Connection& c);
  void end_changes();  // bumps the watches changed by the transaction that just ended
  void change_all_watches();  // REQUIRES: write_mu_ held

  std::string uri_;
  bool fsync_;
  bool in_memory_;
  std::unique_ptr<Connection> writer_;
  std::recursive_mutex write_mu_;
  bool in_write_ = false;
  std::mutex watches_mu_;
  Watch watches_[kMaxWatches];
  std::string watch_names_[kMaxWatches];
  std::atomic<int> n_watches_{0};
  std::vector<Watch*> pending_;  // changed in the current write transaction
  std::vector<std::pair<std::string, std::vector<std::string>>> migrations_;  // as given to migrate()
  uint64_t id_;  // distinguishes this database in the per-thread reader cache
};

}  // namespace localaws::storage
