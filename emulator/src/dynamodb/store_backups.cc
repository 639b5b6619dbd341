// The SQLite side of on-demand backups (backups.h).
#include "dynamodb/backups.h"

namespace localaws::ddb::store {
using storage::Connection;

namespace {
Backup backup_from(storage::Statement& st) {
  Backup b;
  b.arn = st.col_text(0);
  b.account = st.col_text(1);
  b.region = st.col_text(2);
  b.table_name = st.col_text(3);
  b.table_id = st.col_text(4);
  b.name = st.col_text(5);
  b.created_ms = st.col_int(6);
  b.item_count = st.col_int(7);
  b.size = st.col_int(8);
  b.source = json::parse(st.col_text(9));
  b.seq = st.col_int(10);
  b.type = st.col_text(11);
  return b;
}
constexpr const char* kColumns =
    "backup_arn, account, region, table_name, table_id, name, created_ms, item_count, size, source, type";
constexpr const char* kSelect =
    "SELECT backup_arn, account, region, table_name, table_id, name, created_ms, item_count, size, source, seq, type"
    " FROM ddb_backups";
}  // namespace

void insert_backup(Connection& c, const Backup& b) {
  c.prepare(std::string("INSERT INTO ddb_backups(") + kColumns + ") VALUES(?,?,?,?,?,?,?,?,?,?,?)")
      .bind_all(b.arn, b.account, b.region, b.table_name, b.table_id, b.name, b.created_ms, b.item_count, b.size,
                b.source.dump(), b.type)
      .run();
  c.prepare("INSERT INTO ddb_backup_items(backup_arn, hk, rk, item, size) SELECT ?, hk, rk, item, size FROM ddb_items"
            " WHERE table_id=?")
      .bind_all(b.arn, b.table_id)
      .run();
}

std::optional<Backup> find_backup(Connection& c, const std::string& arn) {
  auto& st = c.prepare(std::string(kSelect) + " WHERE backup_arn=?");
  st.bind_all(arn);
  if (!st.step()) return std::nullopt;
  Backup b = backup_from(st);
  st.reset();
  return b;
}

void delete_backup(Connection& c, const std::string& arn) {
  c.prepare("DELETE FROM ddb_backup_items WHERE backup_arn=?").bind_all(arn).run();
  c.prepare("DELETE FROM ddb_backups WHERE backup_arn=?").bind_all(arn).run();
}

std::vector<Backup> list_backups(Connection& c, const BackupFilter& f) {
  // One SQL text per combination of filters (a handful), each cached by the connection.
  std::string sql = std::string(kSelect) + " WHERE account=? AND region=?";
  if (f.table_name) sql += " AND table_name=?";
  if (f.type) sql += " AND type=?";
  if (f.lower_ms) sql += " AND created_ms>=?";
  if (f.upper_ms) sql += " AND created_ms<?";
  if (f.after) sql += " AND (created_ms, seq) > (?, ?)";
  sql += " ORDER BY created_ms, seq LIMIT ?";
  auto& st = c.prepare(sql);
  int i = 1;
  st.bind(i++, f.account).bind(i++, f.region);
  if (f.table_name) st.bind(i++, *f.table_name);
  if (f.type) st.bind(i++, *f.type);
  if (f.lower_ms) st.bind(i++, *f.lower_ms);
  if (f.upper_ms) st.bind(i++, *f.upper_ms);
  if (f.after) st.bind(i++, f.after->first).bind(i++, f.after->second);
  st.bind(i++, f.limit);
  std::vector<Backup> out;
  while (st.step()) out.push_back(backup_from(st));
  return out;
}

size_t delete_system_backups_before(Connection& c, int64_t cutoff_ms) {
  std::vector<std::string> arns;
  auto& st = c.prepare("SELECT backup_arn FROM ddb_backups WHERE type='SYSTEM' AND created_ms<?");
  st.bind_all(cutoff_ms);
  while (st.step()) arns.push_back(st.col_text(0));
  st.reset();
  for (const auto& arn : arns) delete_backup(c, arn);
  return arns.size();
}

void read_backup_items(Connection& c, const std::string& arn, const std::function<void(const Row&)>& visit) {
  auto& st = c.prepare("SELECT hk, rk, item, size FROM ddb_backup_items WHERE backup_arn=? ORDER BY hk, rk");
  st.bind_all(arn);
  detail::visit_rows(st, true, [&](const Row& r) {
    visit(r);
    return true;
  });
}

}  // namespace localaws::ddb::store
