// ImportTable, DescribeImport, ListImports. An import runs inside the request: the table exists
// and holds the items, and the status is COMPLETED (or FAILED), when the call answers.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ImportTable.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataImport.Validation.html
//
// Per-item errors go where AWS sends them to CloudWatch Logs (/aws-dynamodb/imports, stream
// <import-id>/error): one JSON line each, {"itemS3Pointer": {"bucket", "key", "itemIndex"},
// "importArn", "errorMessages": [...]}, in the source bucket's object
// AWSDynamoDB/imports/<import-id>/error.json (when the caller may write there).
#include <cstring>

#include "common/strings.h"
#include "dynamodb/exports.h"
#include "dynamodb/indexes.h"
#include "dynamodb/item_common.h"
#include "dynamodb/params.h"
#include "dynamodb/s3_bridge.h"
#include "dynamodb/table_schema.h"
#include "dynamodb/value.h"
#include "server/runtime.h"

namespace localaws::ddb {
namespace {

using transfer::seconds;

// A decoded source object larger than this is an error (objects are read whole).
constexpr size_t kMaxSourceBytes = 256u << 20;

const char* kValidationFailed =
    "Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more "
    "details.";

// Keys an export writes beside its data files: not items (an export folder can be imported).
bool is_export_metadata(const std::string& key) {
  for (const char* end : {"/manifest-summary.json", "/manifest-files.json", ".checksum", ".md5", "/_started"})
    if (key.size() >= std::strlen(end) && key.compare(key.size() - std::strlen(end), std::string::npos, end) == 0)
      return true;
  return key == "_started";
}

ImportFormat format_param(json& in, const std::string& format) {
  ImportFormat f;
  f.format = format;
  json* opts = opt_object(in, "InputFormatOptions");
  json* csv = opts ? opt_object(*opts, "Csv") : nullptr;
  if (!csv) return f;
  if (const std::string* d = opt_string(*csv, "Delimiter")) {
    if (d->size() != 1 || std::string(",\t:;| ").find((*d)[0]) == std::string::npos)
      throw DdbError::constraint(*d, "inputFormatOptions.csv.delimiter",
                                 "Member must satisfy regular expression pattern: [,;:|\\t ]");
    f.delimiter = (*d)[0];
  }
  if (const json* list = opt_array(*csv, "HeaderList")) {
    if (list->empty() || list->size() > 255)
      throw DdbError::constraint(list->dump(), "inputFormatOptions.csv.headerList",
                                 "Member must have length between 1 and 255");
    for (auto& h : *list) {
      if (!h.is_string()) throw DdbError::serialization("Unexpected value type in payload");
      f.header.push_back(h.get<std::string>());
    }
  }
  return f;
}

// TableCreationParameters as the CreateTable request they stand for.
json creation_request(json& in) {
  json* p = opt_object(in, "TableCreationParameters");
  if (!p)
    throw DdbError::validation("1 validation error detected: Value null at 'tableCreationParameters' failed to "
                               "satisfy constraint: Member must not be null");
  json req = json::object();
  for (const char* k : {"TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "ProvisionedThroughput",
                        "OnDemandThroughput", "SSESpecification", "GlobalSecondaryIndexes"})
    if (p->contains(k)) req[k] = (*p)[k];
  return req;
}

struct Counts {
  int64_t processed = 0, imported = 0, errors = 0, bytes = 0;
};

// One item of a source object, validated as PutItem would (AWS's messages); throws DdbError.
void check_item(const Table& t, json& item) {
  validate_attribute_map(item);
  key_from_item(t, item);
  check_item_size(item);
  index_rows(t, item);
}

class Importer {
 public:
  Importer(Ctx& ctx, s3io::BucketAccess& bucket, const Table& t, const ImportFormat& f, std::string compression,
           std::string import_arn)
      : ctx_(ctx), bucket_(bucket), t_(t), f_(f), compression_(std::move(compression)), arn_(std::move(import_arn)) {}

