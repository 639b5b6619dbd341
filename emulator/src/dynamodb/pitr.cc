// Point-in-time recovery: UpdateContinuousBackups, DescribeContinuousBackups,
// RestoreTableToPointInTime (pitr.h). Times are the emulator clock's; a restore reads the change
// history, so it equals the table at the chosen millisecond.
#include "dynamodb/pitr.h"

#include <algorithm>
#include <cmath>

#include "dynamodb/backups.h"
#include "dynamodb/params.h"
#include "server/runtime.h"

namespace localaws::ddb {
namespace {

constexpr int64_t kDayMs = 86400000;
constexpr int kDefaultDays = 35;  // RecoveryPeriodInDays when not given

double seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }
int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

DdbError table_not_found(const std::string& name) { return {"TableNotFoundException", "Table not found: " + name}; }

const json* pitr_meta(const Table& t) {
  auto it = t.meta.find("PointInTimeRecovery");
  return it == t.meta.end() ? nullptr : &*it;
}

json description(const Table& t, int64_t now) {
  json pitr = {{"PointInTimeRecoveryStatus", pitr::enabled(t) ? "ENABLED" : "DISABLED"}};
  if (pitr::enabled(t)) {
    pitr["RecoveryPeriodInDays"] = pitr::recovery_days(t);
    pitr["EarliestRestorableDateTime"] = seconds(pitr::earliest_ms(t, now));
    pitr["LatestRestorableDateTime"] = seconds(now);
  }
  return {{"ContinuousBackupsDescription",
           {{"ContinuousBackupsStatus", "ENABLED"}, {"PointInTimeRecoveryDescription", pitr}}}};
}

// The source table of a restore: SourceTableName or SourceTableArn (of the caller's account and
// region), exactly one of them.
std::string source_name(const Ctx& ctx) {
  const std::string* arn = opt_string(ctx.in, "SourceTableArn");
  bool has_name = opt_string(ctx.in, "SourceTableName") != nullptr;
  if (arn && has_name)
    throw DdbError::validation("Only one of SourceTableArn or SourceTableName can be specified");
  if (!arn && !has_name) throw DdbError::validation("Either SourceTableArn or SourceTableName must be specified");
  if (has_name) return table_name(ctx.in, "SourceTableName", "sourceTableName", 3);
  if (arn->empty() || arn->size() > 1024)
    throw DdbError::constraint(*arn, "sourceTableArn",
                               arn->empty() ? "Member must have length greater than or equal to 1"
                                            : "Member must have length less than or equal to 1024");
  if (arn->rfind(ctx.arn_prefix(), 0) != 0) throw table_not_found(*arn);
  return arn->substr(ctx.arn_prefix().size());
}

// RestoreDateTime in whole seconds (AWS restores to day:hour:minute:second; botocore sends
// whole seconds), or nullopt for UseLatestRestorableTime; exactly one of them.
std::optional<int64_t> restore_time(const json& in) {
  bool latest = opt_bool(in, "UseLatestRestorableTime").value_or(false);
  auto it = in.find("RestoreDateTime");
  bool has_time = it != in.end() && !it->is_null();
  if (has_time && !it->is_number()) throw DdbError::serialization("Unexpected value type in payload");
  if (latest && has_time)
    throw DdbError::validation("Only one of RestoreDateTime or UseLatestRestorableTime can be specified");
  if (!latest && !has_time)
    throw DdbError::validation("Either RestoreDateTime or UseLatestRestorableTime must be specified");
  if (latest) return std::nullopt;
  return static_cast<int64_t>(std::floor(it->get<double>()));
}

}  // namespace

namespace pitr {
bool enabled(const Table& t) { return pitr_meta(t) != nullptr; }
int recovery_days(const Table& t) {
  const json* m = pitr_meta(t);
  return m ? m->value("RecoveryPeriodInDays", kDefaultDays) : kDefaultDays;
}
int64_t earliest_ms(const Table& t, int64_t now_ms) {
  const json* m = pitr_meta(t);
  int64_t enabled_ms = m ? m->value("EnabledMs", now_ms) : now_ms;
  return std::max(enabled_ms, now_ms - recovery_days(t) * kDayMs);
}
}  // namespace pitr

