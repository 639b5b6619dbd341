#include "storage/sqlite.h"

#include <atomic>
#include <map>

#include "common/crypto.h"
#include "common/strings.h"

namespace localaws::storage {

namespace {
[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw StorageError(what + ": " + (db ? sqlite3_errmsg(db) : "sqlite"));
}
std::atomic<uint64_t> g_next_db_id{1};
}  // namespace

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int idx, int64_t v) {
  if (sqlite3_bind_int64(stmt_, idx, v) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int idx, std::string_view text) {
  if (sqlite3_bind_text64(stmt_, idx, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
    fail(db_, "bind");
  return *this;
}
Statement& Statement::bind_blob(int idx, std::string_view bytes) {
  if (sqlite3_bind_blob64(stmt_, idx, bytes.empty() ? "" : bytes.data(), bytes.size(), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    fail(db_, "bind");
  return *this;
}
Statement& Statement::bind_null(int idx) {
  if (sqlite3_bind_null(stmt_, idx) != SQLITE_OK) fail(db_, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
  sqlite3_reset(stmt_);
  fail(db_, "step [" + sql + "]");
}

int Statement::run() {
  while (step()) {
  }
  return sqlite3_changes(db_);
}

std::string Statement::col_text(int i) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, i)) : std::string();
}

std::string Statement::col_blob(int i) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, i)) : std::string();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Connection::Connection(const std::string& uri, bool readonly, bool fsync) {
  int flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX |
              (readonly ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(uri.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "open";
    sqlite3_close(db_);
    throw StorageError("open " + uri + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 10000);
  sqlite3_extended_result_codes(db_, 1);
  exec("PRAGMA foreign_keys=ON");
  exec(fsync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  // Every worker thread gets its own reader connection; SQLite's default 2 MiB page cache each
  // would let memory creep up with the number of threads ever used. The OS caches the file too.
  if (readonly) exec("PRAGMA cache_size=-512");
}

Connection::~Connection() {
  for (sqlite3_stmt*& st : tx_) sqlite3_finalize(st);
  cache_.clear();
  sqlite3_close_v2(db_);
}

Statement& Connection::prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->reset();
    return *it->second;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK)
    fail(db_, "prepare [" + sql + "]");
  auto& slot = cache_[sql];
  slot = std::make_unique<Statement>(db_, stmt);
  return *slot;
}

void Connection::reset_statements() {
  for (sqlite3_stmt* st = sqlite3_next_stmt(db_, nullptr); st; st = sqlite3_next_stmt(db_, st)) {
    if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
  }
}

int Connection::try_tx(Tx t) noexcept {
  static const char* const kSql[] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};
  sqlite3_stmt*& st = tx_[static_cast<int>(t)];
  if (!st) {
    int rc = sqlite3_prepare_v3(db_, kSql[static_cast<int>(t)], -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rc != SQLITE_OK) return rc;
  }
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

void Connection::run_tx(Tx t) {
  static const char* const kSql[] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};
  if (try_tx(t) != SQLITE_OK) fail(db_, std::string("exec [") + kSql[static_cast<int>(t)] + "]");
}

void Connection::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "exec";
    sqlite3_free(err);
    throw StorageError("exec [" + sql + "]: " + msg);
  }
}