  // Imports every object under prefix; false (with *fail) when S3 refused a read.
  bool run(const std::string& prefix, s3io::Failure* fail) {
    bool ok = true;
    bucket_.list(prefix, [&](const s3::Object& o) {
      if (is_export_metadata(o.key)) return true;
      if (!bucket_.may("s3:GetObject", o.key, &o)) {
        *fail = s3io::access_denied();
        return ok = false;
      }
      import_object(o);
      return true;
    });
    return ok;
  }
  const Counts& counts() const { return n_; }
  const std::string& report() const { return report_; }

 private:
  void error(const std::string& key, int64_t index, const std::string& message) {
    ++n_.errors;
    json line = {{"itemS3Pointer", {{"bucket", bucket_.bucket().name}, {"key", key}, {"itemIndex", index}}},
                 {"importArn", arn_},
                 {"errorMessages", json::array({message})}};
    report_ += line.dump() + "\n";
  }

  void import_object(const s3::Object& o) {
    std::string why;
    auto raw = bucket_.read(o, kMaxSourceBytes, &why);
    std::optional<std::string> text;
    if (raw) text = decode_source(compression_, std::move(*raw), kMaxSourceBytes, &why);
    if (!text) return error(o.key, 0, why);
    n_.bytes += static_cast<int64_t>(text->size());
    std::vector<std::pair<ItemKey, json>> good;
    int64_t index = 0;
    parse_records(f_, t_, *text, [&](json* item, const std::string& problem) {
      ++n_.processed;
      int64_t at = index++;
      if (!item) return error(o.key, at, problem);
      try {
        check_item(t_, *item);
        good.emplace_back(key_from_item(t_, *item), std::move(*item));
      } catch (const DdbError& e) {
        error(o.key, at, e.message());
      }
    });
    ctx_.db.write([&](storage::Connection& c) {
      for (auto& [k, item] : good) store::put_item(c, t_, k, item, item_size(item));
    });
    n_.imported += static_cast<int64_t>(good.size());
  }

