// Secondary indexes (GSI and LSI): their definitions, and the rows an item contributes to them.
// Index rows live in ddb_index_items beside the item and are written in the same transaction
// (store::put_item / delete_item), so an index never disagrees with its table.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/store.h"

namespace localaws::ddb {

struct KeyAttr {
  std::string name, type;
};

struct IndexDef {
  std::string name;
  bool global = true;
  // The first partition and sort attributes (all of them for a single-attribute key).
  std::string hash_key, hash_type, range_key, range_type;
  // Every key attribute in KeySchema order: a GSI may have up to four of each (composite_key.h).
  std::vector<KeyAttr> hash_attrs, range_attrs;
  std::string projection;            // ALL, KEYS_ONLY, INCLUDE
  std::vector<std::string> include;  // INCLUDE's NonKeyAttributes
  // The index seen as a table for key-condition analysis (keys and types; same name and id).
  Table as_table(const Table& base) const;
  // More than one partition or sort attribute.
  bool multi_attribute() const { return hash_attrs.size() > 1 || range_attrs.size() > 1; }
  // The key bytes of one side (ihk / irk): plain key_bytes for one attribute, the composite key
  // for several, "" for no sort key. `values` holds every attribute of the side, of its type.
  static std::string side_bytes(const std::vector<KeyAttr>& attrs, const json& values);
};

std::vector<IndexDef> index_defs(const Table& t);
std::optional<IndexDef> find_index(const Table& t, const std::string& name);

// The index rows of `item` (key-validated: an index key of the wrong type or an empty one is a
// ValidationException naming the index). Items lacking an index's key attributes are not in it.
std::vector<IndexRow> index_rows(const Table& t, const json& item);

}  // namespace localaws::ddb
