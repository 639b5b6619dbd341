// The expression language's small AST, produced by parser.cc, resolved by resolve.cc and
// evaluated by eval.cc / update.cc. Stage one (parsing) knows nothing of ExpressionAttributeNames
// or Values: `#n` and `:v` stay references until resolution.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
#pragma once
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace localaws::ddb::expr {

using json = nlohmann::json;

// A problem with an expression, without the "Invalid XExpression: " prefix that the caller adds
// (the same parser serves Condition, Update, Projection, Filter and KeyCondition expressions).
struct ExprError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PathElem {
  std::string name;  // an attribute / map key (or "#ref" before resolution); empty for an index
  int index = -1;    // list index when >= 0
  bool is_index() const { return index >= 0; }
};

struct Path {
  std::vector<PathElem> elems;  // never empty
  // "[a, b, [2]]": how AWS prints document paths in its messages.
  std::string to_string() const;
};

struct Operand {
  enum class Kind { kPath, kValue, kFunction, kPlus, kMinus };
  Kind kind = Kind::kPath;
  Path path;              // kPath
  std::string value_ref;  // kValue: ":v"
  json value;             // kValue, after resolution
  std::string func;       // kFunction: name as written (size, if_not_exists, list_append ...)
  std::vector<Operand> args;  // kFunction arguments; kPlus / kMinus: the two sides
};

struct Condition {
  enum class Kind { kCompare, kBetween, kIn, kAnd, kOr, kNot, kFunction };
  Kind kind = Kind::kCompare;
  std::string op;                 // kCompare: = <> < <= > >=; kFunction: its name
  std::vector<Operand> operands;  // compare: 2; between: 3; in: 1 + list; function: its arguments
  std::vector<Condition> children;  // and / or: 2; not: 1
};

struct UpdateAction {
  enum class Kind { kSet, kRemove, kAdd, kDelete };
  Kind kind;
  Path path;
  Operand value;  // SET / ADD / DELETE
};

struct UpdateExpr {
  std::vector<UpdateAction> actions;
};

// Parsers. Throw ExprError with AWS's wording ("Syntax error; token: \"x\", near: \"a x b\"",
// "Attribute name is a reserved keyword; reserved keyword: status", "The expression can not be
// empty;", ...). They check grammar and function names/arity only; types come later.
Condition parse_condition(std::string_view text);
UpdateExpr parse_update(std::string_view text);
std::vector<Path> parse_projection(std::string_view text);

bool is_reserved_word(std::string_view word);

}  // namespace localaws::ddb::expr
