// Helpers shared by the item operations (items.cc), transactions and batch operations.
#pragma once
#include <vector>

#include "dynamodb/expr/ast.h"
#include "dynamodb/store.h"

namespace localaws::ddb {

// The key of a Key parameter: exactly the schema's attributes, of the schema's types.
ItemKey key_from_key(const Table& t, const json& key);
// The key of a whole item (PutItem): AWS's "Missing the key" / "Type mismatch" messages.
ItemKey key_from_item(const Table& t, const json& item);
// The key attributes of an item, as a Key map.
json key_attributes(const Table& t, const json& item);

// Capacity units: writes 1 per KB, strongly consistent reads 1 per 4 KB, eventually consistent
// reads half of that; always at least one unit (or half).
double write_units(size_t bytes);
double read_units(size_t bytes, bool consistent);

// A required attribute map member (Item, Key), validated in place.
json& require_map(json& in, const char* key, const char* field);

// The paths an update touches (for UPDATED_OLD / UPDATED_NEW); rejects updates of key attributes.
std::vector<expr::Path> updated_paths(const Table& t, const expr::UpdateExpr& u);

}  // namespace localaws::ddb
