// PartiQL -> DynamoDB request translation (see translate.h).
#include "dynamodb/partiql/translate.h"

#include <algorithm>
#include <map>

#include "dynamodb/error.h"
#include "dynamodb/indexes.h"

namespace localaws::ddb::partiql {
namespace {

// Writes expression text with every name and value as a placeholder (no reserved-word issues).
class Builder {
 public:
  std::string name(const std::string& n) {
    auto it = names_.find(n);
    if (it != names_.end()) return it->second;
    std::string ref = "#n" + std::to_string(names_.size());
    names_[n] = ref;
    return ref;
  }
  std::string value(const json& v) {
    std::string ref = ":v" + std::to_string(values_.size());
    values_[ref] = v;
    return ref;
  }
  std::string path(const expr::Path& p) {
    std::string out;
    for (auto& e : p.elems) {
      if (e.is_index()) out += "[" + std::to_string(e.index) + "]";
      else out += (out.empty() ? "" : ".") + name(e.name);
    }
    return out;
  }
  std::string operand(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kPath:
        return path(e.path);
      case Expr::Kind::kValue:
        return value(e.value);
      case Expr::Kind::kPlus:
      case Expr::Kind::kMinus:
      {
        std::string a = operand(e.args[0]);  // left to right: placeholders number in reading order
        return a + (e.kind == Expr::Kind::kPlus ? " + " : " - ") + operand(e.args[1]);
      }
      case Expr::Kind::kFunction: {
        std::string out = e.func + "(";
        for (size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + operand(e.args[i]);
        return out + ")";
      }
    }
    return "";
  }
  std::string condition(const Cond& c) {
    switch (c.kind) {
      case Cond::Kind::kCompare:
      {
        std::string a = operand(c.operands[0]);
        return a + " " + c.op + " " + operand(c.operands[1]);
      }
      case Cond::Kind::kBetween:
      {
        std::string a = operand(c.operands[0]);
        std::string lo = operand(c.operands[1]);
        return a + " BETWEEN " + lo + " AND " + operand(c.operands[2]);
      }
      case Cond::Kind::kIn: {
        std::string out = operand(c.operands[0]);
        out += " IN (";
        for (size_t i = 1; i < c.operands.size(); ++i) out += (i > 1 ? ", " : "") + operand(c.operands[i]);
        return out + ")";
      }
      case Cond::Kind::kAnd:
      {
        std::string a = condition(c.children[0]);
        return "(" + a + ") AND (" + condition(c.children[1]) + ")";
      }
      case Cond::Kind::kOr:
      {
        std::string a = condition(c.children[0]);
        return "(" + a + ") OR (" + condition(c.children[1]) + ")";
      }
      case Cond::Kind::kNot:
        return "NOT (" + condition(c.children[0]) + ")";
      case Cond::Kind::kFunction: {
        std::string out = c.op + "(";
        for (size_t i = 0; i < c.operands.size(); ++i) out += (i ? ", " : "") + operand(c.operands[i]);
        return out + ")";
      }
      case Cond::Kind::kMissing:
        return "attribute_not_exists(" + operand(c.operands[0]) + ")";
      case Cond::Kind::kNotMissing:
        return "attribute_exists(" + operand(c.operands[0]) + ")";
    }
    return "";
  }
  std::string conjunction(const std::vector<const Cond*>& parts) {
    std::string out;
    for (const Cond* p : parts) out += (out.empty() ? "(" : " AND (") + condition(*p) + ")";
    return out;
  }
  // Adds ExpressionAttributeNames / Values when any were used.
  void attach(json& body) const {
    if (!names_.empty()) {
      json& n = body["ExpressionAttributeNames"];
      for (auto& [name, ref] : names_) n[ref] = name;
    }
    if (!values_.empty()) body["ExpressionAttributeValues"] = values_;
  }

