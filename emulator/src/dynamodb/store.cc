#include "dynamodb/store.h"

#include "dynamodb/indexes.h"
#include "dynamodb/pitr.h"
#include "dynamodb/streams.h"
#include "dynamodb/table_cache.h"
#include "dynamodb/value.h"

// Every single-row read resets its statement once done: a cached statement left mid-result keeps
// its read lock (and, in WAL mode, its snapshot) after the transaction's COMMIT.
namespace localaws::ddb::store {
using storage::Connection;

void migrate(storage::Database& db) {
  db.migrate("dynamodb", {
      "CREATE TABLE ddb_tables(account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
      " table_id TEXT NOT NULL UNIQUE, meta TEXT NOT NULL, PRIMARY KEY(account, region, name)) WITHOUT ROWID;"
      "CREATE TABLE ddb_items(table_id TEXT NOT NULL, hk BLOB NOT NULL, rk BLOB NOT NULL, item TEXT NOT NULL,"
      " size INTEGER NOT NULL, PRIMARY KEY(table_id, hk, rk)) WITHOUT ROWID;",
      // Secondary index rows: (index key, table key) -> projected item.
      "CREATE TABLE ddb_index_items(table_id TEXT NOT NULL, index_name TEXT NOT NULL, ihk BLOB NOT NULL,"
      " irk BLOB NOT NULL, hk BLOB NOT NULL, rk BLOB NOT NULL, item TEXT NOT NULL, size INTEGER NOT NULL,"
      " PRIMARY KEY(table_id, index_name, ihk, irk, hk, rk)) WITHOUT ROWID;"
      "CREATE INDEX ddb_index_items_by_item ON ddb_index_items(table_id, hk, rk);",
      // DynamoDB Streams (streams.h): streams, their shards, and the records, written in the
      // item change's transaction.
      "CREATE TABLE ddb_streams(stream_arn TEXT PRIMARY KEY, table_id TEXT NOT NULL, table_name TEXT NOT NULL,"
      " account TEXT NOT NULL, region TEXT NOT NULL, label TEXT NOT NULL, view_type TEXT NOT NULL,"
      " key_schema TEXT NOT NULL, created_ms INTEGER NOT NULL, next_seq INTEGER NOT NULL, disabled_ms INTEGER);"
      "CREATE INDEX ddb_streams_by_table ON ddb_streams(account, region, table_name);"
      "CREATE TABLE ddb_stream_shards(stream_arn TEXT NOT NULL, shard_id TEXT NOT NULL, parent_id TEXT,"
      " start_seq INTEGER NOT NULL, end_seq INTEGER, records INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
      " trimmed_seq INTEGER NOT NULL, PRIMARY KEY(stream_arn, shard_id)) WITHOUT ROWID;"
      "CREATE TABLE ddb_stream_records(stream_arn TEXT NOT NULL, shard_id TEXT NOT NULL, seq INTEGER NOT NULL,"
      " created_ms INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY(stream_arn, shard_id, seq)) WITHOUT ROWID;"
      "CREATE INDEX ddb_stream_records_by_time ON ddb_stream_records(created_ms);",
      // On-demand backups (backups.h): the backup row and a copy of the table's items.
      // seq: creation order among backups of the same millisecond.
      "CREATE TABLE ddb_backups(seq INTEGER PRIMARY KEY, backup_arn TEXT NOT NULL UNIQUE, account TEXT NOT NULL,"
      " region TEXT NOT NULL, table_name TEXT NOT NULL, table_id TEXT NOT NULL, name TEXT NOT NULL,"
      " created_ms INTEGER NOT NULL, item_count INTEGER NOT NULL, size INTEGER NOT NULL, source TEXT NOT NULL,"
      " type TEXT NOT NULL DEFAULT 'USER');"
      "CREATE INDEX ddb_backups_by_time ON ddb_backups(account, region, created_ms, seq);"
      "CREATE TABLE ddb_backup_items(backup_arn TEXT NOT NULL, hk BLOB NOT NULL, rk BLOB NOT NULL, item TEXT NOT NULL,"
      " size INTEGER NOT NULL, PRIMARY KEY(backup_arn, hk, rk)) WITHOUT ROWID;",
      // Point-in-time recovery (pitr.h): each item's states while PITR is on.
      "CREATE TABLE ddb_item_history(seq INTEGER PRIMARY KEY, table_id TEXT NOT NULL, hk BLOB NOT NULL,"
      " rk BLOB NOT NULL, at_ms INTEGER NOT NULL, item TEXT, size INTEGER NOT NULL);"
      "CREATE INDEX ddb_item_history_by_key ON ddb_item_history(table_id, hk, rk, seq);"
      "CREATE INDEX ddb_item_history_by_time ON ddb_item_history(table_id, at_ms);",
      // TransactWriteItems ClientRequestTokens (transactions.cc): the request's digest and first
      // answer, kept ten minutes on the emulator clock.
      "CREATE TABLE ddb_transaction_tokens(token TEXT PRIMARY KEY, digest TEXT NOT NULL, response TEXT NOT NULL,"
      " expires_ms INTEGER NOT NULL) WITHOUT ROWID;"
      "CREATE INDEX ddb_transaction_tokens_by_expiry ON ddb_transaction_tokens(expires_ms);",
      // Exports to and imports from S3 (exports.h): one row per job, newest listed first.
      "CREATE TABLE ddb_transfer_jobs(seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, arn TEXT NOT NULL UNIQUE,"
      " account TEXT NOT NULL, region TEXT NOT NULL, table_arn TEXT NOT NULL, client_token TEXT NOT NULL,"
      " fingerprint TEXT NOT NULL, created_ms INTEGER NOT NULL, description TEXT NOT NULL);"
      "CREATE INDEX ddb_transfer_jobs_by_account ON ddb_transfer_jobs(kind, account, region, seq);",
      // Resource-based policies (resource_policy.h), dropped with their table.
      "CREATE TABLE ddb_resource_policies(resource_arn TEXT PRIMARY KEY, table_id TEXT NOT NULL, policy TEXT,"
      " revision TEXT NOT NULL);"
      "CREATE INDEX ddb_resource_policies_by_table ON ddb_resource_policies(table_id);"
      "CREATE TRIGGER ddb_tables_drop_policies AFTER DELETE ON ddb_tables BEGIN"
      " DELETE FROM ddb_resource_policies WHERE table_id = OLD.table_id; END;",
  });
}

namespace {
Table table_from(const std::string& name, const std::string& id, const std::string& meta) {
  Table t;
  t.name = name;
  t.id = id;
  t.meta = json::parse(meta);
  for (auto& k : t.meta["KeySchema"]) {
    std::string attr = k["AttributeName"];
    std::string type;
    for (auto& d : t.meta["AttributeDefinitions"])
      if (d["AttributeName"] == attr) type = d["AttributeType"];
    if (k["KeyType"] == "HASH") {
      t.hash_key = attr;
      t.hash_type = type;
    } else {
      t.range_key = attr;
      t.range_type = type;
    }
  }
  return t;
}
}  // namespace

std::vector<Table> tables_with_member(Connection& c, const std::string& member) {
  auto& st = c.prepare("SELECT name, table_id, meta FROM ddb_tables WHERE meta LIKE ?");
  st.bind_all("%\"" + member + "\"%");
  std::vector<Table> out;
  while (st.step()) {
    Table t = table_from(st.col_text(0), st.col_text(1), st.col_text(2));
    if (t.meta.contains(member)) out.push_back(std::move(t));
  }
  return out;
}

std::vector<Table> tables_with_ttl(Connection& c) {
  std::vector<Table> out;
  for (Table& t : tables_with_member(c, "TimeToLive"))
    if (t.meta["TimeToLive"].value("Enabled", false)) out.push_back(std::move(t));
  return out;
}

std::optional<Table> find_table_by_id(Connection& c, const std::string& table_id) {
  auto& st = c.prepare("SELECT name, meta FROM ddb_tables WHERE table_id=?");
  st.bind_all(table_id);
  if (!st.step()) return std::nullopt;
  Table t = table_from(st.col_text(0), table_id, st.col_text(1));
  st.reset();
  return t;
}

std::optional<Table> find_table(Connection& c, const Ctx& ctx, const std::string& name) {
  std::string key;
  if (ctx.tables) {
    key = TableCache::key(ctx.account, ctx.region, name);
    if (auto hit = ctx.tables->get(c, key)) return *hit;
  }
  auto& st = c.prepare("SELECT table_id, meta FROM ddb_tables WHERE account=? AND region=? AND name=?");
  st.bind_all(ctx.account, ctx.region, name);
  if (!st.step()) return std::nullopt;
  Table t = table_from(name, st.col_text(0), st.col_text(1));
  st.reset();
  if (ctx.tables) ctx.tables->put(c, key, t);
  return t;
}

std::shared_ptr<const Table> must_find_shared_table(Connection& c, const Ctx& ctx, const std::string& name) {
  if (ctx.tables) {
    if (auto hit = ctx.tables->get(c, TableCache::key(ctx.account, ctx.region, name))) return hit;
  }
  auto t = find_table(c, ctx, name);
  if (!t) throw DdbError::resource_not_found("Requested resource not found");
  return std::make_shared<const Table>(std::move(*t));
}

Table must_find_table(Connection& c, const Ctx& ctx, const std::string& name, const char* message) {
  auto t = find_table(c, ctx, name);
  if (!t) throw DdbError::resource_not_found(message);
  return std::move(*t);
}

bool insert_table(Connection& c, const Ctx& ctx, const Table& t) {
  if (find_table(c, ctx, t.name)) return false;
  c.prepare("INSERT INTO ddb_tables(account, region, name, table_id, meta) VALUES(?,?,?,?,?)")
      .bind_all(ctx.account, ctx.region, t.name, t.id, t.meta.dump())
      .run();
  c.changed(TableCache::kWatch);
  return true;
}

void save_meta(Connection& c, const Table& t) {
  c.prepare("UPDATE ddb_tables SET meta=? WHERE table_id=?").bind_all(t.meta.dump(), t.id).run();
  c.changed(TableCache::kWatch);
}

void drop_table(Connection& c, const Table& t) {
  Table closing = t;
  streams::disable(c, closing);  // the stream stays readable for its retention
  c.prepare("DELETE FROM ddb_index_items WHERE table_id=?").bind_all(t.id).run();
  c.prepare("DELETE FROM ddb_items WHERE table_id=?").bind_all(t.id).run();
  clear_history(c, t.id);
  c.prepare("DELETE FROM ddb_tables WHERE table_id=?").bind_all(t.id).run();
  c.changed(TableCache::kWatch);
}

std::vector<std::string> table_names(Connection& c, const Ctx& ctx, const std::string& after, int limit) {
  auto& st = c.prepare(
      "SELECT name FROM ddb_tables WHERE account=? AND region=? AND name>? ORDER BY name LIMIT ?");
  st.bind_all(ctx.account, ctx.region, after, static_cast<int64_t>(limit));
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.col_text(0));
  return out;
}