Database::Database(const std::string& path, bool fsync) : fsync_(fsync), in_memory_(path.empty()) {
  id_ = g_next_db_id++;
  if (in_memory_) {
    // memdb: one in-memory database shared by every connection of this process that names it.
    uri_ = "file:/localaws-" + random_hex(8) + "?vfs=memdb";
  } else {
    uri_ = "file:" + uri_encode(path, true);
  }
  writer_ = std::make_unique<Connection>(uri_, false, fsync);
  writer_->owner_ = this;
  if (!in_memory_) writer_->exec("PRAGMA journal_mode=WAL");
  writer_->exec(
      "CREATE TABLE IF NOT EXISTS localaws_migrations (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
}

Database::~Database() = default;

Database::TxnGuard::TxnGuard(Database& d) : db(d) {
  db.writer_->run_tx(Connection::Tx::kBeginImmediate);
  db.note_generations(*db.writer_);  // the write lock is held: no commit can come in between
  db.in_write_ = true;
}
void Database::TxnGuard::commit() {
  db.writer_->reset_statements();
  db.writer_->run_tx(Connection::Tx::kCommit);  // on failure the destructor rolls back
  done = true;
  db.in_write_ = false;
  db.end_changes();
}
Database::TxnGuard::~TxnGuard() {
  if (!done) {
    db.writer_->reset_statements();
    db.writer_->try_tx(Connection::Tx::kRollback);
    db.in_write_ = false;
    db.end_changes();
  }
}

Watch& Database::watch(const std::string& name) {
  std::lock_guard<std::mutex> lock(watches_mu_);
  int n = n_watches_.load();
  for (int i = 0; i < n; i++)
    if (watch_names_[i] == name) return watches_[i];
  if (n == kMaxWatches) throw StorageError("too many watches");
  watch_names_[n] = name;
  watches_[n].slot_ = n;
  n_watches_.store(n + 1, std::memory_order_release);
  return watches_[n];
}

void Connection::changed(const std::string& watch_name) {
  if (owner_) owner_->changed(owner_->watch(watch_name));
}

void Database::note_generations(Connection& c) {
  int n = n_watches_.load(std::memory_order_acquire);
  for (int i = 0; i < n; i++) c.seen_[i] = watches_[i].generation();
}

void Database::changed(Watch& w) {
  if (w.dirty_.exchange(true, std::memory_order_acq_rel)) return;
  pending_.push_back(&w);
}

void Database::end_changes() {
  for (Watch* w : pending_) {
    w->gen_.fetch_add(1, std::memory_order_acq_rel);
    w->dirty_.store(false, std::memory_order_release);
  }
  pending_.clear();
}

void Database::change_all_watches() {
  int n = n_watches_.load(std::memory_order_acquire);
  for (int i = 0; i < n; i++) changed(watches_[i]);
}

Connection& Database::reader() {
  // Per-thread reader connections, keyed by database id so several databases (tests, harness)
  // can live in one process.
  thread_local std::map<uint64_t, std::unique_ptr<Connection>> readers;
  auto& slot = readers[id_];
  if (!slot) {
    slot = std::make_unique<Connection>(uri_, true, fsync_);
    slot->owner_ = this;
  }
  return *slot;
}

void Database::migrate(const std::string& component, const std::vector<std::string>& steps) {
  {
    std::lock_guard<std::recursive_mutex> lock(write_mu_);
    bool known = false;
    for (auto& [c, s] : migrations_) {
      if (c == component) s = steps, known = true;
    }
    if (!known) migrations_.emplace_back(component, steps);
  }
  int64_t have = write([&](Connection& c) {
    auto& st = c.prepare("SELECT version FROM localaws_migrations WHERE component = ?");
    st.bind(1, component);
    return st.step() ? st.col_int(0) : int64_t{0};
  });
  for (size_t i = static_cast<size_t>(have); i < steps.size(); i++) {
    write([&](Connection& c) {
      c.exec(steps[i]);
      auto& st = c.prepare(
          "INSERT INTO localaws_migrations(component, version) VALUES(?, ?) "
          "ON CONFLICT(component) DO UPDATE SET version = excluded.version");
      st.bind(1, component).bind(2, static_cast<int64_t>(i + 1));
      st.run();
    });
  }
}

void Database::clear_tables(std::string_view table_prefix) {
  write([&](Connection& c) {
    std::vector<std::string> tables;
    auto& st = c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (st.step()) tables.push_back(st.col_text(0));
    st.reset();
    for (auto& t : tables) {
      if (t == "localaws_migrations" || t.compare(0, table_prefix.size(), table_prefix) != 0) continue;
      c.exec("DELETE FROM \"" + t + "\"");
    }
    change_all_watches();
  });
}

static void copy_database(sqlite3* from, sqlite3* to) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) fail(to, "backup init");
  int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) fail(to, "backup");
}

void Database::backup_to(const std::string& dest_path) {
  std::lock_guard<std::recursive_mutex> lock(write_mu_);
  Connection dest("file:" + uri_encode(dest_path, true), false, false);
  copy_database(writer_->raw(), dest.raw());
}

void Database::restore_from(const std::string& src_path) {
  std::lock_guard<std::recursive_mutex> lock(write_mu_);
  Connection src("file:" + uri_encode(src_path, true), false, false);
  change_all_watches();  // readers bypass caches while the copy runs
  try {
    copy_database(src.raw(), writer_->raw());
  } catch (...) {
    end_changes();
    throw;
  }
  end_changes();
  auto migrations = migrations_;
  for (auto& [component, steps] : migrations) migrate(component, steps);
}

}  // namespace localaws::storage