 private:
  std::map<std::string, std::string> names_;
  json values_ = json::object();
};

void flatten_and(const Cond& c, std::vector<const Cond*>& out) {
  if (c.kind == Cond::Kind::kAnd) {
    flatten_and(c.children[0], out);
    flatten_and(c.children[1], out);
  } else {
    out.push_back(&c);
  }
}

// The attribute a condition's operand names when it is a plain top-level path.
std::string top_name(const Expr& e) {
  if (e.kind != Expr::Kind::kPath || e.path.elems.size() != 1 || e.path.elems[0].is_index()) return "";
  return e.path.elems[0].name;
}

// For "key = value" or "value = key": the key's name and the value.
std::optional<std::pair<std::string, json>> equality(const Cond& c) {
  if (c.kind != Cond::Kind::kCompare || c.op != "=") return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    std::string n = top_name(c.operands[side]);
    const Expr& other = c.operands[1 - side];
    if (!n.empty() && other.kind == Expr::Kind::kValue) return std::pair{n, other.value};
  }
  return std::nullopt;
}

// A condition on the sort key that a KeyConditionExpression can hold.
bool is_sort_key_condition(const Cond& c, const std::string& range_key) {
  if (range_key.empty()) return false;
  auto only_values = [&](size_t from) {
    for (size_t i = from; i < c.operands.size(); ++i)
      if (c.operands[i].kind != Expr::Kind::kValue) return false;
    return true;
  };
  if (c.kind == Cond::Kind::kCompare && c.op != "<>") {
    for (int side = 0; side < 2; ++side)
      if (top_name(c.operands[side]) == range_key && c.operands[1 - side].kind == Expr::Kind::kValue) return true;
    return false;
  }
  if (c.kind == Cond::Kind::kBetween || (c.kind == Cond::Kind::kFunction && c.op == "begins_with"))
    return c.operands.size() >= 2 && top_name(c.operands[0]) == range_key && only_values(1);
  return false;
}

[[noreturn]] void missing_key_equality() {
  throw DdbError::validation("Where clause does not contain a mandatory equality on all key attributes");
}

// Splits a write's (or a single-item read's) WHERE clause into the full key and the rest.
json take_key(const Statement& st, const Table& t, std::vector<const Cond*>& rest) {
  std::vector<const Cond*> parts;
  if (st.where) flatten_and(*st.where, parts);
  json key = json::object();
  for (const Cond* p : parts) {
    auto eq = equality(*p);
    if (eq && (eq->first == t.hash_key || eq->first == t.range_key) && !key.contains(eq->first)) {
      key[eq->first] = eq->second;
    } else {
      rest.push_back(p);
    }
  }
  if (!key.contains(t.hash_key) || (!t.range_key.empty() && !key.contains(t.range_key))) missing_key_equality();
  return key;
}

void add_projection(Builder& b, const Statement& st, json& body) {
  if (st.projection.empty()) return;
  std::string p;
  for (auto& path : st.projection) p += (p.empty() ? "" : ", ") + b.path(path);
  body["ProjectionExpression"] = p;
}

Request select(const Statement& st, const Table& t, bool single_item) {
  Request r;
  Builder b;
  r.body["TableName"] = t.name;
  if (single_item) {
    if (!st.index.empty()) throw DdbError::validation("Reading from an index is not supported in a batch or transaction");
    std::vector<const Cond*> rest;
    r.body["Key"] = take_key(st, t, rest);
    if (!rest.empty()) missing_key_equality();
    r.op = Request::Op::kGet;
    add_projection(b, st, r.body);
    b.attach(r.body);
    return r;
  }
  // The key attributes in KeySchema order: one of each for a table or LSI, up to four of each for a
  // multi-attribute GSI (indexes.h).
  std::vector<std::string> hash_names = {t.hash_key}, range_names;
  if (!t.range_key.empty()) range_names = {t.range_key};
  if (!st.index.empty()) {
    auto idx = find_index(t, st.index);
    if (!idx) throw DdbError::validation("The table does not have the specified index: " + st.index);
    r.body["IndexName"] = st.index;
    hash_names.clear();
    range_names.clear();
    for (auto& a : idx->hash_attrs) hash_names.push_back(a.name);
    for (auto& a : idx->range_attrs) range_names.push_back(a.name);
  }
  std::vector<const Cond*> parts, filter, key_parts;
  if (st.where) flatten_and(*st.where, parts);
  std::vector<bool> used(parts.size(), false);
  auto take = [&](auto&& pred) -> const Cond* {
    for (size_t i = 0; i < parts.size(); ++i) {
      if (!used[i] && pred(*parts[i])) {
        used[i] = true;
        return parts[i];
      }
    }
    return nullptr;
  };
  auto equality_on = [&](const std::string& name) {
    return [&, name](const Cond& c) {
      auto eq = equality(c);
      return eq && eq->first == name;
    };
  };
  // A Query needs an equality on every partition attribute; then sort conditions from left to
  // right: equalities on a prefix of the sort attributes and at most one range condition after them.
  bool every_hash = true;
  for (auto& h : hash_names) {
    if (const Cond* c = take(equality_on(h))) key_parts.push_back(c);
    else every_hash = false;
  }
  const bool hash = every_hash;
  if (hash) {
    for (auto& r_name : range_names) {
      if (const Cond* c = take(equality_on(r_name))) {
        key_parts.push_back(c);
        continue;
      }
      if (const Cond* c = take([&](const Cond& x) { return is_sort_key_condition(x, r_name); })) key_parts.push_back(c);
      break;
    }
  } else {
    // Without an equality on every partition attribute: a Scan with the whole WHERE clause as its filter.
    std::fill(used.begin(), used.end(), false);
    key_parts.clear();
  }
  for (size_t i = 0; i < parts.size(); ++i)
    if (!used[i]) filter.push_back(parts[i]);
  if (st.order_by) {
    if (!hash) throw DdbError::validation("Must have WHERE clause in the statement when using ORDER BY clause.");
    std::string n = st.order_by->elems.size() == 1 ? st.order_by->elems[0].name : "";
    bool key_attr = std::find(hash_names.begin(), hash_names.end(), n) != hash_names.end() ||
                    std::find(range_names.begin(), range_names.end(), n) != range_names.end();
    if (!key_attr)
      throw DdbError::validation("Variable reference " + st.order_by->to_string() +
                                 " in ORDER BY clause must be part of the primary key");
    r.body["ScanIndexForward"] = !st.descending;
  }
  if (hash) {
    r.op = Request::Op::kQuery;
    r.body["KeyConditionExpression"] = b.conjunction(key_parts);
  } else {
    r.op = Request::Op::kScan;
  }
  if (!filter.empty()) r.body["FilterExpression"] = b.conjunction(filter);
  add_projection(b, st, r.body);
  b.attach(r.body);
  return r;
}

Request write(const Statement& st, const Table& t) {
  Request r;
  Builder b;
  r.body["TableName"] = t.name;
  if (st.kind == Statement::Kind::kInsert) {
    r.op = Request::Op::kPut;
    r.body["Item"] = st.item;
    r.body["ConditionExpression"] = "attribute_not_exists(" + b.name(t.hash_key) + ")";
    b.attach(r.body);
    return r;
  }
  std::vector<const Cond*> rest;
  r.body["Key"] = take_key(st, t, rest);
  std::string condition = b.conjunction(rest);
  if (st.kind == Statement::Kind::kUpdate) {
    r.op = Request::Op::kUpdate;
    // UPDATE changes an existing item only: a missing item fails the condition.
    std::string exists = "attribute_exists(" + b.name(t.hash_key) + ")";
    condition = condition.empty() ? exists : exists + " AND " + condition;
    std::string set, add, del, remove;
    for (auto& a : st.sets) {
      // set_add / set_delete: PartiQL's spelling of ADD and DELETE of set members.
      const Expr& v = a.value;
      bool set_fn = v.kind == Expr::Kind::kFunction && (v.func == "set_add" || v.func == "set_delete") &&
                    v.args.size() == 2 && v.args[0].kind == Expr::Kind::kPath;
      if (set_fn) {
        std::string target = b.path(a.path);
        if (b.path(v.args[0].path) != target)
          throw DdbError::validation(v.func + " must be applied to the attribute being set");
        std::string& out = v.func == "set_add" ? add : del;
        std::string member = b.operand(v.args[1]);
        out += (out.empty() ? "" : ", ") + target + " " + member;
        continue;
      }
      std::string target = b.path(a.path);
      set += (set.empty() ? "" : ", ") + target + " = " + b.operand(v);
    }
    for (auto& p : st.removes) remove += (remove.empty() ? "" : ", ") + b.path(p);
    std::string u;
    if (!set.empty()) u += "SET " + set;
    if (!remove.empty()) u += (u.empty() ? "" : " ") + std::string("REMOVE ") + remove;
    if (!add.empty()) u += (u.empty() ? "" : " ") + std::string("ADD ") + add;
    if (!del.empty()) u += (u.empty() ? "" : " ") + std::string("DELETE ") + del;
    r.body["UpdateExpression"] = u;
  } else {
    r.op = Request::Op::kDelete;
  }
  if (!condition.empty()) r.body["ConditionExpression"] = condition;
  b.attach(r.body);
  return r;
}

}  // namespace

Request translate(const Statement& st, const Table& t, bool single_item) {
  if (st.kind == Statement::Kind::kSelect) return select(st, t, single_item);
  return write(st, t);
}

}  // namespace localaws::ddb::partiql