  Ctx& ctx_;
  s3io::BucketAccess& bucket_;
  const Table& t_;
  const ImportFormat& f_;
  std::string compression_, arn_;
  Counts n_;
  std::string report_;
};

json summary_of(const json& d) {
  json s = json::object();
  for (const char* k : {"ImportArn", "ImportStatus", "TableArn", "S3BucketSource", "CloudWatchLogGroupArn",
                        "InputFormat", "StartTime", "EndTime"})
    if (d.contains(k)) s[k] = d[k];
  return s;
}

}  // namespace

json import_table(Ctx& ctx) {
  json& in = ctx.in;
  json* src = opt_object(in, "S3BucketSource");
  if (!src)
    throw DdbError::validation("1 validation error detected: Value null at 's3BucketSource' failed to satisfy "
                               "constraint: Member must not be null");
  std::string bucket_name = transfer::required_string(*src, "S3Bucket", "s3BucketSource.s3Bucket", 0, 255);
  const std::string* owner = opt_string(*src, "S3BucketOwner");
  std::string prefix;
  if (const std::string* p = opt_string(*src, "S3KeyPrefix")) {
    transfer::check_length(*p, "s3BucketSource.s3KeyPrefix", 0, 1024);
    prefix = *p;
  }
  if (!opt_string(in, "InputFormat"))
    throw DdbError::validation("1 validation error detected: Value null at 'inputFormat' failed to satisfy "
                               "constraint: Member must not be null");
  std::string format = enum_param(in, "InputFormat", "inputFormat", {"DYNAMODB_JSON", "ION", "CSV"}, "");
  ImportFormat f = format_param(in, format);
  std::string compression =
      enum_param(in, "InputCompressionType", "inputCompressionType", {"GZIP", "ZSTD", "NONE"}, "NONE");
  json req = creation_request(in);
  Table t;
  t.name = table_name(req, "TableName", "tableCreationParameters.tableName", 3);
  t.meta = validate_create_table(req);
  auto token = transfer::client_token(in);
  std::string fingerprint = transfer::fingerprint(in);
  if (auto done = transfer::replay(ctx, "import", token, fingerprint,
                                   DdbError("ImportConflictException",
                                            "There was a conflict when importing from the specified S3 source. This "
                                            "can occur when the current import conflicts with a previous import "
                                            "request that had the same client token.")))
    return {{"ImportTableDescription", *done}};
  if (ctx.db.read([&](storage::Connection& c) { return store::find_table(c, ctx, t.name).has_value(); }))
    throw DdbError::resource_in_use("Table already exists: " + t.name);
  // ---- checks end: the import runs ----
  int64_t now = ctx.rt.clock.now_ms();
  std::string table_arn = ctx.arn_prefix() + t.name;
  std::string import_arn = table_arn + "/import/" + transfer::new_job_id(now);
  json source = {{"S3Bucket", bucket_name}};
  if (!prefix.empty()) source["S3KeyPrefix"] = prefix;
  json d = {{"ImportArn", import_arn},
            {"TableArn", table_arn},
            {"ClientToken", token.value_or(new_table_id())},
            {"CloudWatchLogGroupArn", "arn:aws:logs:" + ctx.region + ":" + ctx.account + ":log-group:/aws-dynamodb/imports:*"},
            {"InputFormat", format},
            {"InputCompressionType", compression},
            {"TableCreationParameters", in["TableCreationParameters"]},
            {"StartTime", seconds(now)}};
  if (in.contains("InputFormatOptions") && !in["InputFormatOptions"].is_null()) d["InputFormatOptions"] = in["InputFormatOptions"];
  Counts n;
  s3io::Failure fail;
  auto bucket = s3io::BucketAccess::open(ctx.rt, ctx.account, bucket_name, owner, &fail);
  bool failed = !bucket;
  if (bucket) source["S3BucketOwner"] = bucket->bucket().owner.account;
  else if (owner) source["S3BucketOwner"] = *owner;
  if (bucket && !bucket->may("s3:ListBucket", "")) {
    fail = s3io::access_denied();
    failed = true;
  }
  if (!failed) {
    // The table exists from here on, whatever happens to the items (as on AWS).
    t.meta["CreationDateTime"] = seconds(now);
    t.id = new_table_id();
    ctx.db.write([&](storage::Connection& c) {
      if (!store::insert_table(c, ctx, t)) throw DdbError::resource_in_use("Table already exists: " + t.name);
    });
    t = ctx.db.read([&](storage::Connection& c) { return store::must_find_table(c, ctx, t.name); });
    d["TableId"] = t.id;
    Importer imp(ctx, *bucket, t, f, compression, import_arn);
    failed = !imp.run(prefix, &fail);
    n = imp.counts();
    std::string report_key = "AWSDynamoDB/imports/" + import_arn.substr(import_arn.rfind('/') + 1) + "/error.json";
    if (!imp.report().empty() && bucket->may("s3:PutObject", report_key))
      bucket->put(report_key, imp.report(), "application/json", {});
    if (!failed && n.errors > 0) {
      fail = {"ItemValidationError", kValidationFailed};
      failed = true;
    }
  }
  d["S3BucketSource"] = source;
  d["ImportStatus"] = failed ? "FAILED" : "COMPLETED";
  d["EndTime"] = seconds(ctx.rt.clock.now_ms());
  d["ErrorCount"] = n.errors;
  d["ProcessedItemCount"] = n.processed;
  d["ImportedItemCount"] = n.imported;
  d["ProcessedSizeBytes"] = n.bytes;
  if (failed) {
    d["FailureCode"] = fail.code;
    d["FailureMessage"] = fail.message;
  }
  return {{"ImportTableDescription", transfer::record_job(ctx, "import", import_arn, table_arn, token, fingerprint, now, d)}};
}

json describe_import(Ctx& ctx) {
  return {{"ImportTableDescription", transfer::job_description(ctx, "import", "ImportArn", "importArn",
                                                               "ImportNotFoundException", "Import not found: ")}};
}

json list_imports(Ctx& ctx) {
  return transfer::list_page(ctx, "import", "PageSize", "pageSize", "ImportSummaryList", summary_of);
}

}  // namespace localaws::ddb