namespace {
// Reads the one (COUNT, SUM) row of a bound statement.
Stats read_stats(storage::Statement& st) {
  Stats s;
  if (st.step()) {
    s.items = st.col_int(0);
    s.bytes = st.col_int(1);
    st.reset();
  }
  return s;
}
}  // namespace

Stats table_stats(Connection& c, const Table& t) {
  auto& st = c.prepare("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM ddb_items WHERE table_id=?");
  st.bind_all(t.id);
  return read_stats(st);
}

std::optional<json> get_item(Connection& c, const Table& t, const ItemKey& k) {
  auto& st = c.prepare("SELECT item FROM ddb_items WHERE table_id=? AND hk=? AND rk=?");
  st.bind(1, t.id).bind_blob(2, k.hk).bind_blob(3, k.rk);
  if (!st.step()) return std::nullopt;
  json item = json::parse(st.col_text(0));
  st.reset();
  return item;
}

std::optional<StoredItem> get_item_text(Connection& c, const Table& t, const ItemKey& k) {
  auto& st = c.prepare("SELECT item, size FROM ddb_items WHERE table_id=? AND hk=? AND rk=?");
  st.bind(1, t.id).bind_blob(2, k.hk).bind_blob(3, k.rk);
  if (!st.step()) return std::nullopt;
  StoredItem out{st.col_text(0), static_cast<size_t>(st.col_int(1))};
  st.reset();
  return out;
}

