#include "dynamodb/expressions.h"

#include <set>

#include "dynamodb/expr/resolve.h"
#include "dynamodb/params.h"
#include "dynamodb/value.h"

namespace localaws::ddb {
namespace {
using namespace expr;

template <typename F>
auto with_prefix(const char* what, F&& f) {
  try {
    return f();
  } catch (const ExprError& e) {
    throw DdbError::validation(std::string("Invalid ") + what + ": " + e.what());
  }
}

Operand path_operand(const std::string& name) {
  Operand o;
  o.kind = Operand::Kind::kPath;
  o.path.elems.push_back({name, -1});
  return o;
}

Operand value_operand(json v) {
  Operand o;
  o.kind = Operand::Kind::kValue;
  o.value = std::move(v);
  return o;
}

Condition function(const char* name, std::vector<Operand> args) {
  Condition c;
  c.kind = Condition::Kind::kFunction;
  c.op = name;
  c.operands = std::move(args);
  return c;
}

Condition combine(Condition::Kind kind, Condition a, Condition b) {
  Condition c;
  c.kind = kind;
  c.children.push_back(std::move(a));
  c.children.push_back(std::move(b));
  return c;
}

json* opt_object_or_array(json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) return nullptr;
  if (!it->is_array()) throw DdbError::serialization("Unexpected value type in payload");
  return &*it;
}

[[noreturn]] void invalid(const std::string& what) {
  throw DdbError::validation("One or more parameter values were invalid: " + what);
}

// The AttributeValue types a legacy ComparisonOperator accepts: EQ and NE take any; ordering,
// CONTAINS, IN and BETWEEN only scalars (S, N, B); BEGINS_WITH only S and B. BETWEEN and IN
// operands must share one type. Wrong types are a ValidationException before any read.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Condition.html
void check_operand_types(const std::string& op, const std::vector<Operand>& args) {
  if (op == "EQ" || op == "NE") return;
  const bool prefix = op == "BEGINS_WITH";
  for (auto& a : args) {
    const std::string& t = value_type(a.value);
    if (t == "S" || t == "B" || (t == "N" && !prefix)) continue;
    invalid("ComparisonOperator " + op + " is not valid for " + t + " AttributeValue type");
  }
  if (op == "BETWEEN" || op == "IN")
    for (auto& a : args)
      if (value_type(a.value) != value_type(args[0].value))
        invalid("AttributeValues inside AttributeValueList must be of same type");
  if (op == "BETWEEN" && compare_values(args[0].value, args[1].value).value_or(0) > 0)
    invalid("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
}

// One entry of the legacy Expected map as a condition on attribute `name`.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.Expected.html
Condition expected_entry(const std::string& name, json& e) {
  if (!e.is_object()) throw DdbError::serialization("Unexpected value type in payload");
  json* value = opt_object(e, "Value");
  auto exists = opt_bool(e, "Exists");
  const std::string* op = opt_string(e, "ComparisonOperator");
  json* list = opt_object_or_array(e, "AttributeValueList");
  if (value) validate_value(*value);
  if (op) {
    if (value || exists) invalid("Value or Exists cannot be used with ComparisonOperator for Attribute: " + name);
    std::vector<Operand> args;
    if (list)
      for (auto& v : *list) {
        validate_value(v);  // in place, before any copy
        args.push_back(value_operand(v));
      }
    auto need = [&](size_t n) {
      if (args.size() != n) invalid("Invalid number of argument(s) for the " + *op + " ComparisonOperator");
      check_operand_types(*op, args);
    };
    auto cmp = [&](const char* sym) {
      need(1);
      Condition c;
      c.kind = Condition::Kind::kCompare;
      c.op = sym;
      c.operands = {path_operand(name), args[0]};
      return c;
    };
    if (*op == "EQ") return cmp("=");
    if (*op == "NE") return cmp("<>");
    if (*op == "LT") return cmp("<");
    if (*op == "LE") return cmp("<=");
    if (*op == "GT") return cmp(">");
    if (*op == "GE") return cmp(">=");
    if (*op == "NOT_NULL") return need(0), function("attribute_exists", {path_operand(name)});
    if (*op == "NULL") return need(0), function("attribute_not_exists", {path_operand(name)});
    if (*op == "CONTAINS") return need(1), function("contains", {path_operand(name), args[0]});
    if (*op == "BEGINS_WITH") return need(1), function("begins_with", {path_operand(name), args[0]});
    if (*op == "NOT_CONTAINS") {
      need(1);
      Condition n;
      n.kind = Condition::Kind::kNot;
      n.children.push_back(function("contains", {path_operand(name), args[0]}));
      return combine(Condition::Kind::kAnd, function("attribute_exists", {path_operand(name)}), std::move(n));
    }
    if (*op == "IN" || *op == "BETWEEN") {
      if (*op == "BETWEEN") need(2);
      else if (args.empty()) invalid("Invalid number of argument(s) for the IN ComparisonOperator");
      else check_operand_types(*op, args);
      Condition c;
      c.kind = *op == "IN" ? Condition::Kind::kIn : Condition::Kind::kBetween;
      c.operands.push_back(path_operand(name));
      for (auto& a : args) c.operands.push_back(a);
      return c;
    }
    throw DdbError::constraint(*op, "expected." + name + ".member.comparisonOperator",
                               "Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, "
                               "NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
  }
  if (exists.value_or(true)) {
    if (!value) invalid("Exists is set to TRUE for attribute (" + name + "), Value must also be set");
    Condition c;
    c.kind = Condition::Kind::kCompare;
    c.op = "=";
    c.operands = {path_operand(name), value_operand(*value)};
    return c;
  }
  if (value) invalid("Value cannot be used when Exists is false for attribute (" + name + ")");
  return function("attribute_not_exists", {path_operand(name)});
}

// Expected, KeyConditions, QueryFilter and ScanFilter share one shape; entries are combined with
// ConditionalOperator (KeyConditions always with AND).
Condition legacy_expected(json& expected, json& in, bool always_and = false) {
  if (!expected.is_object()) throw DdbError::serialization("Unexpected value type in payload");
  std::string op = always_and ? "AND" : enum_param(in, "ConditionalOperator", "conditionalOperator", {"AND", "OR"}, "AND");
  std::optional<Condition> all;
  for (auto& [name, e] : expected.items()) {
    Condition c = expected_entry(name, e);
    all = all ? combine(op == "AND" ? Condition::Kind::kAnd : Condition::Kind::kOr, std::move(*all), std::move(c)) : std::move(c);
  }
  if (!all) return function("attribute_not_exists", {});  // unreachable: callers skip empty maps
  return std::move(*all);
}

// Legacy AttributeUpdates: {"attr": {"Action": "PUT" | "ADD" | "DELETE", "Value": v}}.
UpdateExpr legacy_updates(json& updates) {
  if (!updates.is_object()) throw DdbError::serialization("Unexpected value type in payload");
  UpdateExpr u;
  for (auto& [name, e] : updates.items()) {
    if (!e.is_object()) throw DdbError::serialization("Unexpected value type in payload");
    std::string field = "attributeUpdates." + name + ".member.action";
    std::string action = enum_param(e, "Action", field.c_str(), {"ADD", "PUT", "DELETE"}, "PUT");
    json* value = opt_object(e, "Value");
    if (value) validate_value(*value);
    UpdateAction a{UpdateAction::Kind::kSet, path_operand(name).path, {}};
    const std::string type = value ? value_type(*value) : "";
    bool is_set = type == "SS" || type == "NS" || type == "BS";
    if (action == "PUT") {
      if (!value) invalid("Only DELETE action is allowed when no attribute value is specified");
      a.value = value_operand(*value);
    } else if (action == "DELETE") {
      if (!value) {
        a.kind = UpdateAction::Kind::kRemove;
      } else {
        if (!is_set) invalid("DELETE action with value is not supported for the type " + type);
        a.kind = UpdateAction::Kind::kDelete;
        a.value = value_operand(*value);
      }
    } else {  // ADD
      if (!value) invalid("Only DELETE action is allowed when no attribute value is specified");
      if (type == "L") {
        // Legacy ADD appends to a list: list_append(if_not_exists(a, []), v).
        Operand empty = value_operand(json{{"L", json::array()}});
        Operand ine;
        ine.kind = Operand::Kind::kFunction;
        ine.func = "if_not_exists";
        ine.args = {path_operand(name), empty};
        a.value.kind = Operand::Kind::kFunction;
        a.value.func = "list_append";
        a.value.args = {ine, value_operand(*value)};
      } else {
        if (type != "N" && !is_set) invalid("ADD action is not supported for the type " + type);
        a.kind = UpdateAction::Kind::kAdd;
        a.value = value_operand(*value);
      }
    }
    u.actions.push_back(std::move(a));
  }
  return u;
}

bool present(const json& in, const char* key) {
  auto it = in.find(key);
  return it != in.end() && !it->is_null();
}

}  // namespace

RequestExpressions compile_expressions(json& in, unsigned allowed) {
  RequestExpressions out;
  const std::string* cond = (allowed & kCondition) ? opt_string(in, "ConditionExpression") : nullptr;
  const std::string* upd = (allowed & kUpdate) ? opt_string(in, "UpdateExpression") : nullptr;
  const std::string* proj = (allowed & kProjection) ? opt_string(in, "ProjectionExpression") : nullptr;
  const std::string* kce = (allowed & kKeyCondition) ? opt_string(in, "KeyConditionExpression") : nullptr;
  const std::string* filt = (allowed & (kQueryFilter | kScanFilter)) ? opt_string(in, "FilterExpression") : nullptr;
  const char* legacy_filter = (allowed & kQueryFilter) ? "QueryFilter" : "ScanFilter";

  // Expression and legacy parameters cannot be mixed.
  std::string legacy, modern;
  auto note = [](std::string& s, const char* name) { s += (s.empty() ? "" : ", ") + std::string(name); };
  if ((allowed & kCondition) && present(in, "Expected")) note(legacy, "Expected");
  if ((allowed & kUpdate) && present(in, "AttributeUpdates")) note(legacy, "AttributeUpdates");
  if ((allowed & kProjection) && present(in, "AttributesToGet")) note(legacy, "AttributesToGet");
  if (cond) note(modern, "ConditionExpression");
  if (upd) note(modern, "UpdateExpression");
  if ((allowed & kKeyCondition) && present(in, "KeyConditions")) note(legacy, "KeyConditions");
  if ((allowed & (kQueryFilter | kScanFilter)) && present(in, legacy_filter)) note(legacy, legacy_filter);
  if (proj) note(modern, "ProjectionExpression");
  if (kce) note(modern, "KeyConditionExpression");
  if (filt) note(modern, "FilterExpression");
  if (!legacy.empty() && !modern.empty())
    throw DdbError::validation("Can not use both expression and non-expression parameters in the same request: "
                               "Non-expression parameters: {" + legacy + "} Expression parameters: {" + modern + "}");

  json* names = opt_object(in, "ExpressionAttributeNames");
  json* values = opt_object(in, "ExpressionAttributeValues");
  if (names) {
    if (modern.empty()) throw DdbError::validation("ExpressionAttributeNames can only be specified when using expressions");
    if (names->empty()) throw DdbError::validation("ExpressionAttributeNames must not be empty");
    for (auto& [k, v] : names->items()) {
      if (k.size() < 2 || k[0] != '#') throw DdbError::validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + k + "\"");
      if (!v.is_string()) throw DdbError::serialization("Unexpected value type in payload");
      if (v.get_ref<const std::string&>().empty())
        throw DdbError::validation("ExpressionAttributeNames contains invalid value: Empty attribute name for key " + k);
      check_attribute_name(v.get_ref<const std::string&>());
    }
  }
  if (values) {
    if (!cond && !upd && !kce && !filt)
      throw DdbError::validation("ExpressionAttributeValues can only be specified when using expressions: " +
                                 std::string((allowed & kUpdate) ? "UpdateExpression and ConditionExpression are null"
                                             : (allowed & kCondition) ? "ConditionExpression is null"
                                                                      : "KeyConditionExpression and FilterExpression are null"));
    if (values->empty()) throw DdbError::validation("ExpressionAttributeValues must not be empty");
    for (auto& [k, v] : values->items()) {
      if (k.size() < 2 || k[0] != ':') throw DdbError::validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + k + "\"");
      try {
        validate_value(v);
      } catch (const DdbError& e) {
        if (e.type() != "ValidationException") throw;
        throw DdbError::validation("ExpressionAttributeValues contains invalid value: " + e.message() + " for key " + k);
      }
    }
  }

