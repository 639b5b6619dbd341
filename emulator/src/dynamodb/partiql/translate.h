// A parsed statement as the equivalent DynamoDB request: the body a Query, Scan, GetItem, PutItem,
// UpdateItem or DeleteItem handler takes (names as ExpressionAttributeNames #n0.., values as
// ExpressionAttributeValues :v0..), so statements run through the existing operations.
#pragma once
#include "dynamodb/partiql/ast.h"
#include "dynamodb/store.h"

namespace localaws::ddb::partiql {

struct Request {
  enum class Op { kQuery, kScan, kGet, kPut, kUpdate, kDelete };
  Op op = Op::kScan;
  json body = json::object();
};

// SELECT: a Query when the WHERE clause has an equality on the (index's) partition key, a Scan
// otherwise; with single_item (BatchExecuteStatement, ExecuteTransaction) a GetItem, which needs
// exactly an equality on every key attribute. INSERT: a PutItem that fails when the key exists.
// UPDATE / DELETE: the full key from the WHERE clause, the rest of it as ConditionExpression.
// Throws DdbError (ValidationException) for statements DynamoDB rejects.
Request translate(const Statement& st, const Table& t, bool single_item = false);

}  // namespace localaws::ddb::partiql
