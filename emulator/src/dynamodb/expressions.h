// The boundary between requests and the expression pipeline: reads ConditionExpression,
// UpdateExpression, ProjectionExpression, ExpressionAttributeNames/Values and their legacy
// equivalents (Expected, AttributeUpdates, AttributesToGet), parses and resolves them, and turns
// every ExprError into AWS's ValidationException ("Invalid ConditionExpression: ...").
#pragma once
#include <optional>
#include <vector>

#include "dynamodb/expr/ast.h"
#include "dynamodb/error.h"

namespace localaws::ddb {

struct RequestExpressions {
  std::optional<expr::Condition> condition;
  std::optional<expr::UpdateExpr> update;
  std::optional<std::vector<expr::Path>> projection;
};

enum ExprParam : unsigned {
  kCondition = 1,   // ConditionExpression / Expected
  kUpdate = 2,      // UpdateExpression / AttributeUpdates
  kProjection = 4,  // ProjectionExpression / AttributesToGet
};

// Compiles the expressions `allowed` for this operation. Throws DdbError.
RequestExpressions compile_expressions(json& in, unsigned allowed);

}  // namespace localaws::ddb
