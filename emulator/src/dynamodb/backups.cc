// On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
// RestoreTableFromBackup. A backup is complete when CreateBackup answers (its items are copied
// in the request's transaction); times are the emulator clock's.
#include "dynamodb/backups.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "common/crypto.h"
#include "dynamodb/params.h"
#include "dynamodb/streams.h"
#include "dynamodb/table_schema.h"
#include "server/runtime.h"

namespace localaws::ddb {
namespace {

double seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

DdbError backup_not_found(const std::string& arn) { return {"BackupNotFoundException", "Backup not found: " + arn}; }

// BackupArn: required, 37-1024 characters (AWS's constraint on the member).
std::string backup_arn_param(const json& in) {
  const std::string* arn = opt_string(in, "BackupArn");
  if (!arn)
    throw DdbError::validation(
        "1 validation error detected: Value null at 'backupArn' failed to satisfy constraint: Member must not be null");
  if (arn->size() < 37 || arn->size() > 1024)
    throw DdbError::constraint(*arn, "backupArn",
                               "Member must have length " + std::string(arn->size() < 37 ? "greater than or equal to 37"
                                                                                         : "less than or equal to 1024"));
  return *arn;
}

// A backup of the caller's account and region, or BackupNotFoundException.
Backup must_find_backup(storage::Connection& c, const Ctx& ctx, const std::string& arn) {
  auto b = store::find_backup(c, arn);
  if (!b || b->account != ctx.account || b->region != ctx.region) throw backup_not_found(arn);
  return std::move(*b);
}

std::string table_arn(const Backup& b) {
  return "arn:aws:dynamodb:" + b.region + ":" + b.account + ":table/" + b.table_name;
}

constexpr int64_t kDayMs = 86400000;

json backup_details(const Backup& b, const char* status = "AVAILABLE") {
  json d = {{"BackupArn", b.arn},
            {"BackupName", b.name},
            {"BackupSizeBytes", b.size},
            {"BackupStatus", status},
            {"BackupType", b.type},
            {"BackupCreationDateTime", seconds(b.created_ms)}};
  if (b.type == "SYSTEM") d["BackupExpiryDateTime"] = seconds(b.created_ms + kSystemBackupDays * kDayMs);
  return d;
}

json throughput_of(const json& m) {
  json pt = {{"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
  if (m.contains("ProvisionedThroughput")) {
    pt["ReadCapacityUnits"] = m["ProvisionedThroughput"]["ReadCapacityUnits"];
    pt["WriteCapacityUnits"] = m["ProvisionedThroughput"]["WriteCapacityUnits"];
  }
  return pt;
}

json backup_description(const Backup& b, const char* status = "AVAILABLE") {
  const json& m = b.source;
  json source = {{"TableName", b.table_name},
                 {"TableId", b.table_id},
                 {"TableArn", table_arn(b)},
                 {"TableSizeBytes", b.size},
                 {"KeySchema", m["KeySchema"]},
                 {"TableCreationDateTime", m["CreationDateTime"]},
                 {"ProvisionedThroughput", throughput_of(m)},
                 {"ItemCount", b.item_count},
                 {"BillingMode", m.value("BillingMode", "PROVISIONED")}};
  json features = json::object();
  if (m.contains("LocalSecondaryIndexes")) {
    json list = json::array();
    for (auto& i : m["LocalSecondaryIndexes"])
      list.push_back({{"IndexName", i["IndexName"]}, {"KeySchema", i["KeySchema"]}, {"Projection", i["Projection"]}});
    features["LocalSecondaryIndexes"] = list;
  }
  if (m.contains("GlobalSecondaryIndexes")) {
    json list = json::array();
    for (auto& i : m["GlobalSecondaryIndexes"])
      list.push_back({{"IndexName", i["IndexName"]},
                      {"KeySchema", i["KeySchema"]},
                      {"Projection", i["Projection"]},
                      {"ProvisionedThroughput", throughput_of(i)}});
    features["GlobalSecondaryIndexes"] = list;
  }
  if (m.contains("StreamSpecification") && m["StreamSpecification"].value("StreamEnabled", false))
    features["StreamDescription"] = m["StreamSpecification"];
  if (m.contains("TimeToLive") && m["TimeToLive"].value("Enabled", false))
    features["TimeToLiveDescription"] = {{"TimeToLiveStatus", "ENABLED"}, {"AttributeName", m["TimeToLive"]["AttributeName"]}};
  json d = {{"BackupDetails", backup_details(b, status)}, {"SourceTableDetails", source}};
  if (!features.empty()) d["SourceTableFeatureDetails"] = features;
  return d;
}

// Backup ARNs as AWS writes them: <table ARN>/backup/<13-digit epoch ms>-<8 hex>.
std::string new_backup_arn(const Ctx& ctx, const std::string& table, int64_t ms) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%014lld", static_cast<long long>(ms));
  return ctx.arn_prefix() + table + "/backup/" + stamp + "-" + random_hex(4);
}

// An epoch-seconds timestamp member (boto3 and the SDKs send numbers), as milliseconds.
std::optional<int64_t> time_param(const json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) throw DdbError::serialization("Unexpected value type in payload");
  return static_cast<int64_t>(std::llround(it->get<double>() * 1000.0));
}


}  // namespace

// The keys (table and index) a CreateTable request uses, to keep only the AttributeDefinitions
// that are still needed once indexes are overridden away.
static void collect_keys(const json& key_schema, std::set<std::string>& out) {
  for (auto& k : key_schema) out.insert(k.value("AttributeName", std::string()));
}

// The CreateTable request equivalent to the backed-up table with the restore's overrides, as
// AWS allows them: billing mode, throughput, the GSI and LSI lists (which replace the backed-up
// ones). Stream, TTL, tags and deletion protection are not restored (AWS: set them again).
json restore_create_request(const json& m, const json& in) {
  json req = {{"KeySchema", m["KeySchema"]}, {"TableClass", m.value("TableClass", "STANDARD")}};
  std::string billing = m.value("BillingMode", "PROVISIONED");
  if (opt_string(in, "BillingModeOverride"))
    billing = enum_param(in, "BillingModeOverride", "billingModeOverride", {"PROVISIONED", "PAY_PER_REQUEST"}, "");
  req["BillingMode"] = billing;
  auto pt_override = in.find("ProvisionedThroughputOverride");
  bool has_pt_override = pt_override != in.end() && !pt_override->is_null();
  json table_pt;
  if (has_pt_override) {
    table_pt = *pt_override;
  } else if (billing == "PROVISIONED" && m.contains("ProvisionedThroughput")) {
    table_pt = m["ProvisionedThroughput"];
  }
  if (!table_pt.is_null()) req["ProvisionedThroughput"] = table_pt;

  if (const json* gsis = opt_array(in, "GlobalSecondaryIndexOverride")) {
    if (!gsis->empty()) req["GlobalSecondaryIndexes"] = *gsis;
  } else if (m.contains("GlobalSecondaryIndexes")) {
    json list = json::array();
    for (json g : m["GlobalSecondaryIndexes"]) {
      if (billing == "PAY_PER_REQUEST") g.erase("ProvisionedThroughput");
      else if (!g.contains("ProvisionedThroughput") && !table_pt.is_null()) g["ProvisionedThroughput"] = table_pt;
      list.push_back(g);
    }
    req["GlobalSecondaryIndexes"] = list;
  }
  if (const json* lsis = opt_array(in, "LocalSecondaryIndexOverride")) {
    if (!lsis->empty()) req["LocalSecondaryIndexes"] = *lsis;
  } else if (m.contains("LocalSecondaryIndexes")) {
    req["LocalSecondaryIndexes"] = m["LocalSecondaryIndexes"];
  }
  std::set<std::string> used;
  collect_keys(m["KeySchema"], used);
  for (const char* kind : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"})
    if (req.contains(kind))
      for (auto& idx : req[kind])
        if (idx.is_object() && idx.contains("KeySchema") && idx["KeySchema"].is_array()) collect_keys(idx["KeySchema"], used);
  json defs = json::array();
  for (auto& d : m["AttributeDefinitions"])
    if (used.count(d["AttributeName"].get<std::string>())) defs.push_back(d);
  req["AttributeDefinitions"] = defs;
  return req;
}

// Encryption at rest is not modelled (docs/dynamodb.md): the override is checked, changes nothing.
void check_sse_override(json& in) {
  json* sse = opt_object(in, "SSESpecificationOverride");
  if (!sse) return;
  opt_bool(*sse, "Enabled");
  if (opt_string(*sse, "SSEType")) enum_param(*sse, "SSEType", "sSESpecificationOverride.sSEType", {"AES256", "KMS"}, "");
  opt_string(*sse, "KMSMasterKeyId");
}

// Backs up the table now (its items are copied in the caller's transaction).
Backup insert_backup_of(storage::Connection& c, const Ctx& ctx, const Table& t, const std::string& name,
                        const char* type) {
  auto stats = store::table_stats(c, t);
  Backup b;
  b.created_ms = ctx.rt.clock.now_ms();
  b.arn = new_backup_arn(ctx, t.name, b.created_ms);
  b.account = ctx.account;
  b.region = ctx.region;
  b.table_name = t.name;
  b.table_id = t.id;
  b.name = name;
  b.item_count = stats.items;
  b.size = stats.bytes;
  b.source = t.meta;
  b.source.erase("Tags");
  b.type = type;
  store::insert_backup(c, b);
  return b;
}

json create_backup(Ctx& ctx) {
  std::string table = table_name(ctx.in);
  std::string name = table_name(ctx.in, "BackupName", "backupName", 3);
  return ctx.db.write([&](storage::Connection& c) {
    auto t = store::find_table(c, ctx, table);
    if (!t) throw DdbError("TableNotFoundException", "Table not found: " + table);
    return json{{"BackupDetails", backup_details(insert_backup_of(c, ctx, *t, name, "USER"), "CREATING")}};
  });
}

void create_system_backup(storage::Connection& c, const Ctx& ctx, const Table& t) {
  insert_backup_of(c, ctx, t, t.name + "$DeletedTableBackup", "SYSTEM");
}

json describe_backup(Ctx& ctx) {
  std::string arn = backup_arn_param(ctx.in);
  return ctx.db.read([&](storage::Connection& c) {
    return json{{"BackupDescription", backup_description(must_find_backup(c, ctx, arn))}};
  });
}

json delete_backup(Ctx& ctx) {
  std::string arn = backup_arn_param(ctx.in);
  return ctx.db.write([&](storage::Connection& c) {
    Backup b = must_find_backup(c, ctx, arn);
    store::delete_backup(c, arn);
    return json{{"BackupDescription", backup_description(b, "DELETED")}};
  });
}

json list_backups(Ctx& ctx) {
  store::BackupFilter f;
  f.account = ctx.account;
  f.region = ctx.region;
  if (opt_string(ctx.in, "TableName")) f.table_name = table_name(ctx.in, "TableName", "tableName", 3);
  int64_t limit = opt_int(ctx.in, "Limit").value_or(100);
  if (limit < 1) throw DdbError::constraint(std::to_string(limit), "limit", "Member must have value greater than or equal to 1");
  if (limit > 100) throw DdbError::constraint(std::to_string(limit), "limit", "Member must have value less than or equal to 100");
  f.lower_ms = time_param(ctx.in, "TimeRangeLowerBound");
  f.upper_ms = time_param(ctx.in, "TimeRangeUpperBound");
  if (f.lower_ms && f.upper_ms && *f.lower_ms > *f.upper_ms)
    throw DdbError::validation("TimeRangeUpperBound must be greater than or equal to TimeRangeLowerBound");
  std::string type = enum_param(ctx.in, "BackupType", "backupType", {"USER", "SYSTEM", "AWS_BACKUP", "ALL"}, "USER");
  json out = {{"BackupSummaries", json::array()}};
  if (type == "AWS_BACKUP") return out;  // AWS Backup is not modelled
  if (type != "ALL") f.type = type;
  f.limit = limit + 1;
  auto rows = ctx.db.read([&](storage::Connection& c) {
    if (const std::string* start = opt_string(ctx.in, "ExclusiveStartBackupArn")) {
      auto b = store::find_backup(c, *start);
      if (!b || b->account != ctx.account || b->region != ctx.region) throw backup_not_found(*start);
      f.after = std::pair{b->created_ms, b->seq};
    }
    return store::list_backups(c, f);
  });
  for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(limit); ++i) {
    const Backup& b = rows[i];
    out["BackupSummaries"].push_back({{"TableName", b.table_name},
                                      {"TableId", b.table_id},
                                      {"TableArn", table_arn(b)},
                                      {"BackupArn", b.arn},
                                      {"BackupName", b.name},
                                      {"BackupCreationDateTime", seconds(b.created_ms)},
                                      {"BackupStatus", "AVAILABLE"},
                                      {"BackupType", b.type},
                                      {"BackupSizeBytes", b.size}});
    if (b.type == "SYSTEM") out["BackupSummaries"].back()["BackupExpiryDateTime"] = backup_details(b)["BackupExpiryDateTime"];
  }
  if (rows.size() > static_cast<size_t>(limit)) out["LastEvaluatedBackupArn"] = rows[limit - 1].arn;
  return out;
}

json restore_new_table(Ctx& ctx, const std::string& target, const json& source_meta, json summary,
                       const std::function<void(storage::Connection&, Table&)>& check_and_copy) {
  json req = restore_create_request(source_meta, ctx.in);
  Table t;
  t.name = target;
  t.meta = validate_create_table(req);
  t.meta["CreationDateTime"] = seconds(ctx.rt.clock.now_ms());
  summary["RestoreInProgress"] = false;
  t.meta["RestoreSummary"] = std::move(summary);
  t.id = new_table_id();
  ctx.db.write([&](storage::Connection& c) {
    if (store::find_table(c, ctx, target)) throw DdbError("TableAlreadyExistsException", "Table already exists: " + target);
    store::insert_table(c, ctx, t);
    Table saved = store::must_find_table(c, ctx, target);
    check_and_copy(c, saved);
  });
  json describe_in = {{"TableName", target}};
  Ctx describe_ctx{ctx.rt, ctx.db, ctx.account, ctx.region, describe_in};
  return json{{"TableDescription", describe_table(describe_ctx)["Table"]}};
}

json restore_table_from_backup(Ctx& ctx) {
  std::string target = table_name(ctx.in, "TargetTableName", "targetTableName", 3);
  std::string arn = backup_arn_param(ctx.in);
  check_sse_override(ctx.in);
  Backup b = ctx.db.read([&](storage::Connection& c) { return must_find_backup(c, ctx, arn); });
  json summary = {{"SourceBackupArn", b.arn},
                  {"SourceTableArn", table_arn(b)},
                  {"RestoreDateTime", seconds(ctx.rt.clock.now_ms())}};
  return restore_new_table(ctx, target, b.source, std::move(summary), [&](storage::Connection& c, Table& saved) {
    if (!store::find_backup(c, arn)) throw backup_not_found(arn);  // deleted meanwhile
    store::read_backup_items(c, arn, [&](const store::Row& r) {
      store::put_item(c, saved, {r.hk, r.rk}, json::parse(r.item), static_cast<size_t>(r.size));
    });
  });
}

}  // namespace localaws::ddb
