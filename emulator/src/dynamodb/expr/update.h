// Applying a resolved UpdateExpression to an item.
#pragma once
#include "dynamodb/expr/ast.h"

namespace localaws::ddb::expr {

// Returns the new item: every right-hand side is evaluated against old_item, then SET, REMOVE,
// ADD and DELETE are applied. Throws DdbError (ValidationException) with AWS's messages for
// runtime problems: missing operands, wrong types, invalid document paths, number limits.
json apply_update(const UpdateExpr& u, const json& old_item);

}  // namespace localaws::ddb::expr
