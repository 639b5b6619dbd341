// Query and Scan of the base table. Both walk the primary key index in DynamoDB's order (the
// key bytes of value.h sort as DynamoDB sorts) and resume from ExclusiveStartKey by seeking,
// never by counting. Secondary indexes come with issue 6.
#include <cmath>
#include <map>

#include "common/crypto.h"
#include "dynamodb/composite_key.h"
#include "dynamodb/expr/eval.h"
#include "dynamodb/expressions.h"
#include "dynamodb/indexes.h"
#include "dynamodb/item_common.h"
#include "dynamodb/params.h"
#include "dynamodb/store.h"
#include "dynamodb/value.h"

namespace localaws::ddb {
namespace {
using expr::Condition;
using expr::Operand;

constexpr int64_t kPageBytes = 1024 * 1024;  // a page stops after 1 MB of items read

[[noreturn]] void bad_key_condition(const std::string& msg) { throw DdbError::validation(msg); }

// The smallest byte string greater than every string starting with p (nullopt: none).
std::optional<std::string> prefix_end(std::string p) {
  while (!p.empty() && static_cast<unsigned char>(p.back()) == 0xFF) p.pop_back();
  if (p.empty()) return std::nullopt;
  p.back() = static_cast<char>(static_cast<unsigned char>(p.back()) + 1);
  return p;
}

void flatten_and(const Condition& c, std::vector<const Condition*>& out) {
  if (c.kind == Condition::Kind::kAnd) {
    flatten_and(c.children[0], out);
    flatten_and(c.children[1], out);
    return;
  }
  if (c.kind == Condition::Kind::kOr) bad_key_condition("Invalid operator used in KeyConditionExpression: OR");
  if (c.kind == Condition::Kind::kNot) bad_key_condition("Invalid operator used in KeyConditionExpression: NOT");
  if (c.kind == Condition::Kind::kIn) bad_key_condition("Invalid operator used in KeyConditionExpression: IN");
  if (c.kind == Condition::Kind::kCompare && c.op == "<>")
    bad_key_condition("Invalid operator used in KeyConditionExpression: <>");
  if (c.kind == Condition::Kind::kFunction && c.op != "begins_with")
    bad_key_condition("Invalid operator used in KeyConditionExpression: " + c.op);
  out.push_back(&c);
}

// The key attribute a key condition constrains, or "" when it is not a plain top-level name.
std::string key_name(const Operand& o) {
  if (o.kind != Operand::Kind::kPath || o.path.elems.size() != 1 || o.path.elems[0].is_index()) return "";
  return o.path.elems[0].name;
}

const json& key_value(const Operand& o, const std::string& type) {
  if (o.kind != Operand::Kind::kValue) bad_key_condition("Query key condition not supported");
  if (value_type(o.value) != type)
    bad_key_condition("One or more parameter values were invalid: Condition parameter type does not match schema type");
  return o.value;
}

// A key condition part with a value on the left mirrored ("':v < key'" as "key > :v").
Condition normalized(const Condition& p) {
  Condition part = p;
  if (part.kind == Condition::Kind::kCompare && part.operands[0].kind == Operand::Kind::kValue) {
    std::swap(part.operands[0], part.operands[1]);
    if (part.op[0] == '<') part.op[0] = '>';
    else if (part.op[0] == '>') part.op[0] = '<';
  }
  return part;
}

struct KeyQuery {
  std::string hk;
  json hash_value;
  store::KeyRange range;
};

// KeyConditionExpression: "hash = :v" and optionally one condition on the range key.
KeyQuery analyze_key_condition(const Condition& c, const Table& t) {
  std::vector<const Condition*> parts;
  flatten_and(c, parts);
  if (parts.size() > 2) bad_key_condition("Conditions can be of length 1 or 2 only");
  KeyQuery q;
  bool have_hash = false, have_range = false;
  for (const Condition* p : parts) {
    Condition part = normalized(*p);
    std::string name = key_name(part.operands[0]);
    if (name.empty() || (name != t.hash_key && name != t.range_key)) bad_key_condition("Query key condition not supported");
    if (name == t.hash_key) {
      if (have_hash) bad_key_condition("KeyConditionExpressions must only contain one condition per key");
      if (part.kind != Condition::Kind::kCompare || part.op != "=") bad_key_condition("Query key condition not supported");
      q.hash_value = key_value(part.operands[1], t.hash_type);
      q.hk = key_bytes(q.hash_value);
      have_hash = true;
      continue;
    }
    if (have_range) bad_key_condition("KeyConditionExpressions must only contain one condition per key");
    have_range = true;
    auto& r = q.range;
    if (part.kind == Condition::Kind::kBetween) {
      r.lo = key_bytes(key_value(part.operands[1], t.range_type));
      r.hi = key_bytes(key_value(part.operands[2], t.range_type));
    } else if (part.kind == Condition::Kind::kFunction) {  // begins_with
      if (t.range_type == "N")
        bad_key_condition("Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
                          "operator or function: begins_with, operand type: N");
      r.lo = key_bytes(key_value(part.operands[1], t.range_type));
      r.hi = prefix_end(*r.lo);
      r.hi_inclusive = false;
    } else {
      std::string b = key_bytes(key_value(part.operands[1], t.range_type));
      if (part.op == "=") r.lo = r.hi = b;
      else if (part.op == "<" || part.op == "<=") r.hi = b, r.hi_inclusive = part.op == "<=";
      else r.lo = b, r.lo_inclusive = part.op == ">=";
    }
  }
  if (!have_hash) bad_key_condition("Query condition missed key schema element: " + t.hash_key);
  return q;
}

// KeyConditionExpression on a multi-attribute GSI (composite_key.h): equality on every partition
// attribute; sort attributes from left to right, equality on a prefix of them and at most one
// other condition (<, <=, >, >=, BETWEEN, begins_with) on the last one used.
KeyQuery analyze_multi_key_condition(const Condition& c, const IndexDef& idx) {
  std::vector<const Condition*> parts;
  flatten_and(c, parts);
  std::map<std::string, Condition> by_name;
  for (const Condition* p : parts) {
    Condition part = normalized(*p);
    std::string name = key_name(part.operands[0]);
    bool known = false;
    for (auto* side : {&idx.hash_attrs, &idx.range_attrs})
      for (auto& a : *side) known = known || a.name == name;
    if (name.empty() || !known) bad_key_condition("Query key condition not supported");
    if (!by_name.emplace(name, std::move(part)).second)
      bad_key_condition("KeyConditionExpressions must only contain one condition per key");
  }
  KeyQuery q;
  json hash_values = json::object();
  for (auto& a : idx.hash_attrs) {
    auto it = by_name.find(a.name);
    if (it == by_name.end()) bad_key_condition("Query condition missed key schema element: " + a.name);
    if (it->second.kind != Condition::Kind::kCompare || it->second.op != "=")
      bad_key_condition("Query key condition not supported");
    hash_values[a.name] = key_value(it->second.operands[1], a.type);
  }
  q.hash_value = hash_values;
  q.hk = IndexDef::side_bytes(idx.hash_attrs, hash_values);
  // The sort attributes used: a prefix of range_attrs, all but the last compared with "=".
  size_t used = 0;
  for (size_t i = 0; i < idx.range_attrs.size(); ++i)
    if (by_name.count(idx.range_attrs[i].name)) used = i + 1;
  for (size_t i = 0; i < used; ++i) {
    const std::string& n = idx.range_attrs[i].name;
    auto it = by_name.find(n);
    if (it == by_name.end()) bad_key_condition("Query condition missed key schema element: " + n);
    if (i + 1 < used && (it->second.kind != Condition::Kind::kCompare || it->second.op != "="))
      bad_key_condition("Query key condition not supported: only the last sort key attribute used (" +
                        idx.range_attrs[used - 1].name + ") may have a condition other than equality; " + n +
                        " must be compared with =");
  }
  if (used == 0) return q;
  bool single = idx.range_attrs.size() == 1;
  // enc: one attribute's bytes within the sort key; prefix: the equalities before the last one.
  auto enc = [&](const json& v) { return single ? key_bytes(v) : composite_key_part(key_bytes(v)); };
  std::string prefix;
  for (size_t i = 0; i + 1 < used; ++i)
    prefix += enc(key_value(by_name[idx.range_attrs[i].name].operands[1], idx.range_attrs[i].type));
  const KeyAttr& last = idx.range_attrs[used - 1];
  const Condition& part = by_name[last.name];
  auto& r = q.range;
  auto upper = [&](const std::string& p) { return single ? std::optional<std::string>(p) : prefix_end(p); };
  auto prefix_hi = [&] {
    r.hi = prefix.empty() ? std::nullopt : prefix_end(prefix);
    r.hi_inclusive = false;
  };
  if (!prefix.empty()) r.lo = prefix;
  if (part.kind == Condition::Kind::kBetween) {
    r.lo = prefix + enc(key_value(part.operands[1], last.type));
    r.hi = upper(prefix + enc(key_value(part.operands[2], last.type)));
    r.hi_inclusive = single;
  } else if (part.kind == Condition::Kind::kFunction) {  // begins_with
    if (last.type == "N")
      bad_key_condition("Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
                        "operator or function: begins_with, operand type: N");
    std::string b = key_bytes(key_value(part.operands[1], last.type));
    r.lo = prefix + (single ? b : escape_key_part(b));
    r.hi = prefix_end(*r.lo);
    r.hi_inclusive = false;
  } else {
    std::string b = prefix + enc(key_value(part.operands[1], last.type));
    if (part.op == "=") {
      r.lo = b;
      r.hi = upper(b);
      r.hi_inclusive = single;
    } else if (part.op == "<" || part.op == "<=") {
      r.hi = part.op == "<" ? std::optional<std::string>(b) : upper(b);
      r.hi_inclusive = single && part.op == "<=";
    } else {
      prefix_hi();
      if (part.op == ">=") r.lo = b;
      else if (single) r.lo = b, r.lo_inclusive = false;
      else r.lo = prefix_end(b);
      if (!r.lo) bad_key_condition("Query key condition not supported");
    }
    return q;
  }
  return q;
}

// The key attributes of a position: the table's, plus the index's when reading an index.
std::vector<std::pair<std::string, std::string>> position_keys(const Table& t, const std::optional<IndexDef>& idx) {
  std::vector<std::pair<std::string, std::string>> keys = {{t.hash_key, t.hash_type}};
  if (!t.range_key.empty()) keys.push_back({t.range_key, t.range_type});
  if (idx) {
    for (auto* side : {&idx->hash_attrs, &idx->range_attrs})
      for (auto& a : *side) {
        bool dup = false;
        for (auto& e : keys) dup = dup || e.first == a.name;
        if (!dup) keys.push_back({a.name, a.type});
      }
  }
  return keys;
}

// ExclusiveStartKey: exactly the position's key attributes, of their types.
// Query answers a start key of the wrong shape with the short message, Scan with the long one.
store::IndexPos start_position(json& in, const Table& t, const std::optional<IndexDef>& idx, bool for_query) {
  json* esk = opt_object(in, "ExclusiveStartKey");
  validate_attribute_map(*esk);
  auto keys = position_keys(t, idx);
  auto invalid = [for_query] {
    throw DdbError::validation(for_query ? "The provided starting key is invalid"
                                         : "The provided starting key is invalid: The provided key element does not match the schema");
  };
  if (esk->size() != keys.size()) invalid();
  for (auto& [name, type] : keys)
    if (!esk->contains(name) || value_type((*esk)[name]) != type) invalid();
  auto bytes = [&](const std::string& name) { return name.empty() ? std::string() : key_bytes((*esk)[name]); };
  store::IndexPos p{"", "", bytes(t.hash_key), bytes(t.range_key)};
  if (idx) {
    p.ihk = IndexDef::side_bytes(idx->hash_attrs, *esk);
    if (!idx->range_attrs.empty()) p.irk = IndexDef::side_bytes(idx->range_attrs, *esk);
  }
  return p;
}

struct ReadOptions {
  std::string select;
  int64_t limit = 0;  // 0: none
  bool consistent = false;
  std::string capacity;
};

ReadOptions read_options(json& in, const RequestExpressions& ex) {
  ReadOptions o;
  bool projecting = ex.projection.has_value();
  bool on_index = opt_string(in, "IndexName") != nullptr;
  o.select = enum_param(in, "Select", "select", {"ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"},
                        projecting ? "SPECIFIC_ATTRIBUTES" : on_index ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES");
  // A projection with another Select is reported before ALL_PROJECTED_ATTRIBUTES on a table.
  if (o.select != "SPECIFIC_ATTRIBUTES" && projecting) {
    const char* param = opt_string(in, "ProjectionExpression") ? "ProjectionExpression" : "AttributesToGet";
    throw DdbError::validation(std::string("Cannot specify the ") + param + " when choosing to get " +
                               (o.select == "COUNT" ? "only the Count" : o.select));
  }
  if (o.select == "ALL_PROJECTED_ATTRIBUTES" && !on_index)
    throw DdbError::validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  if (o.select == "SPECIFIC_ATTRIBUTES" && !projecting)
    throw DdbError::validation("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
  if (auto l = opt_int(in, "Limit")) {
    if (*l < 1) throw DdbError::constraint(std::to_string(*l), "limit", "Member must have value greater than or equal to 1");
    o.limit = *l;
  }
  o.consistent = opt_bool(in, "ConsistentRead").value_or(false);
  o.capacity = enum_param(in, "ReturnConsumedCapacity", "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, "NONE");
  return o;
}

// The index a read names, checked against the read's options; nullopt for the base table.
std::optional<IndexDef> resolve_index(const json& in, const Table& t, const ReadOptions& o) {
  const std::string* name = opt_string(in, "IndexName");
  if (!name) return std::nullopt;
  auto idx = find_index(t, *name);
  if (!idx) throw DdbError::validation("The table does not have the specified index: " + *name);
  if (idx->global && o.consistent) throw DdbError::validation("Consistent reads are not supported on global secondary indexes");
  if (idx->global && o.select == "ALL_ATTRIBUTES" && idx->projection != "ALL")
    throw DdbError::validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for "
                               "global secondary index " + idx->name + " because its projection type is not ALL");
  return idx;
}

// Collects one page: Limit counts items read (before the filter), and a page ends after 1 MB.
class Page {
 public:
  // render: the caller can send body() (Ctx::may_render).
  Page(const Table& t, const RequestExpressions& ex, const ReadOptions& o, std::vector<std::string> key_names,
       bool render)
      : t_(t), ex_(ex), o_(o), key_names_(std::move(key_names)),
        whole_items_(render && !ex.filter && !ex.projection && o.select != "COUNT") {}
  // Replaces each index row's projection with the base table's item (a local index read with
  // Select=ALL_ATTRIBUTES fetches the item, as DynamoDB does).
  void fetch_from(storage::Connection* c) { fetch_ = c; }
  // The index read, for ReturnConsumedCapacity=INDEXES.
  void on_index(const IndexDef* idx) { idx_ = idx; }

  bool visit(const store::Row& row) {
    if (as_stored()) return visit_stored(row);
    json item = json::parse(row.item);
    if (fetch_) {
      if (auto full = store::get_item(*fetch_, t_, ItemKey{row.hk, row.rk})) item = std::move(*full);
    }
    ++scanned_;
    bytes_ += row.size;
    if (!ex_.filter || expr::evaluate(*ex_.filter, item)) {
      ++count_;
      if (o_.select != "COUNT") items_.push_back(ex_.projection ? expr::project(item, *ex_.projection) : item);
    }
    if ((o_.limit && scanned_ >= o_.limit) || bytes_ >= kPageBytes) {
      last_key_ = json::object();
      for (auto& k : key_names_) (*last_key_)[k] = item[k];
      return false;
    }
    return true;
  }

  // Items as stored, unparsed (no filter, no projection, nothing fetched): the body is assembled
  // around their bytes; only the last item of a full page is parsed, for LastEvaluatedKey.
  bool as_stored() const { return whole_items_ && !fetch_; }
  bool visit_stored(const store::Row& row) {
    ++scanned_;
    ++count_;
    bytes_ += row.size;
    stored_.push_back(row.item);
    stored_bytes_ += row.item.size() + 1;
    if ((o_.limit && scanned_ >= o_.limit) || bytes_ >= kPageBytes) {
      json item = json::parse(row.item);
      last_key_ = json::object();
      for (auto& k : key_names_) (*last_key_)[k] = item[k];
      return false;
    }
    return true;
  }
  // The response body when the items are as stored, else empty (the caller returns result, the
  // page's result()).
  std::string body(const json& result) const {
    if (!as_stored()) return {};
    std::string rest = result.dump(-1, ' ', false, json::error_handler_t::replace);
    std::string b;
    b.reserve(stored_bytes_ + rest.size() + 16);
    b += "{\"Items\":[";
    for (size_t i = 0; i < stored_.size(); i++) {
      if (i) b += ',';
      b += stored_[i];
    }
    b += ']';
    if (rest.size() > 2) b += ',';
    b.append(rest, 1, std::string::npos);
    return b;
  }

  json result() const {
    json out = {{"Count", count_}, {"ScannedCount", scanned_}};
    if (o_.select != "COUNT" && !as_stored()) out["Items"] = items_;
    if (last_key_) out["LastEvaluatedKey"] = *last_key_;
    if (o_.capacity != "NONE") {
      double units = std::max<double>(1, std::ceil(static_cast<double>(bytes_) / 4096.0)) * (o_.consistent ? 1 : 0.5);
      json c = {{"TableName", t_.name}, {"CapacityUnits", units}};
      if (o_.capacity == "INDEXES") {
        // Reading an index costs the index (and the table only for fetched items, not counted here).
        c["Table"] = {{"CapacityUnits", idx_ ? 0.0 : units}};
        if (idx_) c[idx_->global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes"] = {{idx_->name, {{"CapacityUnits", units}}}};
      }
      out["ConsumedCapacity"] = c;
    }
    return out;
  }

 private:
  const Table& t_;
  const RequestExpressions& ex_;
  const ReadOptions& o_;
  std::vector<std::string> key_names_;
  storage::Connection* fetch_ = nullptr;
  const IndexDef* idx_ = nullptr;
  json items_ = json::array();
  bool whole_items_;
  std::vector<std::string> stored_;
  size_t stored_bytes_ = 0;
  int64_t count_ = 0, scanned_ = 0, bytes_ = 0;
  std::optional<json> last_key_;
};

}  // namespace

std::vector<std::string> names_of(const std::vector<std::pair<std::string, std::string>>& keys) {
  std::vector<std::string> out;
  for (auto& k : keys) out.push_back(k.first);
  return out;
}

json query(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  RequestExpressions ex = compile_expressions(ctx.in, kKeyCondition | kQueryFilter | kProjection);
  if (!ex.key_condition) throw DdbError::validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  ReadOptions o = read_options(ctx.in, ex);
  bool forward = opt_bool(ctx.in, "ScanIndexForward").value_or(true);
  return ctx.db.read([&](storage::Connection& c) {
    auto shared = store::must_find_shared_table(c, ctx, name);
    const Table& t = *shared;
    auto idx = resolve_index(ctx.in, t, o);
    KeyQuery q = idx && idx->multi_attribute() ? analyze_multi_key_condition(*ex.key_condition, *idx)
                                               : analyze_key_condition(*ex.key_condition, idx ? idx->as_table(t) : t);
    std::optional<store::IndexPos> after;
    if (opt_object(ctx.in, "ExclusiveStartKey")) {
      after = start_position(ctx.in, t, idx, true);
      const std::string& start_hk = idx ? after->ihk : after->hk;
      const std::string& start_rk = idx ? after->irk : after->rk;
      if (start_hk != q.hk) throw DdbError::validation("The provided starting key is outside query boundaries based on provided conditions");
      const auto& r = q.range;
      if ((r.lo && (r.lo_inclusive ? start_rk < *r.lo : start_rk <= *r.lo)) ||
          (r.hi && (r.hi_inclusive ? start_rk > *r.hi : start_rk >= *r.hi)))
        throw DdbError::validation("The provided starting key does not match the range key predicate");
      if (!idx) {
        // Resume strictly after the start key, never outside the key condition's bounds.
        auto& r = q.range;
        if (forward && (!r.lo || start_rk >= *r.lo)) r.lo = start_rk, r.lo_inclusive = false;
        if (!forward && (!r.hi || start_rk <= *r.hi)) r.hi = start_rk, r.hi_inclusive = false;
      }
    }
    Page page(t, ex, o, names_of(position_keys(t, idx)), ctx.may_render);
    if (idx) page.on_index(&*idx);
    auto visit = [&](const store::Row& row) { return page.visit(row); };
    if (!idx) {
      store::read_partition(c, t, q.hk, q.range, forward, visit);
    } else {
      if (o.select == "ALL_ATTRIBUTES" && idx->projection != "ALL") page.fetch_from(&c);
      store::read_index_partition(c, t, idx->name, q.hk, q.range, forward, after, visit);
    }
    json out = page.result();
    ctx.raw_body = page.body(out);
    return out;
  });
}

json scan(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  RequestExpressions ex = compile_expressions(ctx.in, kScanFilter | kProjection);
  ReadOptions o = read_options(ctx.in, ex);
  auto segment = opt_int(ctx.in, "Segment");
  auto total = opt_int(ctx.in, "TotalSegments");
  if (segment && !total)
    throw DdbError::validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
  if (total && !segment)
    throw DdbError::validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
  if (total && (*total < 1 || *total > 1000000))
    throw DdbError::constraint(std::to_string(*total), "totalSegments", "Member must have value between 1 and 1000000");
  if (segment && (*segment < 0 || *segment >= *total))
    throw DdbError::validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
                               std::to_string(*segment) + " is not less than TotalSegments: " + std::to_string(*total));
  return ctx.db.read([&](storage::Connection& c) {
    auto shared = store::must_find_shared_table(c, ctx, name);
    const Table& t = *shared;
    auto idx = resolve_index(ctx.in, t, o);
    std::optional<store::IndexPos> after;
    // Segments partition the table by the item's hash key: disjoint, together the whole table.
    auto in_segment = [&](const std::string& hk) {
      return !total || crc32_update(0, hk.data(), hk.size()) % static_cast<uint64_t>(*total) == static_cast<uint64_t>(*segment);
    };
    if (opt_object(ctx.in, "ExclusiveStartKey")) {
      after = start_position(ctx.in, t, idx, false);
      if (!in_segment(after->hk))
        throw DdbError::validation("The provided Exclusive start key does not map to the provided Segment and TotalSegments values.");
    }
    Page page(t, ex, o, names_of(position_keys(t, idx)), ctx.may_render);
    if (idx) page.on_index(&*idx);
    auto visit = [&](const store::Row& row) {
      if (!in_segment(row.hk)) return true;
      return page.visit(row);
    };
    if (!idx) {
      store::read_table(c, t, after ? std::optional<ItemKey>(ItemKey{after->hk, after->rk}) : std::nullopt, visit);
    } else {
      if (o.select == "ALL_ATTRIBUTES" && idx->projection != "ALL") page.fetch_from(&c);
      store::read_index(c, t, idx->name, after, visit);
    }
    json out = page.result();
    ctx.raw_body = page.body(out);
    return out;
  });
}

}  // namespace localaws::ddb