json update_continuous_backups(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  json* spec = opt_object(ctx.in, "PointInTimeRecoverySpecification");
  if (!spec)
    throw DdbError::validation(
        "1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: "
        "Member must not be null");
  auto on = opt_bool(*spec, "PointInTimeRecoveryEnabled");
  if (!on)
    throw DdbError::validation(
        "1 validation error detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' "
        "failed to satisfy constraint: Member must not be null");
  auto days = opt_int(*spec, "RecoveryPeriodInDays");
  if (days && (*days < 1 || *days > 35))
    throw DdbError::constraint(std::to_string(*days), "pointInTimeRecoverySpecification.recoveryPeriodInDays",
                               *days < 1 ? "Member must have value greater than or equal to 1"
                                         : "Member must have value less than or equal to 35");
  if (days && !*on)
    throw DdbError::validation("RecoveryPeriodInDays can only be specified when PointInTimeRecoveryEnabled is true");
  return ctx.db.write([&](storage::Connection& c) {
    auto t = store::find_table(c, ctx, name);
    if (!t) throw table_not_found(name);
    int64_t now = ctx.rt.clock.now_ms();
    if (*on) {
      if (!pitr::enabled(*t)) {
        store::clear_history(c, t->id);
        t->meta["PointInTimeRecovery"] = {{"EnabledMs", now}};
        store::snapshot_history(c, *t, now);
      }
      t->meta["PointInTimeRecovery"]["RecoveryPeriodInDays"] = days.value_or(kDefaultDays);
    } else if (pitr::enabled(*t)) {
      t->meta.erase("PointInTimeRecovery");
      store::clear_history(c, t->id);
    }
    store::save_meta(c, *t);
    return description(*t, now);
  });
}

json describe_continuous_backups(Ctx& ctx) {
  std::string name = table_name(ctx.in);
  return ctx.db.read([&](storage::Connection& c) {
    auto t = store::find_table(c, ctx, name);
    if (!t) throw table_not_found(name);
    return description(*t, ctx.rt.clock.now_ms());
  });
}

json restore_table_to_point_in_time(Ctx& ctx) {
  std::string target = table_name(ctx.in, "TargetTableName", "targetTableName", 3);
  std::string source = source_name(ctx);
  auto at = restore_time(ctx.in);
  check_sse_override(ctx.in);
  // The source's current settings are the restored table's (AWS), with the request's overrides.
  Table src = ctx.db.read([&](storage::Connection& c) {
    auto t = store::find_table(c, ctx, source);
    if (!t) throw table_not_found(source);
    return std::move(*t);
  });
  int64_t now = ctx.rt.clock.now_ms();
  auto check_time = [&](const Table& t) {
    if (!pitr::enabled(t))
      throw DdbError("PointInTimeRecoveryUnavailableException",
                     "Point in time recovery is not enabled for table '" + source + "'");
    if (at && (*at < floor_div(pitr::earliest_ms(t, now), 1000) || *at > floor_div(now, 1000)))
      throw DdbError("InvalidRestoreTimeException",
                     "RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime");
  };
  check_time(src);
  // A second names the table as it was at its end: every write made in that second is in.
  int64_t when = at ? *at * 1000 + 999 : now;
  json source_meta = src.meta;
  source_meta.erase("PointInTimeRecovery");
  json summary = {{"SourceTableArn", ctx.arn_prefix() + source}, {"RestoreDateTime", at ? static_cast<double>(*at) : seconds(now)}};
  return restore_new_table(ctx, target, source_meta, std::move(summary), [&](storage::Connection& c, Table& made) {
    auto t = store::find_table(c, ctx, source);  // again, in the write: PITR may have been turned off
    if (!t || t->id != src.id) throw table_not_found(source);
    check_time(*t);
    store::read_table_at(c, *t, when, [&](const store::Row& r) {
      store::put_item(c, made, {r.hk, r.rk}, json::parse(r.item), static_cast<size_t>(r.size));
    });
  });
}

size_t sweep_pitr(storage::Database& db, int64_t now_ms) {
  return db.write([&](storage::Connection& c) {
    size_t n = store::delete_system_backups_before(c, now_ms - kSystemBackupDays * kDayMs);
    for (const Table& t : store::tables_with_member(c, "PointInTimeRecovery"))
      store::sweep_history(c, t.id, pitr::earliest_ms(t, now_ms));
    return n;
  });
}

}  // namespace localaws::ddb