namespace {
bool has_indexes(const Table& t) {
  return t.meta.contains("GlobalSecondaryIndexes") || t.meta.contains("LocalSecondaryIndexes");
}
void delete_index_rows(Connection& c, const Table& t, const ItemKey& k) {
  auto& st = c.prepare("DELETE FROM ddb_index_items WHERE table_id=? AND hk=? AND rk=?");
  st.bind(1, t.id).bind_blob(2, k.hk).bind_blob(3, k.rk);
  st.run();
}
}  // namespace

void put_item(Connection& c, const Table& t, const ItemKey& k, const json& item, size_t size) {
  if (streams::enabled(t)) streams::record_change(c, t, get_item(c, t, k), item);
  if (has_indexes(t)) {
    std::vector<IndexRow> rows = index_rows(t, item);  // validates first: throws before any change
    delete_index_rows(c, t, k);
    for (auto& r : rows) put_index_row(c, t, k, r);
  }
  auto& st = c.prepare("INSERT OR REPLACE INTO ddb_items(table_id, hk, rk, item, size) VALUES(?,?,?,?,?)");
  st.bind(1, t.id).bind_blob(2, k.hk).bind_blob(3, k.rk).bind(4, item.dump()).bind(5, static_cast<int64_t>(size));
  st.run();
  record_history(c, t, k, &item, size);
}

