// Export to and import from S3: ExportTableToPointInTime, DescribeExport, ListExports
// (exports.cc, export_writer.cc), ImportTable, DescribeImport, ListImports (imports.cc,
// import_formats.cc), reading and writing localaws buckets as the caller (s3_bridge.h).
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataImport.Format.html
//
//   ddb_transfer_jobs(seq; arn unique) -> kind ("export" / "import"), account, region, table_arn,
//                                         client_token, created_ms (emulator clock), fingerprint
//                                         (the request without its ClientToken), description
//                                         (JSON: the ExportDescription / ImportTableDescription)
// A job runs to its end inside the request that starts it: the answer already says COMPLETED or
// FAILED (docs/dynamodb.md, "Export and import"). Jobs outlive their table, as on AWS, and are
// cleared by /_localaws/reset (ddb_ prefix).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb/context.h"
#include "dynamodb/store.h"

namespace localaws::ddb {

struct TransferJob {
  std::string kind;  // "export" or "import"
  std::string arn, account, region, table_arn, client_token, fingerprint;
  int64_t created_ms = 0;
  int64_t seq = 0;  // creation order (set by the store)
  json description;
};

namespace store {
void insert_job(storage::Connection& c, const TransferJob& j);
std::optional<TransferJob> find_job(storage::Connection& c, const std::string& kind, const std::string& arn);
// The newest job of that kind with the token, created at or after since_ms.
std::optional<TransferJob> find_job_by_token(storage::Connection& c, const std::string& kind, const std::string& account,
                                             const std::string& region, const std::string& token, int64_t since_ms);
struct JobFilter {
  std::string kind, account, region;
  std::optional<std::string> table_arn;
  std::optional<int64_t> after_seq;  // exclusive
  int64_t limit = 25;
};
// Newest first (as AWS lists them).
std::vector<TransferJob> list_jobs(storage::Connection& c, const JobFilter& f);
}  // namespace store

// Shared by exports.cc and imports.cc.
namespace transfer {
// "<13-digit epoch ms>-<8 hex>": the id AWS gives exports and imports.
std::string new_job_id(int64_t now_ms);
double seconds(int64_t ms);
// The request without ClientToken, canonical: two requests with one token must match on it.
std::string fingerprint(const json& in);
// ClientToken: optional; AWS's pattern ^[^$]+$.
std::optional<std::string> client_token(const json& in);
// NextToken of ListExports / ListImports: the seq of the last job listed.
std::optional<int64_t> page_token(const json& in);
// A required string member of min..max characters (AWS's null / length messages).
std::string required_string(const json& in, const char* key, const char* field, size_t min, size_t max);
void check_length(const std::string& s, const char* field, size_t min, size_t max);
// An epoch-seconds timestamp member (the SDKs send numbers), as milliseconds.
std::optional<int64_t> time_param(const json& in, const char* key);
// A page size member (MaxResults, PageSize): 1..25, default 25 when absent.
int64_t page_size(const json& in, const char* key, const char* field);
// Client tokens are valid for 8 hours after the first request.
constexpr int64_t kTokenMs = 8LL * 3600 * 1000;
// The description of the job this token already started (within 8 hours) when the request is
// the same; throws `conflict` when it differs; nullopt without a token or such a job.
std::optional<json> replay(const Ctx& ctx, const char* kind, const std::optional<std::string>& token,
                           const std::string& fingerprint, const DdbError& conflict);
// Stores a finished job (its description as answered) and returns the description.
json record_job(const Ctx& ctx, const char* kind, const std::string& arn, const std::string& table_arn,
                const std::optional<std::string>& token, const std::string& fingerprint, int64_t created_ms,
                json description);
// The description of the job of the caller's account and region named by the request's arn_key
// (37..1024 characters, required), or a not_found_type error "<not_found_message><arn>".
json job_description(const Ctx& ctx, const char* kind, const char* arn_key, const char* field,
                     const char* not_found_type, const char* not_found_message);
// One page of ListExports / ListImports: {list_key: [summary(description)...], NextToken?},
// filtered by the request's TableArn, sized by size_key.
json list_page(const Ctx& ctx, const char* kind, const char* size_key, const char* size_field, const char* list_key,
               json (*summary)(const json& description));
}  // namespace transfer

// export_writer.cc: the objects of one export, written as the caller (s3_bridge.h).
struct ExportPlan {
  Table table;
  std::string table_arn, export_arn, export_id;
  bool incremental = false;
  int64_t export_ms = 0;             // full: ExportTime as reported
  int64_t read_ms = 0;               // full: the table as it was then (the end of a whole second)
  int64_t from_ms = 0, to_ms = 0;    // incremental: changes in [from, to)
  bool old_images = true;            // incremental: NEW_AND_OLD_IMAGES (else NEW_IMAGE)
  bool ion = false;                  // ExportFormat ION (else DYNAMODB_JSON)
  std::string account, bucket, prefix;
  const std::string* expected_owner = nullptr;  // S3BucketOwner
  std::string sse_algo, sse_kms_key;            // S3SseAlgorithm, S3SseKmsKeyId as requested
  int64_t start_ms = 0;
};
struct ExportResult {
  std::optional<std::string> failure_code, failure_message;
  std::string bucket_owner;   // the bucket's owner account (when it exists)
  std::string manifest_key;   // <prefix>/AWSDynamoDB/<id>/manifest-summary.json
  int64_t item_count = 0, billed_bytes = 0, end_ms = 0;
};
ExportResult run_export(Runtime& rt, const ExportPlan& p);

// import_formats.cc: the records of one source object.
struct ImportFormat {
  std::string format = "DYNAMODB_JSON";  // or CSV, ION
  char delimiter = ',';
  std::vector<std::string> header;  // CSV HeaderList (empty: the object's first line)
};
// Calls visit(item, error) for each record of text, in order: the item as read (not yet
// validated), or nullptr and why the record cannot form an item.
void parse_records(const ImportFormat& f, const Table& t, std::string_view text,
                   const std::function<void(json* item, const std::string& error)>& visit);
// The object's bytes decoded per InputCompressionType (GZIP, ZSTD, NONE), at most max bytes;
// nullopt (with *why) when they do not decode.
std::optional<std::string> decode_source(const std::string& compression, std::string bytes, size_t max,
                                         std::string* why);

// ion.cc: records as Amazon Ion text lines. A record is an object of attribute maps ("Item", or
// "Keys" / "NewImage" / "OldImage" / "Metadata" for incremental exports).
std::string ion_record(const json& record);
// nullopt (with *why) when the line is not such a record.
std::optional<json> parse_ion_record(std::string_view line, std::string* why);

// exports.cc
json export_table_to_point_in_time(Ctx&);
json describe_export(Ctx&);
json list_exports(Ctx&);
// imports.cc
json import_table(Ctx&);
json describe_import(Ctx&);
json list_imports(Ctx&);

}  // namespace localaws::ddb
