// DynamoDB's PartiQL subset as a small AST: what parser.cc produces and translate.cc turns into
// the equivalent Query / Scan / GetItem / PutItem / UpdateItem / DeleteItem request, so every
// statement is evaluated by the expression engine (expr/) and written through store::put_item /
// delete_item like any other request.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb/expr/ast.h"

namespace localaws::ddb::partiql {

using json = nlohmann::json;

// A value: a document path, a literal AttributeValue (parameters are substituted while parsing),
// a function call (size, list_append, set_add, set_delete, if_not_exists) or + / -.
struct Expr {
  enum class Kind { kPath, kValue, kFunction, kPlus, kMinus };
  Kind kind = Kind::kPath;
  expr::Path path;         // kPath (names as written, never #refs)
  json value;              // kValue: a wire-format AttributeValue
  std::string func;        // kFunction: lower-case name
  std::vector<Expr> args;  // kFunction arguments; kPlus / kMinus: the two sides
};

struct Cond {
  enum class Kind { kCompare, kBetween, kIn, kAnd, kOr, kNot, kFunction, kMissing, kNotMissing };
  Kind kind = Kind::kCompare;
  std::string op;              // kCompare: = <> < <= > >=; kFunction: lower-case name
  std::vector<Expr> operands;  // compare: 2; between: 3; in: 1 + list; function: arguments; missing: 1
  std::vector<Cond> children;  // and / or: 2; not: 1
};

struct SetAction {
  expr::Path path;
  Expr value;
};

struct Statement {
  enum class Kind { kSelect, kInsert, kUpdate, kDelete };
  Kind kind = Kind::kSelect;
  std::string table;
  std::string index;                    // SELECT ... FROM "table"."index"
  std::vector<expr::Path> projection;   // SELECT a, b.c (empty: *)
  std::optional<Cond> where;
  std::optional<expr::Path> order_by;   // SELECT ... ORDER BY key [ASC | DESC]
  bool descending = false;
  json item;                            // INSERT: the VALUE map, as a DynamoDB item
  std::vector<SetAction> sets;          // UPDATE ... SET
  std::vector<expr::Path> removes;      // UPDATE ... REMOVE
};

// Parses one statement, substituting `?` with `params` (AttributeValues, in order; validated by
// the caller). Throws DdbError (ValidationException "Statement wasn't well formed, can't be
// processed: ...", or the parameter count mismatch).
Statement parse(std::string_view text, const json& params);

}  // namespace localaws::ddb::partiql