  // Parse everything first, then resolve, so that syntax errors win as on AWS.
  if (cond) out.condition = with_prefix("ConditionExpression", [&] { return parse_condition(*cond); });
  if (upd) out.update = with_prefix("UpdateExpression", [&] { return parse_update(*upd); });
  if (proj) out.projection = with_prefix("ProjectionExpression", [&] { return parse_projection(*proj); });
  if (kce) out.key_condition = with_prefix("KeyConditionExpression", [&] { return parse_condition(*kce); });
  if (filt) out.filter = with_prefix("FilterExpression", [&] { return parse_condition(*filt); });
  Resolver r(names, values);
  if (out.condition) with_prefix("ConditionExpression", [&] { r.resolve(*out.condition); });
  if (out.update) with_prefix("UpdateExpression", [&] { r.resolve(*out.update); });
  if (out.projection) with_prefix("ProjectionExpression", [&] { r.resolve(*out.projection); });
  if (out.key_condition) with_prefix("KeyConditionExpression", [&] { r.resolve(*out.key_condition); });
  if (out.filter) with_prefix("FilterExpression", [&] { r.resolve(*out.filter); });
  r.check_all_used();

  if (!out.condition && (allowed & kCondition)) {
    if (json* exp = opt_object(in, "Expected"); exp && !exp->empty()) out.condition = legacy_expected(*exp, in);
  }
  if (!out.key_condition && (allowed & kKeyCondition)) {
    if (json* kc = opt_object(in, "KeyConditions"); kc && !kc->empty()) out.key_condition = legacy_expected(*kc, in, true);
  }
  if (!out.filter && (allowed & (kQueryFilter | kScanFilter))) {
    if (json* f = opt_object(in, legacy_filter); f && !f->empty()) out.filter = legacy_expected(*f, in);
  }
  if (!out.update && (allowed & kUpdate)) {
    if (json* au = opt_object(in, "AttributeUpdates"); au && !au->empty()) out.update = legacy_updates(*au);
  }
  if (!out.projection && (allowed & kProjection)) {
    if (const json* atg = opt_array(in, "AttributesToGet")) {
      std::vector<Path> paths;
      std::set<std::string> seen;
      for (auto& a : *atg) {
        if (!a.is_string()) throw DdbError::serialization("Unexpected value type in payload");
        const std::string& name = a.get_ref<const std::string&>();
        check_attribute_name(name);
        if (!seen.insert(name).second) invalid("Duplicate value in attribute name: " + name);
        paths.push_back(Path{{PathElem{name, -1}}});
      }
      if (paths.empty()) throw DdbError::constraint("[]", "attributesToGet", "Member must have length greater than or equal to 1");
      out.projection = std::move(paths);
    }
  }
  return out;
}

}  // namespace localaws::ddb
