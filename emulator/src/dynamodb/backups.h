// On-demand backups (CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
// RestoreTableFromBackup) and the read-only operations tools call on every table (tools_reads.cc).
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/BackupRestore.html
//
//   ddb_backups(seq; backup_arn unique)    -> account, region, table_name, table_id, name,
//                                             created_ms (emulator clock), item_count, size,
//                                             source (JSON: the table's metadata at backup time)
//   ddb_backup_items(backup_arn, hk, rk)   -> item, size (a copy of ddb_items, made in the
//                                             CreateBackup transaction)
// Backups outlive their table, as on AWS, and are cleared by /_localaws/reset (ddb_ prefix).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/context.h"
#include "dynamodb/store.h"

namespace localaws::ddb {

struct Backup {
  std::string arn, account, region, table_name, table_id, name;
  int64_t created_ms = 0, item_count = 0, size = 0;
  int64_t seq = 0;  // creation order (set by the store)
  json source;  // the source table's metadata
};

namespace store {
// Writes the backup row and copies the table's items, in the caller's write transaction.
void insert_backup(storage::Connection& c, const Backup& b);
std::optional<Backup> find_backup(storage::Connection& c, const std::string& arn);
void delete_backup(storage::Connection& c, const std::string& arn);
struct BackupFilter {
  std::string account, region;
  std::optional<std::string> table_name;
  std::optional<int64_t> lower_ms, upper_ms;  // [lower, upper)
  std::optional<std::pair<int64_t, int64_t>> after;  // (created_ms, seq), exclusive
  int64_t limit = 100;
};
// In creation order.
std::vector<Backup> list_backups(storage::Connection& c, const BackupFilter& f);
// Calls visit(row) for each copied item of the backup, in key order.
void read_backup_items(storage::Connection& c, const std::string& arn, const std::function<void(const Row&)>& visit);
}  // namespace store

// backups.cc
json create_backup(Ctx&);
json describe_backup(Ctx&);
json list_backups(Ctx&);
json delete_backup(Ctx&);
json restore_table_from_backup(Ctx&);
// The CreateTable request equivalent to a backed-up table (its stored metadata) with a restore
// request's overrides (BillingModeOverride, ProvisionedThroughputOverride, the GSI and LSI lists),
// AttributeDefinitions trimmed to the keys still used. Pure; validate_create_table checks it.
json restore_create_request(const json& source_meta, const json& restore_in);

// tools_reads.cc: answers for a table with nothing configured.
json describe_continuous_backups(Ctx&);
json describe_contributor_insights(Ctx&);
json update_contributor_insights(Ctx&);
json list_contributor_insights(Ctx&);
json describe_kinesis_streaming_destination(Ctx&);
json describe_table_replica_auto_scaling(Ctx&);
json list_global_tables(Ctx&);
json describe_global_table(Ctx&);
json list_exports(Ctx&);
json describe_export(Ctx&);
json list_imports(Ctx&);
json describe_import(Ctx&);

}  // namespace localaws::ddb
