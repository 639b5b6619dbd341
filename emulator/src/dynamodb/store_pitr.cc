// The SQLite side of point-in-time recovery (pitr.h): the per-key change history.
#include "dynamodb/pitr.h"
#include "dynamodb/streams.h"

namespace localaws::ddb::store {
using storage::Connection;

namespace {
// The latest entry per key at or before at_ms. SQLite gives the bare columns of the row that
// holds max(seq) in each group.
constexpr const char* kStateAt =
    "SELECT hk, rk, item, size, max(seq) FROM ddb_item_history WHERE table_id=? AND at_ms<=?"
    " GROUP BY hk, rk ORDER BY hk, rk";
}  // namespace

void record_history(Connection& c, const Table& t, const ItemKey& k, const json* item, size_t size) {
  if (!pitr::enabled(t)) return;
  auto& st = c.prepare("INSERT INTO ddb_item_history(table_id, hk, rk, at_ms, item, size) VALUES(?,?,?,?,?,?)");
  st.bind(1, t.id).bind_blob(2, k.hk).bind_blob(3, k.rk).bind(4, streams::now_ms());
  if (item) st.bind(5, item->dump());
  else st.bind_null(5);
  st.bind(6, static_cast<int64_t>(item ? size : 0));
  st.run();
}

void snapshot_history(Connection& c, const Table& t, int64_t at_ms) {
  c.prepare("INSERT INTO ddb_item_history(table_id, hk, rk, at_ms, item, size)"
            " SELECT table_id, hk, rk, ?, item, size FROM ddb_items WHERE table_id=?")
      .bind_all(at_ms, t.id)
      .run();
}

void clear_history(Connection& c, const std::string& table_id) {
  c.prepare("DELETE FROM ddb_item_history WHERE table_id=?").bind_all(table_id).run();
}

void sweep_history(Connection& c, const std::string& table_id, int64_t cutoff_ms) {
  // Before the cutoff only the latest entry per key matters (the window's base), and only when
  // it is an item: a deletion before the window is the same as no entry.
  c.prepare("DELETE FROM ddb_item_history WHERE table_id=?1 AND at_ms<?2 AND seq NOT IN"
            " (SELECT max(seq) FROM ddb_item_history WHERE table_id=?1 AND at_ms<?2 GROUP BY hk, rk)")
      .bind_all(table_id, cutoff_ms)
      .run();
  c.prepare("DELETE FROM ddb_item_history WHERE table_id=? AND at_ms<? AND item IS NULL")
      .bind_all(table_id, cutoff_ms)
      .run();
}

void read_table_at(Connection& c, const Table& t, int64_t at_ms, const std::function<void(const Row&)>& visit) {
  auto& st = c.prepare(kStateAt);
  st.bind(1, t.id).bind(2, at_ms);
  Row row;
  while (st.step()) {
    if (st.col_null(2)) continue;  // deleted at that time
    row.hk = st.col_blob(0);
    row.rk = st.col_blob(1);
    row.item = st.col_text(2);
    row.size = st.col_int(3);
    visit(row);
  }
  st.reset();
}

void read_changes(Connection& c, const Table& t, int64_t from_ms, int64_t to_ms,
                  const std::function<void(const Change&)>& visit) {
  // For every key written in (from, to]: its state at `from` (the latest entry <= from) and at
  // `to` (the latest entry <= to, which is in the range).
  auto& st = c.prepare(
      "SELECT n.hk, n.rk, n.item, n.at_ms,"
      " (SELECT o.item FROM ddb_item_history o WHERE o.table_id=n.table_id AND o.hk=n.hk AND o.rk=n.rk"
      "  AND o.at_ms<=?2 ORDER BY o.seq DESC LIMIT 1)"
      " FROM (SELECT table_id, hk, rk, item, at_ms, max(seq) FROM ddb_item_history WHERE table_id=?1 AND at_ms>?2"
      "  AND at_ms<=?3 GROUP BY hk, rk) n ORDER BY n.hk, n.rk");
  st.bind(1, t.id).bind(2, from_ms).bind(3, to_ms);
  Change ch;
  while (st.step()) {
    ch.hk = st.col_blob(0);
    ch.rk = st.col_blob(1);
    ch.new_item = st.col_null(2) ? std::nullopt : std::optional<std::string>(st.col_text(2));
    ch.at_ms = st.col_int(3);
    ch.old_item = st.col_null(4) ? std::nullopt : std::optional<std::string>(st.col_text(4));
    if (ch.old_item == ch.new_item) continue;  // written and put back as it was
    visit(ch);
  }
  st.reset();
}

}  // namespace localaws::ddb::store
