// The read-only operations tools (Terraform's aws_dynamodb_table, CDK, consoles) call on every
// table, answered as AWS answers for a table with nothing configured: Kinesis streaming
// destinations, replica auto scaling, global tables (exports and imports: exports.h).
// Contributor Insights is a per-table / per-GSI switch kept in the table's metadata.
#include "dynamodb/backups.h"
#include "dynamodb/params.h"
#include "server/runtime.h"

namespace localaws::ddb {
namespace {

std::string not_found_message(const std::string& name) { return "Requested resource not found: Table: " + name + " not found"; }

Table table_or_not_found(storage::Connection& c, const Ctx& ctx, const std::string& name) {
  return store::must_find_table(c, ctx, name, not_found_message(name).c_str());
}

bool has_gsi(const Table& t, const std::string& index) {
  if (!t.meta.contains("GlobalSecondaryIndexes")) return false;
  for (auto& g : t.meta["GlobalSecondaryIndexes"])
    if (g["IndexName"] == index) return true;
  return false;
}

// The Contributor Insights entry of the table ("") or one of its GSIs; null when never set.
json insights_entry(const Table& t, const std::string& index) {
  auto it = t.meta.find("ContributorInsights");
  if (it == t.meta.end() || !it->contains(index)) return nullptr;
  return (*it)[index];
}

json insights_summary(const Table& t, const std::string& index, const json& entry) {
  json s = {{"TableName", t.name}, {"ContributorInsightsStatus", entry.value("Status", "DISABLED")}};
  if (!index.empty()) s["IndexName"] = index;
  if (entry.contains("Mode")) s["ContributorInsightsMode"] = entry["Mode"];
  return s;
}

// IndexName: absent (the table) or a GSI of the table.
std::string index_param(const json& in, const Table& t) {
  const std::string* index = opt_string(in, "IndexName");
  if (!index) return "";
  if (!has_gsi(t, *index))
    throw DdbError::resource_not_found("Requested resource not found: Index: " + *index + " not found for table: " + t.name);
  return *index;
}

}  // namespace

json describe_contributor_insights(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  return ctx.db.read([&](storage::Connection& c) {
    Table t = table_or_not_found(c, ctx, name);
    std::string index = index_param(ctx.in, t);
    json entry = insights_entry(t, index);
    json out = insights_summary(t, index, entry.is_null() ? json::object() : entry);
    if (!entry.is_null() && entry.contains("Updated")) out["LastUpdateDateTime"] = entry["Updated"];
    return out;
  });
}

json update_contributor_insights(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  if (!opt_string(ctx.in, "ContributorInsightsAction"))
    throw DdbError::validation("1 validation error detected: Value null at 'contributorInsightsAction' failed to "
                               "satisfy constraint: Member must not be null");
  std::string action = enum_param(ctx.in, "ContributorInsightsAction", "contributorInsightsAction", {"ENABLE", "DISABLE"}, "");
  std::string mode;
  if (opt_string(ctx.in, "ContributorInsightsMode"))
    mode = enum_param(ctx.in, "ContributorInsightsMode", "contributorInsightsMode",
                      {"ACCESSED_AND_THROTTLED_KEYS", "THROTTLED_KEYS"}, "");
  return ctx.db.write([&](storage::Connection& c) {
    Table t = table_or_not_found(c, ctx, name);
    std::string index = index_param(ctx.in, t);
    json entry = {{"Status", action == "ENABLE" ? "ENABLED" : "DISABLED"},
                  {"Updated", static_cast<double>(ctx.rt.clock.now_ms()) / 1000.0}};
    if (!mode.empty()) entry["Mode"] = mode;
    else if (json old = insights_entry(t, index); !old.is_null() && old.contains("Mode")) entry["Mode"] = old["Mode"];
    if (action == "ENABLE" && !entry.contains("Mode")) entry["Mode"] = "ACCESSED_AND_THROTTLED_KEYS";
    t.meta["ContributorInsights"][index] = entry;
    store::save_meta(c, t);
    json out = {{"TableName", t.name}, {"ContributorInsightsStatus", action == "ENABLE" ? "ENABLING" : "DISABLING"}};
    if (!index.empty()) out["IndexName"] = index;
    if (entry.contains("Mode")) out["ContributorInsightsMode"] = entry["Mode"];
    return out;
  });
}

json list_contributor_insights(Ctx& ctx) {
  std::optional<std::string> only;
  if (opt_string(ctx.in, "TableName")) only = table_name(ctx.in);
  int64_t max = opt_int(ctx.in, "MaxResults").value_or(100);
  if (max < 0) throw DdbError::constraint(std::to_string(max), "maxResults", "Member must have value greater than or equal to 0");
  if (max > 100) throw DdbError::constraint(std::to_string(max), "maxResults", "Member must have value less than or equal to 100");
  if (max == 0) max = 100;
  size_t skip = 0;
  if (const std::string* token = opt_string(ctx.in, "NextToken")) {
    try {
      skip = std::stoul(*token);
    } catch (const std::exception&) {
      throw DdbError::validation("Invalid NextToken");
    }
  }
  json all = json::array();
  ctx.db.read([&](storage::Connection& c) {
    std::vector<Table> tables;
    if (only) {
      tables.push_back(table_or_not_found(c, ctx, *only));
    } else {
      for (auto& n : store::table_names(c, ctx, "", 1 << 30))
        if (auto t = store::find_table(c, ctx, n)) tables.push_back(std::move(*t));
    }
    for (auto& t : tables) {
      if (json e = insights_entry(t, ""); !e.is_null()) all.push_back(insights_summary(t, "", e));
      if (!t.meta.contains("GlobalSecondaryIndexes")) continue;
      for (auto& g : t.meta["GlobalSecondaryIndexes"]) {
        std::string index = g["IndexName"];
        if (json e = insights_entry(t, index); !e.is_null()) all.push_back(insights_summary(t, index, e));
      }
    }
  });
  json out = {{"ContributorInsightsSummaries", json::array()}};
  for (size_t i = skip; i < all.size() && i < skip + static_cast<size_t>(max); ++i)
    out["ContributorInsightsSummaries"].push_back(all[i]);
  if (all.size() > skip + static_cast<size_t>(max)) out["NextToken"] = std::to_string(skip + max);
  return out;
}

json describe_kinesis_streaming_destination(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  ctx.db.read([&](storage::Connection& c) { table_or_not_found(c, ctx, name); });
  return {{"TableName", name}, {"KinesisDataStreamDestinations", json::array()}};
}

json describe_table_replica_auto_scaling(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  ctx.db.read([&](storage::Connection& c) { table_or_not_found(c, ctx, name); });
  return {{"TableAutoScalingDescription", {{"TableName", name}, {"TableStatus", "ACTIVE"}, {"Replicas", json::array()}}}};
}

json list_global_tables(Ctx& ctx) {
  int64_t limit = opt_int(ctx.in, "Limit").value_or(100);
  if (limit < 1) throw DdbError::constraint(std::to_string(limit), "limit", "Member must have value greater than or equal to 1");
  return {{"GlobalTables", json::array()}};  // no version 2017.11.29 global tables here
}

json describe_global_table(Ctx& ctx) {
  std::string name = table_name(ctx.in, "GlobalTableName", "globalTableName", 3);
  throw DdbError("GlobalTableNotFoundException", "Global table not found: " + name);
}

}  // namespace localaws::ddb
