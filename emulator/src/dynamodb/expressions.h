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
  std::optional<expr::Condition> key_condition;
  std::optional<expr::Condition> filter;
};

enum ExprParam : unsigned {
  kCondition = 1,   // ConditionExpression / Expected
  kUpdate = 2,      // UpdateExpression / AttributeUpdates
  kProjection = 4,  // ProjectionExpression / AttributesToGet
  kKeyCondition = 8,  // KeyConditionExpression / KeyConditions
  kQueryFilter = 16,  // FilterExpression / QueryFilter
  kScanFilter = 32,   // FilterExpression / ScanFilter
};

// Compiles the expressions `allowed` for this operation. Throws DdbError.
RequestExpressions compile_expressions(json& in, unsigned allowed);

}  // namespace localaws::ddb
