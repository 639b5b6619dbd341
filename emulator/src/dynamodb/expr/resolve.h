// Stage two: replaces #names and :values with ExpressionAttributeNames / Values, records which
// were used, and checks what can be checked without the item (constant operand types).
#pragma once
#include <set>

#include "dynamodb/expr/ast.h"

namespace localaws::ddb::expr {

class Resolver {
 public:
  // names / values: the request's maps, or nullptr when absent. values must be validated already.
  Resolver(const json* names, const json* values) : names_(names), values_(values) {}

  // Each throws ExprError (the caller adds "Invalid XExpression: ").
  void resolve(Condition& c);
  void resolve(UpdateExpr& u);  // also rejects overlapping / conflicting paths and bad operand types
  void resolve(std::vector<Path>& projection);  // also rejects overlapping paths

  // Throws DdbError for names or values no expression used ("Value provided in
  // ExpressionAttributeValues unused in expressions: keys: {:x}").
  void check_all_used() const;

 private:
  void resolve(Path& p);
  void resolve(Operand& o);
  const json* names_;
  const json* values_;
  std::set<std::string> used_names_, used_values_;
};

// Throws ExprError naming the first pair of paths that overlap (one is a prefix of the other)
// or conflict (one indexes a list where the other names a map key).
void check_paths_disjoint(const std::vector<const Path*>& paths);

}  // namespace localaws::ddb::expr
