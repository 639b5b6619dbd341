// Time to live: UpdateTimeToLive / DescribeTimeToLive, and the sweep that really deletes expired
// items (DynamoDB Local never does). An item expires when its TTL attribute is a Number of epoch
// seconds in the past; values more than five years old are ignored, as on AWS.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
#include "dynamodb/ttl.h"

#include "common/time.h"
#include "dynamodb/number.h"
#include "dynamodb/params.h"
#include "dynamodb/value.h"

namespace localaws::ddb {

json update_time_to_live(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  json* spec = opt_object(ctx.in, "TimeToLiveSpecification");
  if (!spec)
    throw DdbError::validation("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
  auto enabled = opt_bool(*spec, "Enabled");
  const std::string* attr = opt_string(*spec, "AttributeName");
  if (!enabled)
    throw DdbError::validation("1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null");
  if (!attr || attr->empty() || attr->size() > 255)
    throw DdbError::constraint(attr ? *attr : "null", "timeToLiveSpecification.attributeName", "Member must have length between 1 and 255");
  return ctx.db.write([&](storage::Connection& c) {
    Table t = store::must_find_table(c, ctx, name, ("Requested resource not found: Table: " + name + " not found").c_str());
    bool on = t.meta.contains("TimeToLive") && t.meta["TimeToLive"].value("Enabled", false);
    if (*enabled && on) throw DdbError::validation("TimeToLive is already enabled");
    if (!*enabled && !on) throw DdbError::validation("TimeToLive is already disabled");
    if (!*enabled && t.meta["TimeToLive"].value("AttributeName", "") != *attr)
      throw DdbError::validation("TimeToLive attribute name mismatch: the enabled attribute is " +
                                 t.meta["TimeToLive"].value("AttributeName", std::string()));
    t.meta["TimeToLive"] = {{"Enabled", *enabled}, {"AttributeName", *attr}};
    store::save_meta(c, t);
    return json{{"TimeToLiveSpecification", {{"Enabled", *enabled}, {"AttributeName", *attr}}}};
  });
}

json describe_time_to_live(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  return ctx.db.read([&](storage::Connection& c) {
    Table t = store::must_find_table(c, ctx, name, ("Requested resource not found: Table: " + name + " not found").c_str());
    json d = {{"TimeToLiveStatus", "DISABLED"}};
    if (t.meta.contains("TimeToLive") && t.meta["TimeToLive"].value("Enabled", false)) {
      d["TimeToLiveStatus"] = "ENABLED";
      d["AttributeName"] = t.meta["TimeToLive"]["AttributeName"];
    }
    return json{{"TimeToLiveDescription", d}};
  });
}

size_t sweep_expired_items(storage::Database& db, int64_t now_s) {
  constexpr size_t kBatch = 1000;  // deletions per write transaction: short locks for other writers
  const Number now = *Number::parse(std::to_string(now_s));
  const Number oldest = *Number::parse(std::to_string(now_s - 5LL * 365 * 86400));
  auto tables = db.read([](storage::Connection& c) { return store::tables_with_ttl(c); });
  size_t deleted = 0;
  for (const Table& t : tables) {
    const std::string attr = t.meta["TimeToLive"]["AttributeName"];
    std::optional<ItemKey> after;
    while (true) {
      // Find a batch of expired keys, then delete them in one transaction that re-checks each
      // item (it may have been rewritten since).
      std::vector<ItemKey> expired;
      std::optional<ItemKey> last;
      auto is_expired = [&](const json& item) {
        auto it = item.find(attr);
        if (it == item.end() || value_type(*it) != "N") return false;
        auto n = Number::parse((*it)["N"].get_ref<const std::string&>());
        return n && *n < now && !(*n < oldest);
      };
      db.read([&](storage::Connection& c) {
        store::read_table(c, t, after, [&](const store::Row& row) {
          last = ItemKey{row.hk, row.rk};
          if (is_expired(json::parse(row.item))) expired.push_back(*last);
          return expired.size() < kBatch;
        });
      });
      if (!expired.empty()) {
        db.write([&](storage::Connection& c) {
          // Re-read: the table may have been dropped, or its stream enabled or disabled, meanwhile.
          auto now_t = store::find_table_by_id(c, t.id);
          if (!now_t) return;
          for (auto& k : expired) {
            auto item = store::get_item(c, *now_t, k);
            if (item && is_expired(*item)) {
              store::delete_item(c, *now_t, k, /*by_ttl=*/true);
              ++deleted;
            }
          }
        });
      }
      if (expired.size() < kBatch) break;
      after = last;
    }
  }
  return deleted;
}

}  // namespace localaws::ddb
