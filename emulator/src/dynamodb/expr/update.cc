#include "dynamodb/expr/update.h"

#include <algorithm>

#include "dynamodb/error.h"
#include "dynamodb/expr/eval.h"
#include "dynamodb/number.h"
#include "dynamodb/value.h"

namespace localaws::ddb::expr {
namespace {

[[noreturn]] void bad_type() { throw DdbError::validation("An operand in the update expression has an incorrect data type"); }
[[noreturn]] void bad_path() { throw DdbError::validation("The document path provided in the update expression is invalid for update"); }

Number as_number(const json& v) {
  if (value_type(v) != "N") bad_type();
  return *Number::parse(v["N"].get_ref<const std::string&>());
}

json value_of(const Operand& o, const json& old) {
  switch (o.kind) {
    case Operand::Kind::kValue:
      return o.value;
    case Operand::Kind::kPath: {
      const json* v = lookup(old, o.path);
      if (!v) throw DdbError::validation("The provided expression refers to an attribute that does not exist in the item");
      return *v;
    }
    case Operand::Kind::kPlus:
    case Operand::Kind::kMinus: {
      Number a = as_number(value_of(o.args[0], old));
      Number b = as_number(value_of(o.args[1], old));
      Number r = o.kind == Operand::Kind::kPlus ? a + b : a - b;
      std::string err = r.check_limits();
      if (!err.empty()) throw DdbError::validation(err);
      return json{{"N", r.to_string()}};
    }
    case Operand::Kind::kFunction:
      if (o.func == "if_not_exists") {
        const json* v = lookup(old, o.args[0].path);
        return v ? *v : value_of(o.args[1], old);
      }
      if (o.func == "list_append") {
        json a = value_of(o.args[0], old);
        json b = value_of(o.args[1], old);
        if (value_type(a) != "L" || value_type(b) != "L") bad_type();
        for (auto& e : b["L"]) a["L"].push_back(e);
        return a;
      }
      break;
  }
  bad_type();
}

// The container holding the path's last element; nullptr when the item has no such parent.
json* parent_of(json& item, const Path& p) {
  Path parent{std::vector<PathElem>(p.elems.begin(), p.elems.end() - 1)};
  return lookup_mut(item, parent);
}

void set_path(json& item, const Path& p, json v) {
  if (p.elems.size() == 1) {
    item[p.elems[0].name] = std::move(v);
    return;
  }
  json* parent = parent_of(item, p);
  if (!parent) bad_path();
  const PathElem& last = p.elems.back();
  if (last.is_index()) {
    auto it = parent->find("L");
    if (it == parent->end()) bad_path();
    if (static_cast<size_t>(last.index) >= it->size()) it->push_back(std::move(v));
    else (*it)[last.index] = std::move(v);
  } else {
    auto it = parent->find("M");
    if (it == parent->end()) bad_path();
    (*it)[last.name] = std::move(v);
  }
}

void remove_path(json& item, const Path& p) {
  if (p.elems.size() == 1) {
    item.erase(p.elems[0].name);
    return;
  }
  json* parent = parent_of(item, p);
  if (!parent) return;  // nothing there to remove
  const PathElem& last = p.elems.back();
  if (last.is_index()) {
    auto it = parent->find("L");
    if (it == parent->end()) bad_path();
    if (static_cast<size_t>(last.index) < it->size()) it->erase(static_cast<size_t>(last.index));
  } else {
    auto it = parent->find("M");
    if (it == parent->end()) bad_path();
    it->erase(last.name);
  }
}

// Descending document order, so that removing a list element never shifts one still to remove.
bool later_path(const Path* a, const Path* b) {
  size_t n = std::min(a->elems.size(), b->elems.size());
  for (size_t i = 0; i < n; ++i) {
    const auto& x = a->elems[i];
    const auto& y = b->elems[i];
    if (x.index != y.index) return x.index > y.index;
    if (x.name != y.name) return x.name > y.name;
  }
  return a->elems.size() > b->elems.size();
}

bool is_set_type(const std::string& t) { return t == "SS" || t == "NS" || t == "BS"; }

}  // namespace

json apply_update(const UpdateExpr& u, const json& old_item) {
  json item = old_item;
  // Right-hand sides see the item as it was before this update.
  for (auto& a : u.actions)
    if (a.kind == UpdateAction::Kind::kSet) set_path(item, a.path, value_of(a.value, old_item));

  std::vector<const Path*> removes;
  for (auto& a : u.actions)
    if (a.kind == UpdateAction::Kind::kRemove) removes.push_back(&a.path);
  std::sort(removes.begin(), removes.end(), later_path);
  for (auto* p : removes) remove_path(item, *p);

  for (auto& a : u.actions) {
    if (a.kind != UpdateAction::Kind::kAdd && a.kind != UpdateAction::Kind::kDelete) continue;
    const json& v = a.value.value;
    const std::string& vt = value_type(v);
    json* cur = lookup_mut(item, a.path);
    if (a.kind == UpdateAction::Kind::kAdd) {
      if (!cur) {
        set_path(item, a.path, v);
      } else if (vt == "N") {
        Number r = as_number(*cur) + as_number(v);
        std::string err = r.check_limits();
        if (!err.empty()) throw DdbError::validation(err);
        *cur = json{{"N", r.to_string()}};
      } else {
        if (value_type(*cur) != vt) bad_type();
        json& arr = (*cur)[vt];
        for (auto& e : v[vt])
          if (std::find(arr.begin(), arr.end(), e) == arr.end()) arr.push_back(e);
      }
    } else {
      if (!cur) continue;
      if (value_type(*cur) != vt || !is_set_type(vt)) bad_type();
      json kept = json::array();
      for (auto& e : (*cur)[vt])
        if (std::find(v[vt].begin(), v[vt].end(), e) == v[vt].end()) kept.push_back(e);
      if (kept.empty()) remove_path(item, a.path);
      else (*cur)[vt] = kept;
    }
  }
  return item;
}

}  // namespace localaws::ddb::expr
