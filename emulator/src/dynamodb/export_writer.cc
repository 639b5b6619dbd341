// The objects of one export, in the layout AWS documents
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html):
//   <S3Prefix>/AWSDynamoDB/<export-id>/_started                  empty, written first
//   <S3Prefix>/AWSDynamoDB/<export-id>/data/<random>.json.gz     full exports: {"Item": ...} lines
//                                                                (.ion.gz: Ion text, ion.cc)
//   <S3Prefix>/AWSDynamoDB/data/<random>.json.gz                 incremental exports (a folder
//                                                                shared by them, as on AWS)
//   <S3Prefix>/AWSDynamoDB/<export-id>/manifest-files.json       one JSON line per data file
//   <S3Prefix>/AWSDynamoDB/<export-id>/manifest-summary.json
//   <S3Prefix>/AWSDynamoDB/<export-id>/manifest-*.checksum       hex MD5 of the manifest
// A table has one partition here, so an export has one data file (empty for an empty table).
#include <functional>

#include "common/crypto.h"
#include "common/time.h"
#include "dynamodb/exports.h"
#include "dynamodb/item_common.h"
#include "dynamodb/pitr.h"
#include "dynamodb/s3_bridge.h"
#include "dynamodb/value.h"
#include "server/runtime.h"

namespace localaws::ddb {
namespace {

// 26 characters of [a-z2-7], like the names AWS gives data files.
std::string data_file_name() {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string hex = random_hex(26), out;
  for (size_t i = 0; i < 26; ++i) out.push_back(kAlphabet[std::stoi(hex.substr(2 * i, 2), nullptr, 16) % 32]);
  return out;
}

// The key of name under <prefix>/AWSDynamoDB/.
std::string under_root(const std::string& prefix, const std::string& name) {
  if (prefix.empty()) return "AWSDynamoDB/" + name;
  return prefix + (prefix.back() == '/' ? "" : "/") + "AWSDynamoDB/" + name;
}

json null_or(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// One incremental record: Metadata, Keys, NewImage and (NEW_AND_OLD_IMAGES) OldImage; a deletion
// has no NewImage.
std::string change_line(const ExportPlan& p, const store::Change& ch, int64_t written_ms, int64_t* size) {
  std::optional<json> old_item, new_item;
  if (ch.old_item) old_item = json::parse(*ch.old_item);
  if (ch.new_item) new_item = json::parse(*ch.new_item);
  const json& any = new_item ? *new_item : *old_item;
  json line = {{"Metadata", {{"WriteTimestampMicros", {{"N", std::to_string(written_ms * 1000)}}}}},
               {"Keys", key_attributes(p.table, any)}};
  if (new_item) {
    *size += static_cast<int64_t>(item_size(*new_item));
    line["NewImage"] = *new_item;
  }
  if (old_item && p.old_images) {
    *size += static_cast<int64_t>(item_size(*old_item));
    line["OldImage"] = *old_item;
  }
  return p.ion ? ion_record(line) : line.dump() + "\n";
}

// Streams the export's rows into one gzip data file; returns its item count and billed bytes.
void write_rows(Runtime& rt, const ExportPlan& p, s3io::ObjectBuilder& out, ExportResult& r) {
  rt.db->read([&](storage::Connection& c) {
    if (!p.incremental) {
      store::read_table_at(c, p.table, p.read_ms, [&](const store::Row& row) {
        if (p.ion) {
          out.append(ion_record({{"Item", json::parse(row.item)}}));
        } else {
          out.append("{\"Item\":");
          out.append(row.item);
          out.append("}\n");
        }
        ++r.item_count;
        r.billed_bytes += row.size;
      });
      return;
    }
    // AWS's window is [from, to); read_changes compares the states at two instants (from, to].
    store::read_changes(c, p.table, p.from_ms - 1, p.to_ms - 1, [&](const store::Change& ch) {
      out.append(change_line(p, ch, ch.at_ms, &r.billed_bytes));
      ++r.item_count;
    });
  });
}

json summary(const ExportPlan& p, const ExportResult& r, const std::string& files_key) {
  json s = {{"version", p.incremental ? "2023-08-01" : "2020-06-30"},
            {"exportArn", p.export_arn},
            {"startTime", iso8601_ms(p.start_ms)},
            {"endTime", iso8601_ms(r.end_ms)},
            {"tableArn", p.table_arn},
            {"tableId", p.table.id}};
  if (p.incremental) {
    s["exportFromTime"] = iso8601_ms(p.from_ms);
    s["exportToTime"] = iso8601_ms(p.to_ms);
  } else {
    s["exportTime"] = iso8601_ms(p.export_ms);
  }
  s["s3Bucket"] = p.bucket;
  s["s3Prefix"] = null_or(p.prefix);
  s["s3SseAlgorithm"] = p.sse_algo.empty() ? "AES256" : p.sse_algo;
  s["s3SseKmsKeyId"] = null_or(p.sse_kms_key);
  s["manifestFilesS3Key"] = files_key;
  s["billedSizeBytes"] = r.billed_bytes;
  s["itemCount"] = r.item_count;
  s["outputFormat"] = p.ion ? "ION" : "DYNAMODB_JSON";
  if (p.incremental) {
    s["outputView"] = p.old_images ? "NEW_AND_OLD_IMAGES" : "NEW_IMAGE";
    s["exportType"] = "INCREMENTAL_EXPORT";
  }
  return s;
}

}  // namespace

ExportResult run_export(Runtime& rt, const ExportPlan& p) {
  ExportResult r;
  auto fail = [&](const s3io::Failure& f) {
    r.failure_code = f.code;
    r.failure_message = f.message;
    r.end_ms = rt.clock.now_ms();
    return r;
  };
  s3io::Failure why;
  auto bucket = s3io::BucketAccess::open(rt, p.account, p.bucket, p.expected_owner, &why);
  if (!bucket) return fail(why);
  r.bucket_owner = bucket->bucket().owner.account;
  const std::string dir = under_root(p.prefix, p.export_id) + "/";
  const std::string data_name = data_file_name() + (p.ion ? ".ion.gz" : ".json.gz");
  const std::string data_key = p.incremental ? under_root(p.prefix, "data/" + data_name) : dir + "data/" + data_name;
  const std::string files_key = dir + "manifest-files.json", summary_key = dir + "manifest-summary.json";
  for (const std::string& key : {dir + "_started", data_key, files_key, summary_key})
    if (!bucket->may("s3:PutObject", key)) return fail(s3io::access_denied());
  // ---- checks end: objects are written from here on ----
  s3io::Sse sse{p.sse_algo, p.sse_kms_key};
  bucket->put(dir + "_started", "", "application/octet-stream", sse);
  s3io::ObjectBuilder data(bucket->blobs(), true);
  write_rows(rt, p, data, r);
  s3io::Written file = bucket->commit(data_key, data.finish(), "application/x-gzip", sse);
  json entry = {{"itemCount", r.item_count}, {"md5Checksum", file.md5_b64}, {"etag", file.etag},
                {"dataFileS3Key", file.key}};
  std::string files = entry.dump() + "\n";
  bucket->put(files_key, files, "application/json", sse);
  bucket->put(dir + "manifest-files.checksum", to_hex(md5_raw(files)), "text/plain", sse);
  r.end_ms = rt.clock.now_ms();
  std::string text = summary(p, r, files_key).dump();
  bucket->put(summary_key, text, "application/json", sse);
  bucket->put(dir + "manifest-summary.checksum", to_hex(md5_raw(text)), "text/plain", sse);
  r.manifest_key = summary_key;
  return r;
}

}  // namespace localaws::ddb
