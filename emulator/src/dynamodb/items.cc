// Item operations: PutItem, GetItem, DeleteItem, UpdateItem. Each validates everything, then runs
// one write transaction in which the old item is read, the condition checked and the new item
// written, so concurrent conditional writes have exactly one winner.
#include <cmath>

#include "dynamodb/expr/eval.h"
#include "dynamodb/expr/update.h"
#include "dynamodb/expressions.h"
#include "dynamodb/item_common.h"
#include "dynamodb/params.h"
#include "dynamodb/store.h"
#include "dynamodb/value.h"

namespace localaws::ddb {
namespace {

struct Options {
  std::string return_values;
  std::string on_failure;  // ReturnValuesOnConditionCheckFailure
  std::string capacity;    // ReturnConsumedCapacity
  bool collection_metrics = false;
};

Options read_options(const json& in, std::initializer_list<const char*> return_values) {
  Options o;
  o.return_values = enum_param(in, "ReturnValues", "returnValues",
                               {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"}, "NONE");
  bool ok = false;
  for (const char* r : return_values) ok = ok || o.return_values == r;
  if (!ok) throw DdbError::validation("Return values set to invalid value");
  o.on_failure = enum_param(in, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure",
                            {"ALL_OLD", "NONE"}, "NONE");
  o.capacity = enum_param(in, "ReturnConsumedCapacity", "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, "NONE");
  o.collection_metrics =
      enum_param(in, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics", {"SIZE", "NONE"}, "NONE") == "SIZE";
  return o;
}

void add_capacity(json& out, const Options& o, const Table& t, double units) {
  if (o.capacity == "NONE") return;
  json c = {{"TableName", t.name}, {"CapacityUnits", units}};
  if (o.capacity == "INDEXES") c["Table"] = {{"CapacityUnits", units}};
  out["ConsumedCapacity"] = c;
}

void add_collection_metrics(json& out, storage::Connection& c, const Options& o, const Table& t, const ItemKey& k,
                            const json& item) {
  if (!o.collection_metrics || !t.has_lsi()) return;
  double gb = static_cast<double>(store::collection_bytes(c, t, k.hk)) / (1024.0 * 1024 * 1024);
  out["ItemCollectionMetrics"] = {{"ItemCollectionKey", {{t.hash_key, item[t.hash_key]}}},
                                  {"SizeEstimateRangeGB", {std::floor(gb), std::floor(gb) + 1}}};
}

// Runs the condition against the old item (empty map when there is none).
void check_condition(const RequestExpressions& ex, const std::optional<json>& old, const Options& o) {
  if (!ex.condition) return;
  static const json kEmpty = json::object();
  if (expr::evaluate(*ex.condition, old ? *old : kEmpty)) return;
  throw DdbError::conditional_check_failed(o.on_failure == "ALL_OLD" && old ? old : std::nullopt);
}

}  // namespace

json put_item(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  json& item = require_map(ctx.in, "Item", "item");
  Options o = read_options(ctx.in, {"NONE", "ALL_OLD"});
  RequestExpressions ex = compile_expressions(ctx.in, kCondition);
  check_item_size(item);
  size_t size = item_size(item);
  return ctx.db.write([&](storage::Connection& c) {
    auto shared = store::must_find_shared_table(c, ctx, name);
    const Table& t = *shared;
    ItemKey k = key_from_item(t, item);
    // The item it replaces is read only when the answer depends on it: a condition, ALL_OLD, or
    // consumed capacity (the larger of the two sizes). Streams and indexes read it themselves.
    bool need_old = ex.condition || o.return_values == "ALL_OLD" || o.capacity != "NONE";
    auto old = need_old ? store::get_item(c, t, k) : std::nullopt;
    check_condition(ex, old, o);
    // Checking ends here.
    store::put_item(c, t, k, item, size);
    json out = json::object();
    if (o.return_values == "ALL_OLD" && old) out["Attributes"] = *old;
    add_capacity(out, o, t, write_units(std::max(size, old ? item_size(*old) : 0)));
    add_collection_metrics(out, c, o, t, k, item);
    return out;
  });
}

json get_item(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  json& key = require_map(ctx.in, "Key", "key");
  bool consistent = opt_bool(ctx.in, "ConsistentRead").value_or(false);
  Options o = read_options(ctx.in, {"NONE"});
  RequestExpressions ex = compile_expressions(ctx.in, kProjection);
  return ctx.db.read([&](storage::Connection& c) {
    auto shared = store::must_find_shared_table(c, ctx, name);
    const Table& t = *shared;
    ItemKey k = key_from_key(t, key);
    if (!ex.projection && ctx.may_render) {
      // The whole item: the response is assembled around the stored bytes, never parsed.
      auto stored = store::get_item_text(c, t, k);
      json out = json::object();
      add_capacity(out, o, t, read_units(stored ? stored->size : 0, consistent));
      if (stored) {
        std::string body = "{";
        if (out.contains("ConsumedCapacity"))
          body += "\"ConsumedCapacity\":" + out["ConsumedCapacity"].dump() + ",";
        body += "\"Item\":" + stored->text + "}";
        ctx.raw_body = std::move(body);
      }
      return out;
    }
    auto item = store::get_item(c, t, k);
    json out = json::object();
    if (item) out["Item"] = ex.projection ? expr::project(*item, *ex.projection) : *item;
    add_capacity(out, o, t, read_units(item ? item_size(*item) : 0, consistent));
    return out;
  });
}

json delete_item(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  json& key = require_map(ctx.in, "Key", "key");
  Options o = read_options(ctx.in, {"NONE", "ALL_OLD"});
  RequestExpressions ex = compile_expressions(ctx.in, kCondition);
  return ctx.db.write([&](storage::Connection& c) {
    auto shared = store::must_find_shared_table(c, ctx, name);
    const Table& t = *shared;
    ItemKey k = key_from_key(t, key);
    auto old = store::get_item(c, t, k);
    check_condition(ex, old, o);
    // Checking ends here.
    json out = json::object();
    if (old) {
      store::delete_item(c, t, k);
      if (o.return_values == "ALL_OLD") out["Attributes"] = *old;
    }
    add_capacity(out, o, t, write_units(old ? item_size(*old) : 0));
    add_collection_metrics(out, c, o, t, k, key);
    return out;
  });
}

json update_item(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  json& key = require_map(ctx.in, "Key", "key");
  Options o = read_options(ctx.in, {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"});
  RequestExpressions ex = compile_expressions(ctx.in, kCondition | kUpdate);
  return ctx.db.write([&](storage::Connection& c) {
    auto shared = store::must_find_shared_table(c, ctx, name);
    const Table& t = *shared;
    ItemKey k = key_from_key(t, key);
    std::vector<expr::Path> touched = ex.update ? updated_paths(t, *ex.update) : std::vector<expr::Path>{};
    auto old = store::get_item(c, t, k);
    check_condition(ex, old, o);
    json base = old ? *old : key;  // UpdateItem creates the item when it does not exist
    json item = ex.update ? expr::apply_update(*ex.update, base) : base;
    check_item_size(item, /*after_update=*/true);
    // Checking ends here.
    size_t size = item_size(item);
    store::put_item(c, t, k, item, size);
    json out = json::object();
    if (o.return_values == "ALL_OLD" && old) out["Attributes"] = *old;
    if (o.return_values == "ALL_NEW") out["Attributes"] = item;
    if (o.return_values == "UPDATED_OLD" && old) {
      json a = expr::project(*old, touched);
      if (!a.empty()) out["Attributes"] = a;
    }
    if (o.return_values == "UPDATED_NEW") {
      json a = expr::project(item, touched);
      if (!a.empty()) out["Attributes"] = a;
    }
    add_capacity(out, o, t, write_units(std::max(size, old ? item_size(*old) : 0)));
    add_collection_metrics(out, c, o, t, k, item);
    return out;
  });
}

}  // namespace localaws::ddb