void delete_item(Connection& c, const Table& t, const ItemKey& k, bool by_ttl) {
  if (streams::enabled(t)) streams::record_change(c, t, get_item(c, t, k), std::nullopt, by_ttl);
  if (has_indexes(t)) delete_index_rows(c, t, k);
  auto& st = c.prepare("DELETE FROM ddb_items WHERE table_id=? AND hk=? AND rk=?");
  st.bind(1, t.id).bind_blob(2, k.hk).bind_blob(3, k.rk);
  if (st.run() > 0) record_history(c, t, k, nullptr, 0);
}

void put_index_row(Connection& c, const Table& t, const ItemKey& k, const IndexRow& r) {
  auto& ins = c.prepare(
      "INSERT INTO ddb_index_items(table_id, index_name, ihk, irk, hk, rk, item, size) VALUES(?,?,?,?,?,?,?,?)");
  ins.bind(1, t.id).bind(2, r.index).bind_blob(3, r.ihk).bind_blob(4, r.irk).bind_blob(5, k.hk).bind_blob(6, k.rk);
  ins.bind(7, r.item.dump()).bind(8, static_cast<int64_t>(item_size(r.item)));
  ins.run();
}

void drop_index(Connection& c, const Table& t, const std::string& index) {
  c.prepare("DELETE FROM ddb_index_items WHERE table_id=? AND index_name=?").bind_all(t.id, index).run();
}

Stats index_stats(Connection& c, const Table& t, const std::string& index) {
  auto& st = c.prepare("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM ddb_index_items WHERE table_id=? AND index_name=?");
  st.bind_all(t.id, index);
  return read_stats(st);
}

