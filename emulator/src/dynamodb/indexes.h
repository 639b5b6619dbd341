// Secondary indexes (GSI and LSI): their definitions, and the rows an item contributes to them.
// Index rows live in ddb_index_items beside the item and are written in the same transaction
// (store::put_item / delete_item), so an index never disagrees with its table.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/store.h"

namespace localaws::ddb {

struct IndexDef {
  std::string name;
  bool global = true;
  std::string hash_key, hash_type, range_key, range_type;
  std::string projection;            // ALL, KEYS_ONLY, INCLUDE
  std::vector<std::string> include;  // INCLUDE's NonKeyAttributes
  // The index seen as a table for key-condition analysis (keys and types; same name and id).
  Table as_table(const Table& base) const;
};

std::vector<IndexDef> index_defs(const Table& t);
std::optional<IndexDef> find_index(const Table& t, const std::string& name);

// The index rows of `item` (key-validated: an index key of the wrong type or an empty one is a
// ValidationException naming the index). Items lacking an index's key attributes are not in it.
std::vector<IndexRow> index_rows(const Table& t, const json& item);

}  // namespace localaws::ddb
