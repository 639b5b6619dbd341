// ExportTableToPointInTime, DescribeExport, ListExports. An export runs inside the request: its
// objects are in the bucket and its status is COMPLETED (or FAILED) when the call answers.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExportTableToPointInTime.html
#include <algorithm>

#include "common/strings.h"
#include "common/time.h"
#include "dynamodb/exports.h"
#include "dynamodb/params.h"
#include "dynamodb/pitr.h"
#include "server/runtime.h"

namespace localaws::ddb {
namespace {

using transfer::seconds;

constexpr int64_t kMinute = 60 * 1000;

// The table an ARN of the caller's account and region names: arn:aws:dynamodb:R:A:table/NAME.
Table table_of_arn(storage::Connection& c, const Ctx& ctx, const std::string& arn) {
  const std::string prefix = ctx.arn_prefix();
  std::string name = starts_with(arn, prefix) ? arn.substr(prefix.size()) : "";
  std::optional<Table> t;
  if (!name.empty() && name.find('/') == std::string::npos) t = store::find_table(c, ctx, name);
  if (!t) throw DdbError("TableNotFoundException", "Table not found: " + (name.empty() ? arn : name));
  return std::move(*t);
}

// S3Bucket: required, at most 255 characters of AWS's pattern ^[a-z0-9A-Z]+[\.\-\w]*[a-z0-9A-Z]+$.
std::string bucket_param(const json& in, const char* key, const char* field) {
  std::string b = transfer::required_string(in, key, field, 0, 255);
  bool ok = b.size() >= 2 && isalnum(static_cast<unsigned char>(b.front())) && isalnum(static_cast<unsigned char>(b.back()));
  for (unsigned char ch : b) ok = ok && (isalnum(ch) || ch == '.' || ch == '-' || ch == '_');
  if (!ok)
    throw DdbError::constraint(b, field, "Member must satisfy regular expression pattern: ^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$");
  return b;
}

// S3BucketOwner: 12 digits.
std::optional<std::string> owner_param(const json& in, const char* key, const char* field) {
  const std::string* o = opt_string(in, key);
  if (!o) return std::nullopt;
  bool ok = o->size() == 12;
  for (unsigned char ch : *o) ok = ok && isdigit(ch);
  if (!ok) throw DdbError::constraint(*o, field, "Member must satisfy regular expression pattern: [0-9]{12}");
  return *o;
}

std::string time_message(int64_t earliest, int64_t latest) {
  return "Export time must be between " + iso8601_ms(earliest) + " and " + iso8601_ms(latest);
}

json summary_of(const json& d) {
  return {{"ExportArn", d["ExportArn"]}, {"ExportStatus", d["ExportStatus"]}, {"ExportType", d["ExportType"]}};
}

}  // namespace

json export_table_to_point_in_time(Ctx& ctx) {
  json& in = ctx.in;
  std::string table_arn = transfer::required_string(in, "TableArn", "tableArn", 1, 1024);
  ExportPlan p;
  p.bucket = bucket_param(in, "S3Bucket", "s3Bucket");
  auto owner = owner_param(in, "S3BucketOwner", "s3BucketOwner");
  if (const std::string* prefix = opt_string(in, "S3Prefix")) {
    transfer::check_length(*prefix, "s3Prefix", 0, 1024);
    p.prefix = *prefix;
  }
  if (opt_string(in, "S3SseAlgorithm")) p.sse_algo = enum_param(in, "S3SseAlgorithm", "s3SseAlgorithm", {"AES256", "KMS"}, "");
  if (const std::string* key = opt_string(in, "S3SseKmsKeyId")) {
    transfer::check_length(*key, "s3SseKmsKeyId", 1, 2048);
    p.sse_kms_key = *key;
  }
  std::string format = enum_param(in, "ExportFormat", "exportFormat", {"DYNAMODB_JSON", "ION"}, "DYNAMODB_JSON");
  p.ion = format == "ION";
  std::string type = enum_param(in, "ExportType", "exportType", {"FULL_EXPORT", "INCREMENTAL_EXPORT"}, "FULL_EXPORT");
  p.incremental = type == "INCREMENTAL_EXPORT";
  auto export_time = transfer::time_param(in, "ExportTime");
  std::optional<int64_t> from, to;
  std::string view = "NEW_AND_OLD_IMAGES";
  if (const json* spec = opt_object(in, "IncrementalExportSpecification")) {
    from = transfer::time_param(*spec, "ExportFromTime");
    to = transfer::time_param(*spec, "ExportToTime");
    view = enum_param(*spec, "ExportViewType", "incrementalExportSpecification.exportViewType",
                      {"NEW_IMAGE", "NEW_AND_OLD_IMAGES"}, "NEW_AND_OLD_IMAGES");
  }
  if (p.incremental && export_time)
    throw DdbError::validation("ExportTime cannot be specified for an INCREMENTAL_EXPORT");
  if (p.incremental && !from)
    throw DdbError::validation("IncrementalExportSpecification.ExportFromTime must be specified for an INCREMENTAL_EXPORT");
  auto token = transfer::client_token(in);
  std::string fingerprint = transfer::fingerprint(in);
  if (auto done = transfer::replay(ctx, "export", token, fingerprint,
                                   DdbError("ExportConflictException",
                                            "There was a conflict when writing to the specified S3 bucket.")))
    return {{"ExportDescription", *done}};

  int64_t now = ctx.rt.clock.now_ms();
  p.table = ctx.db.read([&](storage::Connection& c) { return table_of_arn(c, ctx, table_arn); });
  if (!pitr::enabled(p.table))
    throw DdbError("PointInTimeRecoveryUnavailableException",
                   "Point in time recovery is not enabled for table '" + p.table.name + "'");
  int64_t earliest = pitr::earliest_ms(p.table, now);
  if (p.incremental) {
    p.from_ms = *from;
    p.to_ms = to.value_or(now);
    if (p.from_ms < earliest || p.to_ms > now || p.from_ms >= p.to_ms)
      throw DdbError("InvalidExportTimeException", time_message(earliest, now));
    if (p.to_ms - p.from_ms < 15 * kMinute || p.to_ms - p.from_ms > 24 * 60 * kMinute)
      throw DdbError::validation("The incremental export period from ExportFromTime to ExportToTime must be at least "
                                 "15 minutes and at most 24 hours");
    p.old_images = view == "NEW_AND_OLD_IMAGES";
  } else {
    p.export_ms = export_time.value_or(now);
    // A whole second S (what botocore sends) is the table at the end of S, as for
    // RestoreTableToPointInTime (docs/dynamodb.md).
    p.read_ms = export_time && *export_time % 1000 == 0 ? std::min(now, *export_time + 999) : p.export_ms;
    if (p.read_ms < earliest || p.export_ms > now)
      throw DdbError("InvalidExportTimeException", time_message(earliest, now));
  }
  // ---- checks end: the export runs ----
  p.table_arn = ctx.arn_prefix() + p.table.name;
  p.export_id = transfer::new_job_id(now);
  p.export_arn = p.table_arn + "/export/" + p.export_id;
  p.account = ctx.account;
  p.expected_owner = owner ? &*owner : nullptr;
  p.start_ms = now;
  ExportResult r = run_export(ctx.rt, p);

  json d = {{"ExportArn", p.export_arn},
            {"ExportStatus", r.failure_code ? "FAILED" : "COMPLETED"},
            {"StartTime", seconds(p.start_ms)},
            {"EndTime", seconds(r.end_ms)},
            {"TableArn", p.table_arn},
            {"TableId", p.table.id},
            {"ClientToken", token.value_or(new_table_id())},
            {"S3Bucket", p.bucket},
            {"S3SseAlgorithm", p.sse_algo.empty() ? "AES256" : p.sse_algo},
            {"ExportFormat", format},
            {"ExportType", type}};
  if (!p.incremental) d["ExportTime"] = seconds(p.export_ms);
  if (owner) d["S3BucketOwner"] = *owner;
  else if (!r.bucket_owner.empty()) d["S3BucketOwner"] = r.bucket_owner;
  if (!p.prefix.empty()) d["S3Prefix"] = p.prefix;
  if (!p.sse_kms_key.empty()) d["S3SseKmsKeyId"] = p.sse_kms_key;
  if (p.incremental)
    d["IncrementalExportSpecification"] = {
        {"ExportFromTime", seconds(p.from_ms)}, {"ExportToTime", seconds(p.to_ms)}, {"ExportViewType", view}};
  if (r.failure_code) {
    d["FailureCode"] = *r.failure_code;
    d["FailureMessage"] = *r.failure_message;
  } else {
    d["ExportManifest"] = r.manifest_key;
    d["ItemCount"] = r.item_count;
    d["BilledSizeBytes"] = r.billed_bytes;
  }
  return {{"ExportDescription", transfer::record_job(ctx, "export", p.export_arn, p.table_arn, token, fingerprint, now, d)}};
}

json describe_export(Ctx& ctx) {
  return {{"ExportDescription", transfer::job_description(ctx, "export", "ExportArn", "exportArn",
                                                          "ExportNotFoundException", "Export not found: ")}};
}

json list_exports(Ctx& ctx) {
  return transfer::list_page(ctx, "export", "MaxResults", "maxResults", "ExportSummaries", summary_of);
}

}  // namespace localaws::ddb
