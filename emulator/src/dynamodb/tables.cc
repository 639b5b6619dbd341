// Table operations: CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable, tags,
// DescribeLimits, DescribeEndpoints.
#include <chrono>

#include "common/crypto.h"
#include "common/time.h"
#include "dynamodb/backups.h"
#include "dynamodb/params.h"
#include "dynamodb/pitr.h"
#include "dynamodb/resource_policy.h"
#include "dynamodb/store.h"
#include "dynamodb/streams.h"
#include "dynamodb/table_schema.h"

namespace localaws::ddb {

std::string new_table_id() {
  std::string h = random_hex(16);
  h[12] = '4';                // version 4
  h[16] = "89ab"[h[16] % 4];  // RFC 4122 variant
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

namespace {

std::string not_found_message(const std::string& name) { return "Requested resource not found: Table: " + name + " not found"; }

json throughput_description(const json& meta, const json& pt) {
  json out = {{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
  if (pt.is_object()) {
    out["ReadCapacityUnits"] = pt["ReadCapacityUnits"];
    out["WriteCapacityUnits"] = pt["WriteCapacityUnits"];
  }
  if (meta.contains("LastIncreaseDateTime")) out["LastIncreaseDateTime"] = meta["LastIncreaseDateTime"];
  if (meta.contains("LastDecreaseDateTime")) out["LastDecreaseDateTime"] = meta["LastDecreaseDateTime"];
  return out;
}

// The full TableDescription AWS returns from CreateTable / DescribeTable / DeleteTable.
json describe(storage::Connection& c, const Ctx& ctx, const Table& t, const char* status = "ACTIVE") {
  const json& m = t.meta;
  auto stats = store::table_stats(c, t);
  std::string arn = ctx.arn_prefix() + t.name;
  json d = {
      {"TableName", t.name},
      {"TableId", t.id},
      {"TableArn", arn},
      {"TableStatus", status},
      {"KeySchema", m["KeySchema"]},
      {"AttributeDefinitions", m["AttributeDefinitions"]},
      {"CreationDateTime", m["CreationDateTime"]},
      {"ItemCount", stats.items},
      {"TableSizeBytes", stats.bytes},
      {"ProvisionedThroughput", throughput_description(m, m.value("ProvisionedThroughput", json()))},
      {"BillingModeSummary", {{"BillingMode", m["BillingMode"]}}},
      {"TableClassSummary", {{"TableClass", m["TableClass"]}}},
      {"DeletionProtectionEnabled", m["DeletionProtectionEnabled"]},
  };
  streams::describe_into(t, d);
  if (m.contains("RestoreSummary")) d["RestoreSummary"] = m["RestoreSummary"];
  if (m.contains("LastUpdateToPayPerRequestDateTime"))
    d["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"] = m["LastUpdateToPayPerRequestDateTime"];
  for (const char* kind : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    if (!m.contains(kind)) continue;
    bool global = kind[0] == 'G';
    json list = json::array();
    for (auto idx : m[kind]) {
      if (global) {
        idx["IndexStatus"] = "ACTIVE";
        idx["ProvisionedThroughput"] = throughput_description(json::object(), idx.value("ProvisionedThroughput", json()));
      }
      auto s = store::index_stats(c, t, idx["IndexName"]);
      idx["IndexSizeBytes"] = s.bytes;
      idx["ItemCount"] = s.items;
      idx["IndexArn"] = arn + "/index/" + idx["IndexName"].get<std::string>();
      list.push_back(idx);
    }
    d[kind] = list;
  }
  return d;
}

double now_epoch_s() { return static_cast<double>(now_ms()) / 1000.0; }

// ResourceArn of the tag operations: arn:aws:dynamodb:<region>:<account>:table/<name>, in the
// caller's account and region.
Table table_by_arn(storage::Connection& c, const Ctx& ctx) {
  const std::string* arn = opt_string(ctx.in, "ResourceArn");
  if (!arn)
    throw DdbError::validation(
        "1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null");
  const std::string prefix = ctx.arn_prefix();
  if (arn->rfind("arn:aws:dynamodb:", 0) != 0 || arn->find(":table/") == std::string::npos)
    throw DdbError::validation("Invalid TableArn: Invalid ResourceArn provided as input " + *arn);
  auto t = arn->rfind(prefix, 0) == 0 ? store::find_table(c, ctx, arn->substr(prefix.size())) : std::nullopt;
  if (!t) throw DdbError::resource_not_found("Requested resource not found: ResourcArn: " + *arn + " not found");
  return std::move(*t);
}

}  // namespace

json create_table(Ctx& ctx) {
  Table t;
  t.name = table_name(ctx.in, "TableName", "tableName", 3);
  t.meta = validate_create_table(ctx.in);
  auto stream = streams::read_spec(ctx.in);
  auto policy = create_table_policy(ctx, t.name);
  t.meta["CreationDateTime"] = now_epoch_s();
  // DynamoDB reports an on-demand table's creation as its switch to PAY_PER_REQUEST.
  if (t.meta.value("BillingMode", "") == "PAY_PER_REQUEST")
    t.meta["LastUpdateToPayPerRequestDateTime"] = t.meta["CreationDateTime"];
  t.id = new_table_id();
  // Checking ends here; the one change follows.
  return ctx.db.write([&](storage::Connection& c) {
    if (stream && stream->enabled) streams::enable(c, ctx, t, stream->view_type);
    if (!store::insert_table(c, ctx, t)) throw DdbError::resource_in_use("Table already exists: " + t.name);
    if (policy) attach_created_policy(c, ctx, t.name, t.id, *policy);
    auto saved = store::must_find_table(c, ctx, t.name);
    return json{{"TableDescription", describe(c, ctx, saved, "ACTIVE")}};
  });
}

json describe_table(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  return ctx.db.read([&](storage::Connection& c) {
    Table t = store::must_find_table(c, ctx, name, not_found_message(name).c_str());
    return json{{"Table", describe(c, ctx, t)}};
  });
}

json list_tables(Ctx& ctx) {
  int64_t limit = opt_int(ctx.in, "Limit").value_or(100);
  if (limit < 1) throw DdbError::constraint(std::to_string(limit), "limit", "Member must have value greater than or equal to 1");
  if (limit > 100) throw DdbError::constraint(std::to_string(limit), "limit", "Member must have value less than or equal to 100");
  std::string after;
  if (const std::string* s = opt_string(ctx.in, "ExclusiveStartTableName")) {
    check_table_name(*s, "exclusiveStartTableName", 3);
    after = *s;
  }
  auto names = ctx.db.read([&](storage::Connection& c) { return store::table_names(c, ctx, after, static_cast<int>(limit) + 1); });
  json out = {{"TableNames", json::array()}};
  for (size_t i = 0; i < names.size() && i < static_cast<size_t>(limit); ++i) out["TableNames"].push_back(names[i]);
  if (names.size() > static_cast<size_t>(limit)) out["LastEvaluatedTableName"] = names[limit - 1];
  return out;
}

json delete_table(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  return ctx.db.write([&](storage::Connection& c) {
    Table t = store::must_find_table(c, ctx, name, not_found_message(name).c_str());
    if (t.meta.value("DeletionProtectionEnabled", false))
      throw DdbError::validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
    json d = describe(c, ctx, t, "DELETING");
    if (pitr::enabled(t)) create_system_backup(c, ctx, t);  // AWS: "<table>$DeletedTableBackup", 35 days
    store::drop_table(c, t);
    return json{{"TableDescription", d}};
  });
}

json update_table(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  auto billing = ctx.in.find("BillingMode");
  std::string mode;
  if (billing != ctx.in.end() && !billing->is_null())
    mode = enum_param(ctx.in, "BillingMode", "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"}, "");
  auto pt = ctx.in.find("ProvisionedThroughput");
  bool has_pt = pt != ctx.in.end() && !pt->is_null();
  json new_pt = has_pt ? validate_throughput(*pt, "provisionedThroughput") : json();
  auto protect = opt_bool(ctx.in, "DeletionProtectionEnabled");
  std::string table_class;
  if (opt_string(ctx.in, "TableClass"))
    table_class = enum_param(ctx.in, "TableClass", "tableClass", {"STANDARD", "STANDARD_INFREQUENT_ACCESS"}, "");
  auto stream = streams::read_spec(ctx.in);
  const json* gsi_updates = opt_array(ctx.in, "GlobalSecondaryIndexUpdates");
  if (mode.empty() && !has_pt && !protect && table_class.empty() && !gsi_updates && !stream)
    throw DdbError::validation(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or "
        "SSESpecification or ReplicaUpdates is required");

  return ctx.db.write([&](storage::Connection& c) {
    Table t = store::must_find_table(c, ctx, name, not_found_message(name).c_str());
    json& m = t.meta;
    std::string target = mode.empty() ? m["BillingMode"].get<std::string>() : mode;
    if (target == "PAY_PER_REQUEST" && has_pt)
      throw DdbError::validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                                 "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    if (target == "PROVISIONED" && m["BillingMode"] == "PAY_PER_REQUEST" && !has_pt)
      throw DdbError::validation("One or more parameter values were invalid: ProvisionedThroughput must be "
                                 "specified when BillingMode is PROVISIONED");
    if (has_pt && m.contains("ProvisionedThroughput") && m["BillingMode"] == "PROVISIONED") {
      const json& cur = m["ProvisionedThroughput"];
      if (cur == new_pt)
        throw DdbError::validation(
            "The provisioned throughput for the table will not change. The requested value equals the current value. "
            "Current ReadCapacityUnits provisioned for the table: " + cur["ReadCapacityUnits"].dump() +
            ". Requested ReadCapacityUnits: " + new_pt["ReadCapacityUnits"].dump() +
            ". Current WriteCapacityUnits provisioned for the table: " + cur["WriteCapacityUnits"].dump() +
            ". Requested WriteCapacityUnits: " + new_pt["WriteCapacityUnits"].dump() +
            ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
      bool up = new_pt["ReadCapacityUnits"] > cur["ReadCapacityUnits"] || new_pt["WriteCapacityUnits"] > cur["WriteCapacityUnits"];
      m[up ? "LastIncreaseDateTime" : "LastDecreaseDateTime"] = now_epoch_s();
    }
    if (stream && stream->enabled && streams::enabled(t))
      throw DdbError::validation("Table already has an enabled stream: TableName: " + t.name);
    if (stream && !stream->enabled && !streams::enabled(t))
      throw DdbError::validation("Table does not have a stream enabled to disable: TableName: " + t.name);
    // Checking ends here.
    if (stream && stream->enabled) streams::enable(c, ctx, t, stream->view_type);
    if (stream && !stream->enabled) streams::disable(c, t);
    if (target == "PAY_PER_REQUEST") {
      if (m["BillingMode"] != "PAY_PER_REQUEST") m["LastUpdateToPayPerRequestDateTime"] = now_epoch_s();
      m.erase("ProvisionedThroughput");
    } else if (has_pt) {
      m["ProvisionedThroughput"] = new_pt;
    }
    m["BillingMode"] = target;
    if (protect) m["DeletionProtectionEnabled"] = *protect;
    if (!table_class.empty()) m["TableClass"] = table_class;
    if (gsi_updates) apply_gsi_updates(c, t, *gsi_updates, opt_array(ctx.in, "AttributeDefinitions"));
    store::save_meta(c, t);
    return json{{"TableDescription", describe(c, ctx, t, "ACTIVE")}};
  });
}

json tag_resource(Ctx& ctx) {
  const json* tags = opt_array(ctx.in, "Tags");
  if (!tags)
    throw DdbError::validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  validate_tags(*tags);
  ctx.db.write([&](storage::Connection& c) {
    Table t = table_by_arn(c, ctx);
    json& cur = t.meta["Tags"];
    for (auto& nt : *tags) {
      bool replaced = false;
      for (auto& ot : cur)
        if (ot["Key"] == nt["Key"]) ot["Value"] = nt["Value"], replaced = true;
      if (!replaced) cur.push_back({{"Key", nt["Key"]}, {"Value", nt["Value"]}});
    }
    if (cur.size() > 50) throw DdbError::limit_exceeded("The number of tags exceeds the limit of 50");
    store::save_meta(c, t);
  });
  return json::object();
}

json untag_resource(Ctx& ctx) {
  const json* keys = opt_array(ctx.in, "TagKeys");
  if (!keys)
    throw DdbError::validation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
  for (auto& k : *keys)
    if (!k.is_string()) throw DdbError::serialization("Unexpected value type in payload");
  ctx.db.write([&](storage::Connection& c) {
    Table t = table_by_arn(c, ctx);
    json kept = json::array();
    for (auto& ot : t.meta["Tags"]) {
      bool drop = false;
      for (auto& k : *keys) drop = drop || ot["Key"] == k;
      if (!drop) kept.push_back(ot);
    }
    t.meta["Tags"] = kept;
    store::save_meta(c, t);
  });
  return json::object();
}

json list_tags_of_resource(Ctx& ctx) {
  return ctx.db.read([&](storage::Connection& c) { return json{{"Tags", table_by_arn(c, ctx).meta["Tags"]}}; });
}

json describe_limits(Ctx&) {
  return {{"AccountMaxReadCapacityUnits", 80000},
          {"AccountMaxWriteCapacityUnits", 80000},
          {"TableMaxReadCapacityUnits", 40000},
          {"TableMaxWriteCapacityUnits", 40000}};
}

json describe_endpoints(Ctx& ctx) {
  return {{"Endpoints", json::array({{{"Address", "dynamodb." + ctx.region + ".amazonaws.com"}, {"CachePeriodInMinutes", 1440}}})}};
}

}  // namespace localaws::ddb
