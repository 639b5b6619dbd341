// On-demand backups (CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
// RestoreTableFromBackup) and the read-only operations tools call on every table (tools_reads.cc).
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/BackupRestore.html
//
//   ddb_backups(seq; backup_arn unique)    -> account, region, table_name, table_id, name,
//                                             created_ms (emulator clock), item_count, size,
//                                             source (JSON: the table's metadata at backup time),
//                                             type (USER / SYSTEM)
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
  std::string type = "USER";  // or "SYSTEM": made by DeleteTable of a table with PITR on
};

namespace store {
// Writes the backup row and copies the table's items, in the caller's write transaction.
void insert_backup(storage::Connection& c, const Backup& b);
std::optional<Backup> find_backup(storage::Connection& c, const std::string& arn);
void delete_backup(storage::Connection& c, const std::string& arn);
struct BackupFilter {
  std::string account, region;
  std::optional<std::string> table_name;
  std::optional<std::string> type;  // USER or SYSTEM; absent: both
  std::optional<int64_t> lower_ms, upper_ms;  // [lower, upper)
  std::optional<std::pair<int64_t, int64_t>> after;  // (created_ms, seq), exclusive
  int64_t limit = 100;
};
// In creation order.
std::vector<Backup> list_backups(storage::Connection& c, const BackupFilter& f);
// Deletes SYSTEM backups created before cutoff_ms; returns how many.
size_t delete_system_backups_before(storage::Connection& c, int64_t cutoff_ms);
// Calls visit(row) for each copied item of the backup, in key order.
void read_backup_items(storage::Connection& c, const std::string& arn, const std::function<void(const Row&)>& visit);
}  // namespace store

// backups.cc
json create_backup(Ctx&);
json describe_backup(Ctx&);
json list_backups(Ctx&);
json delete_backup(Ctx&);
json restore_table_from_backup(Ctx&);
// DeleteTable of a table with PITR on: the SYSTEM backup "<table>$DeletedTableBackup" of the
// table just before deletion, kept 35 days (kSystemBackupDays), in the caller's transaction.
void create_system_backup(storage::Connection& c, const Ctx& ctx, const Table& t);
constexpr int kSystemBackupDays = 35;
// The CreateTable request equivalent to a backed-up table (its stored metadata) with a restore
// request's overrides (BillingModeOverride, ProvisionedThroughputOverride, the GSI and LSI lists),
// AttributeDefinitions trimmed to the keys still used. Pure; validate_create_table checks it.
json restore_create_request(const json& source_meta, const json& restore_in);
// Creates the restored table `target` from the source's metadata with the restore request's
// overrides (ctx.in) and RestoreSummary `summary`; in the same write transaction,
// check_and_copy(c, new_table) fills it (and may throw to roll everything back). Returns the
// RestoreTable* response (TableDescription).
json restore_new_table(Ctx& ctx, const std::string& target, const json& source_meta, json summary,
                       const std::function<void(storage::Connection&, Table&)>& check_and_copy);
// SSESpecificationOverride of a restore: checked like CreateTable's SSESpecification.
void check_sse_override(json& in);

// tools_reads.cc: answers for a table with nothing configured.
json describe_contributor_insights(Ctx&);
json update_contributor_insights(Ctx&);
json list_contributor_insights(Ctx&);
json describe_kinesis_streaming_destination(Ctx&);
json describe_table_replica_auto_scaling(Ctx&);
json list_global_tables(Ctx&);
json describe_global_table(Ctx&);

}  // namespace localaws::ddb
