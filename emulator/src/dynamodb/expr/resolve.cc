#include "dynamodb/expr/resolve.h"

#include "dynamodb/error.h"
#include "dynamodb/value.h"

namespace localaws::ddb::expr {
namespace {

const std::string& type_of(const Operand& o) {
  static const std::string kNone;
  return o.kind == Operand::Kind::kValue ? value_type(o.value) : kNone;
}

[[noreturn]] void bad_operand(const std::string& fn, const std::string& type) {
  throw ExprError("Incorrect operand type for operator or function; operator or function: " + fn +
                  ", operand type: " + type);
}

// Names AWS uses for types in ADD / DELETE messages.
std::string long_type_name(const std::string& t) {
  if (t == "S") return "STRING";
  if (t == "N") return "NUMBER";
  if (t == "B") return "BINARY";
  if (t == "BOOL") return "BOOLEAN";
  if (t == "L") return "LIST";
  if (t == "M") return "MAP";
  return t;
}

bool is_set(const std::string& t) { return t == "SS" || t == "NS" || t == "BS"; }

// One node (resolve() visits every node).
void check_condition_types(const Condition& c) {
  if (c.kind == Condition::Kind::kFunction) {
    if (c.op == "begins_with") {
      const std::string& t = type_of(c.operands[1]);
      if (!t.empty() && t != "S" && t != "B") bad_operand("begins_with", t);
    } else if (c.op == "attribute_type") {
      const std::string& t = type_of(c.operands[1]);
      static const std::set<std::string> kTypes = {"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"};
      if (c.operands[1].kind != Operand::Kind::kValue) bad_operand("attribute_type", "path");
      if (t != "S") bad_operand("attribute_type", t);
      const std::string& name = c.operands[1].value["S"].get_ref<const std::string&>();
      if (!kTypes.count(name))
        throw ExprError("Invalid attribute type name found; type: " + name + ", valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }");
    }
  } else if (c.kind == Condition::Kind::kBetween) {
    const Operand& lo = c.operands[1];
    const Operand& hi = c.operands[2];
    if (lo.kind == Operand::Kind::kValue && hi.kind == Operand::Kind::kValue) {
      auto cmp = compare_values(lo.value, hi.value);
      if (cmp && *cmp > 0)
        throw ExprError("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                        "lower bound operand: AttributeValue: {" + type_of(lo) + ":" + lo.value.begin()->get<std::string>() +
                        "}, upper bound operand: AttributeValue: {" + type_of(hi) + ":" + hi.value.begin()->get<std::string>() + "}");
    }
  }
}

void check_update_operand(const Operand& o) {
  if (o.kind == Operand::Kind::kPlus || o.kind == Operand::Kind::kMinus) {
    for (auto& a : o.args) {
      const std::string& t = type_of(a);
      if (!t.empty() && t != "N") bad_operand(o.kind == Operand::Kind::kPlus ? "+" : "-", t);
      check_update_operand(a);
    }
  } else if (o.kind == Operand::Kind::kFunction) {
    for (auto& a : o.args) check_update_operand(a);
    if (o.func == "list_append")
      for (auto& a : o.args) {
        const std::string& t = type_of(a);
        if (!t.empty() && t != "L") bad_operand("list_append", t);
      }
  }
}

}  // namespace

void Resolver::resolve(Path& p) {
  for (auto& e : p.elems) {
    if (e.is_index() || e.name.empty() || e.name[0] != '#') continue;
    const json* v = nullptr;
    if (names_) {
      auto it = names_->find(e.name);
      if (it != names_->end()) v = &*it;
    }
    if (!v || !v->is_string())
      throw ExprError("An expression attribute name used in the document path is not defined; attribute name: " + e.name);
    used_names_.insert(e.name);
    e.name = v->get<std::string>();
  }
}

void Resolver::resolve(Operand& o) {
  switch (o.kind) {
    case Operand::Kind::kPath:
      resolve(o.path);
      break;
    case Operand::Kind::kValue: {
      const json* v = nullptr;
      if (values_) {
        auto it = values_->find(o.value_ref);
        if (it != values_->end()) v = &*it;
      }
      if (!v)
        throw ExprError("An expression attribute value used in expression is not defined; attribute value: " + o.value_ref);
      used_values_.insert(o.value_ref);
      o.value = *v;
      break;
    }
    default:
      for (auto& a : o.args) resolve(a);
  }
}

void Resolver::resolve(Condition& c) {
  for (auto& ch : c.children) resolve(ch);
  for (auto& o : c.operands) resolve(o);
  check_condition_types(c);
}

void Resolver::resolve(UpdateExpr& u) {
  std::vector<const Path*> paths;
  for (auto& a : u.actions) {
    resolve(a.path);
    paths.push_back(&a.path);
    if (a.kind == UpdateAction::Kind::kRemove) continue;
    resolve(a.value);
    const std::string& t = type_of(a.value);
    if (a.kind == UpdateAction::Kind::kAdd && t != "N" && !is_set(t))
      throw ExprError("Incorrect operand type for operator or function; operator: ADD, operand type: " + long_type_name(t));
    if (a.kind == UpdateAction::Kind::kDelete && !is_set(t))
      throw ExprError("Incorrect operand type for operator or function; operator: DELETE, operand type: " + long_type_name(t));
    if (a.kind == UpdateAction::Kind::kSet) check_update_operand(a.value);
  }
  check_paths_disjoint(paths);
}

void Resolver::resolve(std::vector<Path>& projection) {
  std::vector<const Path*> paths;
  for (auto& p : projection) {
    resolve(p);
    paths.push_back(&p);
  }
  check_paths_disjoint(paths);
}

void Resolver::check_all_used() const {
  auto unused = [](const json* m, const std::set<std::string>& used) {
    std::string keys;
    if (m)
      for (auto& [k, v] : m->items())
        if (!used.count(k)) keys += (keys.empty() ? "" : ", ") + k;
    return keys;
  };
  std::string v = unused(values_, used_values_);
  if (!v.empty()) throw DdbError::validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + v + "}");
  std::string n = unused(names_, used_names_);
  if (!n.empty()) throw DdbError::validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + n + "}");
}

void check_paths_disjoint(const std::vector<const Path*>& paths) {
  for (size_t i = 0; i < paths.size(); ++i) {
    for (size_t j = i + 1; j < paths.size(); ++j) {
      const auto& a = paths[i]->elems;
      const auto& b = paths[j]->elems;
      size_t k = 0;
      bool differ = false;
      for (; k < a.size() && k < b.size(); ++k) {
        if (a[k].is_index() != b[k].is_index())
          throw ExprError("Two document paths conflict with each other; must remove or rewrite one of these paths; path one: " +
                          paths[i]->to_string() + ", path two: " + paths[j]->to_string());
        if (a[k].name != b[k].name || a[k].index != b[k].index) {
          differ = true;
          break;
        }
      }
      if (!differ)
        throw ExprError("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: " +
                        paths[i]->to_string() + ", path two: " + paths[j]->to_string());
    }
  }
}

}  // namespace localaws::ddb::expr
