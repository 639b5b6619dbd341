// Stage three: evaluation of resolved expressions against an item (a map of name ->
// AttributeValue in wire format).
#pragma once
#include <optional>
#include <vector>

#include "dynamodb/expr/ast.h"

namespace localaws::ddb::expr {

// The value a document path designates, or nullptr.
const json* lookup(const json& item, const Path& p);
json* lookup_mut(json& item, const Path& p);

// True when the item satisfies the condition. A missing item is an empty map.
bool evaluate(const Condition& c, const json& item);

// The item reduced to the given paths, nested as in the item (list elements keep their order,
// compacted), as ProjectionExpression and UPDATED_OLD / UPDATED_NEW return it.
json project(const json& item, const std::vector<Path>& paths);

}  // namespace localaws::ddb::expr
