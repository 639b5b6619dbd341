// Point-in-time recovery: UpdateContinuousBackups, DescribeContinuousBackups,
// RestoreTableToPointInTime, and the change history that makes a restore to any second true.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html
//
//   ddb_item_history(seq) -> table_id, hk, rk, at_ms (emulator clock), item (JSON; NULL: deleted),
//                            size
// While a table's PITR is on, store::put_item / delete_item append the item's new state in the
// write's transaction; enabling PITR first writes every current item as the base at that
// millisecond. The table as it was at T is, per key, the latest entry with at_ms <= T (absent
// or deleted: no item). A sweep drops what the recovery period no longer needs, keeping per key
// the latest entry before the window as the window's base. Disabling PITR drops the history.
//
// The table's metadata keeps {"PointInTimeRecovery": {"EnabledMs", "RecoveryPeriodInDays"}}
// while PITR is on.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "dynamodb/context.h"
#include "dynamodb/store.h"

namespace localaws::ddb {

namespace pitr {
bool enabled(const Table& t);
int recovery_days(const Table& t);
// EarliestRestorableDateTime in ms: the later of enabling and now minus the recovery period.
int64_t earliest_ms(const Table& t, int64_t now_ms);
}  // namespace pitr

namespace store {
// Appends the item's new state (nullptr: deleted) to the history when the table's PITR is on.
void record_history(storage::Connection& c, const Table& t, const ItemKey& k, const json* item, size_t size);
// Writes every current item of the table as the history's base at at_ms.
void snapshot_history(storage::Connection& c, const Table& t, int64_t at_ms);
void clear_history(storage::Connection& c, const std::string& table_id);
// Drops entries no restore at or after cutoff_ms needs.
void sweep_history(storage::Connection& c, const std::string& table_id, int64_t cutoff_ms);
// Calls visit(row) for every item of the table as it was at at_ms (the latest entry <= at_ms
// per key, deleted ones skipped), in key order. PITR must have been on at at_ms.
void read_table_at(storage::Connection& c, const Table& t, int64_t at_ms, const std::function<void(const Row&)>& visit);
// One key changed in (from_ms, to_ms]: its state at from_ms and at to_ms (nullopt: absent).
struct Change {
  std::string hk, rk;
  std::optional<std::string> old_item, new_item;  // JSON text
  int64_t at_ms = 0;  // the last write in the range
};
// Calls visit(change) for every key whose state differs between from_ms and to_ms, in key order.
void read_changes(storage::Connection& c, const Table& t, int64_t from_ms, int64_t to_ms,
                  const std::function<void(const Change&)>& visit);
}  // namespace store

// pitr.cc
json update_continuous_backups(Ctx&);
json describe_continuous_backups(Ctx&);
json restore_table_to_point_in_time(Ctx&);
// The periodic sweep (with TTL's): trims every PITR table's history to its recovery period and
// deletes SYSTEM backups past their 35 days; returns how many backups it deleted.
size_t sweep_pitr(storage::Database& db, int64_t now_ms);

}  // namespace localaws::ddb
