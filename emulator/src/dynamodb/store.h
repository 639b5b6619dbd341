// The DynamoDB service's SQLite schema and queries. It knows tables and items as rows; AWS rules
// live in the handlers.
//
//   ddb_tables(account, region, name) -> table_id, meta (JSON: the stored parts of the
//                                        TableDescription, tags)
//   ddb_items(table_id, hk, rk)        -> item (JSON wire format), size
// hk / rk are the order-preserving key bytes (value.h key_bytes; rk is empty for hash-only
// tables), so ORDER BY hk, rk is DynamoDB's order and a Query is a range scan of the primary key.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/context.h"

namespace localaws::ddb {

struct Table {
  std::string name;
  std::string id;
  json meta;
  std::string hash_key, hash_type;    // attribute name and "S" / "N" / "B"
  std::string range_key, range_type;  // empty for hash-only tables
  bool has_lsi() const { return meta.contains("LocalSecondaryIndexes"); }
};

struct ItemKey {
  std::string hk, rk;
};

// One item's entry in one secondary index.
struct IndexRow {
  std::string index;
  std::string ihk, irk;  // the index's key bytes (irk empty when the index has no range key)
  json item;             // the projected attributes
};

namespace store {

void migrate(storage::Database& db);

// Every table (of every account and region) whose metadata has that top-level member.
std::vector<Table> tables_with_member(storage::Connection& c, const std::string& member);
// Every table (of every account and region) whose metadata says time to live is enabled.
std::vector<Table> tables_with_ttl(storage::Connection& c);
// The table with that id (any account and region), as it is now.
std::optional<Table> find_table_by_id(storage::Connection& c, const std::string& table_id);
std::optional<Table> find_table(storage::Connection& c, const Ctx& ctx, const std::string& name);
// The table as shared by the table cache (no copy: item requests only read it); throws
// ResourceNotFoundException when missing.
std::shared_ptr<const Table> must_find_shared_table(storage::Connection& c, const Ctx& ctx, const std::string& name);
// Throws ResourceNotFoundException with `message` when missing.
Table must_find_table(storage::Connection& c, const Ctx& ctx, const std::string& name,
                      const char* message = "Requested resource not found");
// False when a table of that name already exists.
bool insert_table(storage::Connection& c, const Ctx& ctx, const Table& t);
void save_meta(storage::Connection& c, const Table& t);
void drop_table(storage::Connection& c, const Table& t);
// Up to `limit` names after `after` (exclusive), in name order.
std::vector<std::string> table_names(storage::Connection& c, const Ctx& ctx, const std::string& after, int limit);
struct Stats {
  int64_t items = 0;
  int64_t bytes = 0;
};
Stats table_stats(storage::Connection& c, const Table& t);

std::optional<json> get_item(storage::Connection& c, const Table& t, const ItemKey& k);
// The item as stored (its DynamoDB JSON, as json::dump writes it) and its size, unparsed.
struct StoredItem {
  std::string text;
  size_t size = 0;
};
std::optional<StoredItem> get_item_text(storage::Connection& c, const Table& t, const ItemKey& k);
// Writes the item and replaces its secondary index rows (indexes.h), in the caller's transaction.
// put_item and delete_item are where every write path commits an item change: they also write
// the stream record (streams.h) when the table's stream is enabled.
// Throws DdbError when the item's index keys are invalid; the transaction then rolls back.
void put_item(storage::Connection& c, const Table& t, const ItemKey& k, const json& item, size_t size);
// by_ttl: a time-to-live deletion (its stream record names the DynamoDB service).
void delete_item(storage::Connection& c, const Table& t, const ItemKey& k, bool by_ttl = false);
Stats index_stats(storage::Connection& c, const Table& t, const std::string& index);
void put_index_row(storage::Connection& c, const Table& t, const ItemKey& k, const IndexRow& r);
void drop_index(storage::Connection& c, const Table& t, const std::string& index);
// Bounds on the range key bytes of a partition read; absent bounds are open.
struct KeyRange {
  std::optional<std::string> lo, hi;
  bool lo_inclusive = true, hi_inclusive = true;
};
struct Row {
  std::string hk, rk;
  std::string item;  // JSON text
  int64_t size = 0;
};
// The rows of one partition within `range`, in range key order (descending unless forward).
// Calls visit(row) until it returns false. Seeks: cost is independent of the rows before `range`.
template <typename F>
void read_partition(storage::Connection& c, const Table& t, const std::string& hk, const KeyRange& range,
                    bool forward, F&& visit);
// Every row of the table after `after` (exclusive; from the start when absent), in key order.
template <typename F>
void read_table(storage::Connection& c, const Table& t, const std::optional<ItemKey>& after, F&& visit);

// Index reads. An index position is (ihk, irk, hk, rk): index keys are not unique, the table key
// breaks ties. Rows carry the projected item; Row::hk / rk are the table key.
struct IndexPos {
  std::string ihk, irk, hk, rk;
};
template <typename F>
void read_index_partition(storage::Connection& c, const Table& t, const std::string& index, const std::string& ihk,
                          const KeyRange& range, bool forward, const std::optional<IndexPos>& after, F&& visit);
template <typename F>
void read_index(storage::Connection& c, const Table& t, const std::string& index, const std::optional<IndexPos>& after,
                F&& visit);

// Total size of the items sharing a hash key (ItemCollectionMetrics).
int64_t collection_bytes(storage::Connection& c, const Table& t, const std::string& hk);

namespace detail {
storage::Statement& partition_statement(storage::Connection& c, const Table& t, const std::string& hk,
                                        const KeyRange& range, bool forward);
storage::Statement& table_statement(storage::Connection& c, const Table& t, const std::optional<ItemKey>& after);
storage::Statement& index_partition_statement(storage::Connection& c, const Table& t, const std::string& index,
                                              const std::string& ihk, const KeyRange& range, bool forward,
                                              const std::optional<IndexPos>& after);
storage::Statement& index_statement(storage::Connection& c, const Table& t, const std::string& index,
                                    const std::optional<IndexPos>& after);
template <typename F>
void visit_rows(storage::Statement& st, bool with_hk, F&& visit) {
  Row row;
  int col = 0;
  while (st.step()) {
    col = 0;
    if (with_hk) row.hk = st.col_blob(col++);
    row.rk = st.col_blob(col++);
    row.item = st.col_text(col++);
    row.size = st.col_int(col);
    if (!visit(row)) break;
  }
  st.reset();  // release the read position (see store.cc)
}
}  // namespace detail

template <typename F>
void read_partition(storage::Connection& c, const Table& t, const std::string& hk, const KeyRange& range,
                    bool forward, F&& visit) {
  detail::visit_rows(detail::partition_statement(c, t, hk, range, forward), false, visit);
}

template <typename F>
void read_table(storage::Connection& c, const Table& t, const std::optional<ItemKey>& after, F&& visit) {
  detail::visit_rows(detail::table_statement(c, t, after), true, visit);
}

template <typename F>
void read_index_partition(storage::Connection& c, const Table& t, const std::string& index, const std::string& ihk,
                          const KeyRange& range, bool forward, const std::optional<IndexPos>& after, F&& visit) {
  detail::visit_rows(detail::index_partition_statement(c, t, index, ihk, range, forward, after), true, visit);
}

template <typename F>
void read_index(storage::Connection& c, const Table& t, const std::string& index, const std::optional<IndexPos>& after,
                F&& visit) {
  detail::visit_rows(detail::index_statement(c, t, index, after), true, visit);
}

}  // namespace store
}  // namespace localaws::ddb
