// BatchGetItem and BatchWriteItem. Reads come from one snapshot and writes run in one SQLite
// transaction; nothing is ever left unprocessed except BatchGetItem keys past 16 MB of items,
// which come back in UnprocessedKeys as AWS does.
#include <map>
#include <set>

#include "dynamodb/expr/eval.h"
#include "dynamodb/expressions.h"
#include "dynamodb/item_common.h"
#include "dynamodb/params.h"
#include "dynamodb/value.h"

namespace localaws::ddb {
namespace {

constexpr size_t kMaxGetKeys = 100;
constexpr size_t kMaxWrites = 25;
constexpr size_t kMaxGetBytes = 16 * 1024 * 1024;

json& request_items(json& in) {
  json* items = opt_object(in, "RequestItems");
  if (!items)
    throw DdbError::validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");
  if (items->empty())
    throw DdbError::constraint("{}", "requestItems", "Member must have length greater than or equal to 1");
  for (auto& [name, v] : items->items()) check_table_name(name, "requestItems.key", 3);
  return *items;
}

json capacity_list(const std::map<std::string, double>& units, const std::string& mode) {
  json list = json::array();
  for (auto& [table, u] : units) {
    json c = {{"TableName", table}, {"CapacityUnits", u}};
    if (mode == "INDEXES") c["Table"] = {{"CapacityUnits", u}};
    list.push_back(c);
  }
  return list;
}

[[noreturn]] void duplicates() { throw DdbError::validation("Provided list of item keys contains duplicates"); }

}  // namespace

json batch_get_item(Ctx& ctx) {
  json& items = request_items(ctx.in);
  std::string capacity = enum_param(ctx.in, "ReturnConsumedCapacity", "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, "NONE");
  struct TableRequest {
    std::string name;
    json* spec;
    RequestExpressions ex;
    bool consistent;
  };
  std::vector<TableRequest> requests;
  size_t total = 0;
  for (auto& [name, spec] : items.items()) {
    if (!spec.is_object()) throw DdbError::serialization("Unexpected value type in payload");
    json* keys = spec.contains("Keys") && spec["Keys"].is_array() ? &spec["Keys"] : nullptr;
    if (!keys || keys->empty())
      throw DdbError::constraint("[]", "requestItems." + name + ".member.keys", "Member must have length greater than or equal to 1");
    for (auto& k : *keys) validate_attribute_map(k);
    total += keys->size();
    requests.push_back({name, &spec, compile_expressions(spec, kProjection), opt_bool(spec, "ConsistentRead").value_or(false)});
  }
  if (total > kMaxGetKeys) throw DdbError::validation("Too many items requested for the BatchGetItem call");

  return ctx.db.read([&](storage::Connection& c) {
    json responses = json::object();
    json unprocessed = json::object();
    std::map<std::string, double> units;
    size_t bytes = 0;
    for (auto& r : requests) {
      Table t = store::must_find_table(c, ctx, r.name);
      std::set<std::string> seen;
      json found = json::array();
      json left = json::array();
      for (auto& k : (*r.spec)["Keys"]) {
        ItemKey key = key_from_key(t, k);
        if (!seen.insert(key.hk + '\0' + key.rk).second) duplicates();
        if (bytes >= kMaxGetBytes) {
          left.push_back(k);
          continue;
        }
        auto item = store::get_item(c, t, key);
        units[t.name] += read_units(item ? item_size(*item) : 0, r.consistent);
        if (!item) continue;
        bytes += item_size(*item);
        found.push_back(r.ex.projection ? expr::project(*item, *r.ex.projection) : *item);
      }
      responses[r.name] = found;
      if (!left.empty()) {
        json spec = *r.spec;
        spec["Keys"] = left;
        unprocessed[r.name] = spec;
      }
    }
    json out = {{"Responses", responses}, {"UnprocessedKeys", unprocessed}};
    if (capacity != "NONE") out["ConsumedCapacity"] = capacity_list(units, capacity);
    return out;
  });
}

json batch_write_item(Ctx& ctx) {
  json& items = request_items(ctx.in);
  std::string capacity = enum_param(ctx.in, "ReturnConsumedCapacity", "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, "NONE");
  struct Write {
    std::string table;
    json* item = nullptr;  // PutRequest
    json* key = nullptr;   // DeleteRequest
  };
  std::vector<Write> writes;
  for (auto& [name, list] : items.items()) {
    if (!list.is_array()) throw DdbError::serialization("Unexpected value type in payload");
    if (list.empty())
      throw DdbError::constraint("[]", "requestItems." + name + ".member", "Member must have length greater than or equal to 1");
    for (auto& w : list) {
      if (!w.is_object()) throw DdbError::serialization("Unexpected value type in payload");
      json* put = opt_object(w, "PutRequest");
      json* del = opt_object(w, "DeleteRequest");
      if ((put != nullptr) == (del != nullptr))
        throw DdbError::validation("A WriteRequest must contain exactly one of PutRequest or DeleteRequest");
      Write wr{name};
      if (put) {
        wr.item = &require_map(*put, "Item", "item");
        check_item_size(*wr.item);
      } else {
        wr.key = &require_map(*del, "Key", "key");
      }
      writes.push_back(wr);
    }
  }
  if (writes.size() > kMaxWrites)
    throw DdbError::constraint("[...]", "requestItems", "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");

  return ctx.db.write([&](storage::Connection& c) {
    std::map<std::string, Table> tables;
    std::set<std::string> seen;
    std::vector<ItemKey> keys;
    for (auto& w : writes) {
      auto it = tables.find(w.table);
      if (it == tables.end()) it = tables.emplace(w.table, store::must_find_table(c, ctx, w.table)).first;
      ItemKey k = w.item ? key_from_item(it->second, *w.item) : key_from_key(it->second, *w.key);
      if (!seen.insert(w.table + '\0' + k.hk + '\0' + k.rk).second) duplicates();
      keys.push_back(std::move(k));
    }
    // Checking ends here.
    std::map<std::string, double> units;
    for (size_t i = 0; i < writes.size(); ++i) {
      const Table& t = tables.at(writes[i].table);
      auto old = store::get_item(c, t, keys[i]);
      size_t size = old ? item_size(*old) : 0;
      if (writes[i].item) {
        size_t n = item_size(*writes[i].item);
        store::put_item(c, t, keys[i], *writes[i].item, n);
        size = std::max(size, n);
      } else if (old) {
        store::delete_item(c, t, keys[i]);
      }
      units[t.name] += write_units(size);
    }
    json out = {{"UnprocessedItems", json::object()}};
    if (capacity != "NONE") out["ConsumedCapacity"] = capacity_list(units, capacity);
    return out;
  });
}

}  // namespace localaws::ddb
