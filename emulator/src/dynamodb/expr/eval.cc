#include "dynamodb/expr/eval.h"

#include <map>

#include "common/crypto.h"
#include "dynamodb/value.h"

namespace localaws::ddb::expr {
namespace {

const json* step(const json& v, const PathElem& e) {
  if (e.is_index()) {
    auto it = v.find("L");
    if (it == v.end() || static_cast<size_t>(e.index) >= it->size()) return nullptr;
    return &(*it)[e.index];
  }
  auto it = v.find("M");
  if (it == v.end()) return nullptr;
  auto f = it->find(e.name);
  return f == it->end() ? nullptr : &*f;
}

// A string/binary/set/list/map length for size(); nullopt for types that have none.
std::optional<json> size_of(const json& v) {
  const std::string& t = value_type(v);
  const json& x = v.begin().value();
  size_t n;
  if (t == "S") n = x.get_ref<const std::string&>().size();
  else if (t == "B") {
    std::string raw;
    base64_decode(x.get_ref<const std::string&>(), raw);
    n = raw.size();
  } else if (t == "SS" || t == "NS" || t == "BS" || t == "L" || t == "M") n = x.size();
  else return std::nullopt;
  return json{{"N", std::to_string(n)}};
}

std::optional<json> operand_value(const Operand& o, const json& item) {
  switch (o.kind) {
    case Operand::Kind::kValue:
      return o.value;
    case Operand::Kind::kPath: {
      const json* v = lookup(item, o.path);
      if (!v) return std::nullopt;
      return *v;
    }
    case Operand::Kind::kFunction:
      if (o.func == "size") {
        const json* v = lookup(item, o.args[0].path);
        return v ? size_of(*v) : std::nullopt;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::string bytes_of(const json& v) {
  const std::string& t = value_type(v);
  const std::string& x = v.begin().value().get_ref<const std::string&>();
  if (t == "S") return x;
  std::string raw;
  base64_decode(x, raw);
  return raw;
}

bool begins_with(const json& a, const json& b) {
  const std::string& t = value_type(a);
  if ((t != "S" && t != "B") || t != value_type(b)) return false;
  return bytes_of(a).rfind(bytes_of(b), 0) == 0;
}

bool contains(const json& a, const json& b) {
  const std::string& t = value_type(a);
  const std::string& tb = value_type(b);
  if ((t == "S" || t == "B") && t == tb) return bytes_of(a).find(bytes_of(b)) != std::string::npos;
  if ((t == "SS" && tb == "S") || (t == "NS" && tb == "N") || (t == "BS" && tb == "B")) {
    for (auto& e : a.begin().value())
      if (e == b.begin().value()) return true;  // elements and b are normalised
    return false;
  }
  if (t == "L") {
    for (auto& e : a["L"])
      if (values_equal(e, b)) return true;
  }
  return false;
}

bool compare(const std::string& op, const std::optional<json>& a, const std::optional<json>& b) {
  if (op == "=") return a && b && values_equal(*a, *b);
  if (op == "<>") return !(a && b && values_equal(*a, *b));
  if (!a || !b) return false;
  auto c = compare_values(*a, *b);
  if (!c) return false;
  if (op == "<") return *c < 0;
  if (op == "<=") return *c <= 0;
  if (op == ">") return *c > 0;
  return *c >= 0;
}

using Suffix = std::pair<const Path*, size_t>;  // a path and the position reached in it

// Projects `av` onto the path suffixes (all non-empty); nullopt when nothing matched.
std::optional<json> project_value(const json& av, const std::vector<Suffix>& suffixes) {
  bool by_index = suffixes.front().first->elems[suffixes.front().second].is_index();
  if (by_index) {
    auto it = av.find("L");
    if (it == av.end()) return std::nullopt;
    std::map<int, std::vector<Suffix>> groups;
    for (auto& s : suffixes) groups[s.first->elems[s.second].index].push_back(s);
    json out = json::array();
    for (auto& [idx, group] : groups) {
      if (static_cast<size_t>(idx) >= it->size()) continue;
      const json& elem = (*it)[idx];
      std::vector<Suffix> rest;
      bool whole = false;
      for (auto& s : group) {
        if (s.second + 1 == s.first->elems.size()) whole = true;
        else rest.push_back({s.first, s.second + 1});
      }
      if (whole) out.push_back(elem);
      else if (auto sub = project_value(elem, rest)) out.push_back(*sub);
    }
    if (out.empty()) return std::nullopt;
    return json{{"L", out}};
  }
  auto it = av.find("M");
  if (it == av.end()) return std::nullopt;
  std::map<std::string, std::vector<Suffix>> groups;
  for (auto& s : suffixes) groups[s.first->elems[s.second].name].push_back(s);
  json out = json::object();
  for (auto& [name, group] : groups) {
    auto f = it->find(name);
    if (f == it->end()) continue;
    std::vector<Suffix> rest;
    bool whole = false;
    for (auto& s : group) {
      if (s.second + 1 == s.first->elems.size()) whole = true;
      else rest.push_back({s.first, s.second + 1});
    }
    if (whole) out[name] = *f;
    else if (auto sub = project_value(*f, rest)) out[name] = *sub;
  }
  if (out.empty()) return std::nullopt;
  return json{{"M", out}};
}

}  // namespace

const json* lookup(const json& item, const Path& p) {
  auto it = item.find(p.elems[0].name);
  if (p.elems[0].is_index() || it == item.end()) return nullptr;
  const json* v = &*it;
  for (size_t i = 1; i < p.elems.size() && v; ++i) v = step(*v, p.elems[i]);
  return v;
}

json* lookup_mut(json& item, const Path& p) { return const_cast<json*>(lookup(item, p)); }

bool evaluate(const Condition& c, const json& item) {
  switch (c.kind) {
    case Condition::Kind::kAnd:
      return evaluate(c.children[0], item) && evaluate(c.children[1], item);
    case Condition::Kind::kOr:
      return evaluate(c.children[0], item) || evaluate(c.children[1], item);
    case Condition::Kind::kNot:
      return !evaluate(c.children[0], item);
    case Condition::Kind::kCompare:
      return compare(c.op, operand_value(c.operands[0], item), operand_value(c.operands[1], item));
    case Condition::Kind::kBetween: {
      auto v = operand_value(c.operands[0], item);
      return compare(">=", v, operand_value(c.operands[1], item)) && compare("<=", v, operand_value(c.operands[2], item));
    }
    case Condition::Kind::kIn: {
      auto v = operand_value(c.operands[0], item);
      for (size_t i = 1; i < c.operands.size(); ++i)
        if (compare("=", v, operand_value(c.operands[i], item))) return true;
      return false;
    }
    case Condition::Kind::kFunction: {
      if (c.op == "attribute_exists") return lookup(item, c.operands[0].path) != nullptr;
      if (c.op == "attribute_not_exists") return lookup(item, c.operands[0].path) == nullptr;
      auto a = operand_value(c.operands[0], item);
      auto b = operand_value(c.operands[1], item);
      if (!a || !b) return false;
      if (c.op == "attribute_type") return value_type(*a) == b->begin().value().get<std::string>();
      if (c.op == "begins_with") return begins_with(*a, *b);
      if (c.op == "contains") return contains(*a, *b);
      return false;
    }
  }
  return false;
}

json project(const json& item, const std::vector<Path>& paths) {
  if (paths.empty()) return item;
  std::vector<Suffix> suffixes;
  for (auto& p : paths) suffixes.push_back({&p, 0});
  auto out = project_value(json{{"M", item}}, suffixes);
  return out ? (*out)["M"] : json::object();
}

}  // namespace localaws::ddb::expr