namespace detail {

storage::Statement& partition_statement(Connection& c, const Table& t, const std::string& hk, const KeyRange& range,
                                        bool forward) {
  // A handful of distinct SQL texts, each cached by the connection.
  std::string sql = "SELECT rk, item, size FROM ddb_items WHERE table_id=? AND hk=?";
  if (range.lo) sql += range.lo_inclusive ? " AND rk>=?" : " AND rk>?";
  if (range.hi) sql += range.hi_inclusive ? " AND rk<=?" : " AND rk<?";
  sql += forward ? " ORDER BY rk ASC" : " ORDER BY rk DESC";
  auto& st = c.prepare(sql);
  int i = 1;
  st.bind(i++, t.id).bind_blob(i++, hk);
  if (range.lo) st.bind_blob(i++, *range.lo);
  if (range.hi) st.bind_blob(i++, *range.hi);
  return st;
}

storage::Statement& table_statement(Connection& c, const Table& t, const std::optional<ItemKey>& after) {
  if (!after) {
    auto& st = c.prepare("SELECT hk, rk, item, size FROM ddb_items WHERE table_id=? ORDER BY hk, rk");
    st.bind(1, t.id);
    return st;
  }
  auto& st = c.prepare("SELECT hk, rk, item, size FROM ddb_items WHERE table_id=? AND (hk, rk) > (?, ?) ORDER BY hk, rk");
  st.bind(1, t.id).bind_blob(2, after->hk).bind_blob(3, after->rk);
  return st;
}

storage::Statement& index_partition_statement(Connection& c, const Table& t, const std::string& index,
                                              const std::string& ihk, const KeyRange& range, bool forward,
                                              const std::optional<IndexPos>& after) {
  std::string sql = "SELECT hk, rk, item, size FROM ddb_index_items WHERE table_id=? AND index_name=? AND ihk=?";
  if (range.lo) sql += range.lo_inclusive ? " AND irk>=?" : " AND irk>?";
  if (range.hi) sql += range.hi_inclusive ? " AND irk<=?" : " AND irk<?";
  if (after) sql += forward ? " AND (irk, hk, rk) > (?, ?, ?)" : " AND (irk, hk, rk) < (?, ?, ?)";
  sql += forward ? " ORDER BY irk ASC, hk ASC, rk ASC" : " ORDER BY irk DESC, hk DESC, rk DESC";
  auto& st = c.prepare(sql);
  int i = 1;
  st.bind(i++, t.id).bind(i++, index).bind_blob(i++, ihk);
  if (range.lo) st.bind_blob(i++, *range.lo);
  if (range.hi) st.bind_blob(i++, *range.hi);
  if (after) st.bind_blob(i++, after->irk).bind_blob(i++, after->hk).bind_blob(i++, after->rk);
  return st;
}

storage::Statement& index_statement(Connection& c, const Table& t, const std::string& index,
                                    const std::optional<IndexPos>& after) {
  std::string sql = "SELECT hk, rk, item, size FROM ddb_index_items WHERE table_id=? AND index_name=?";
  if (after) sql += " AND (ihk, irk, hk, rk) > (?, ?, ?, ?)";
  sql += " ORDER BY ihk, irk, hk, rk";
  auto& st = c.prepare(sql);
  st.bind(1, t.id).bind(2, index);
  if (after) st.bind_blob(3, after->ihk).bind_blob(4, after->irk).bind_blob(5, after->hk).bind_blob(6, after->rk);
  return st;
}

}  // namespace detail

int64_t collection_bytes(Connection& c, const Table& t, const std::string& hk) {
  auto& st = c.prepare("SELECT COALESCE(SUM(size), 0) FROM ddb_items WHERE table_id=? AND hk=?");
  st.bind(1, t.id).bind_blob(2, hk);
  int64_t n = st.step() ? st.col_int(0) : 0;
  st.reset();
  return n;
}

}  // namespace localaws::ddb::store
