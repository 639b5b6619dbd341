// The DynamoDB JSON 1.0 service: X-Amz-Target -> one handler per operation.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "common/time.h"
#include "dynamodb/ttl.h"

#include "common/compression.h"
#include "common/crypto.h"
#include "common/json_parse.h"
#include "common/log.h"
#include "common/strings.h"
#include "dynamodb/backups.h"
#include "dynamodb/context.h"
#include "dynamodb/error_catalog.h"
#include "dynamodb/exports.h"
#include "dynamodb/journal_notes.h"
#include "dynamodb/partiql/ops.h"
#include "dynamodb/resource_policy.h"
#include "dynamodb/pitr.h"
#include "dynamodb/store.h"
#include "dynamodb/streams.h"
#include "dynamodb/table_cache.h"
#include "server/runtime.h"

namespace localaws {
namespace ddb {
namespace {

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
// The DynamoDB Streams API shares the endpoint and the signing name (dynamodb).
constexpr std::string_view kStreamsPrefix = "DynamoDBStreams_20120810.";

const std::unordered_map<std::string_view, Handler>& handlers() {
  static const std::unordered_map<std::string_view, Handler> kHandlers = {
      {"CreateTable", create_table},
      {"DescribeTable", describe_table},
      {"ListTables", list_tables},
      {"DeleteTable", delete_table},
      {"UpdateTable", update_table},
      {"TagResource", tag_resource},
      {"UntagResource", untag_resource},
      {"ListTagsOfResource", list_tags_of_resource},
      {"DescribeLimits", describe_limits},
      {"DescribeEndpoints", describe_endpoints},
      {"PutItem", put_item},
      {"GetItem", get_item},
      {"DeleteItem", delete_item},
      {"UpdateItem", update_item},
      {"Query", query},
      {"Scan", scan},
      {"TransactWriteItems", transact_write_items},
      {"TransactGetItems", transact_get_items},
      {"BatchGetItem", batch_get_item},
      {"BatchWriteItem", batch_write_item},
      {"UpdateTimeToLive", update_time_to_live},
      {"DescribeTimeToLive", describe_time_to_live},
      {"ExecuteStatement", execute_statement},
      {"BatchExecuteStatement", batch_execute_statement},
      {"ExecuteTransaction", execute_transaction},
      {"CreateBackup", create_backup},
      {"DescribeBackup", describe_backup},
      {"ListBackups", list_backups},
      {"DeleteBackup", delete_backup},
      {"RestoreTableFromBackup", restore_table_from_backup},
      {"DescribeContinuousBackups", describe_continuous_backups},
      {"UpdateContinuousBackups", update_continuous_backups},
      {"RestoreTableToPointInTime", restore_table_to_point_in_time},
      {"DescribeContributorInsights", describe_contributor_insights},
      {"UpdateContributorInsights", update_contributor_insights},
      {"ListContributorInsights", list_contributor_insights},
      {"DescribeKinesisStreamingDestination", describe_kinesis_streaming_destination},
      {"DescribeTableReplicaAutoScaling", describe_table_replica_auto_scaling},
      {"ListGlobalTables", list_global_tables},
      {"DescribeGlobalTable", describe_global_table},
      {"ExportTableToPointInTime", export_table_to_point_in_time},
      {"ListExports", list_exports},
      {"DescribeExport", describe_export},
      {"ListImports", list_imports},
      {"ImportTable", import_table},
      {"DescribeImport", describe_import},
      {"PutResourcePolicy", put_resource_policy},
      {"GetResourcePolicy", get_resource_policy},
      {"DeleteResourcePolicy", delete_resource_policy},
  };
  return kHandlers;
}

const std::unordered_map<std::string_view, Handler>& stream_handlers() {
  static const std::unordered_map<std::string_view, Handler> kHandlers = {
      {"ListStreams", streams::list_streams},
      {"DescribeStream", streams::describe_stream},
      {"GetShardIterator", streams::get_shard_iterator},
      {"GetRecords", streams::get_records},
  };
  return kHandlers;
}

// The region the client signed for (Credential=AKID/date/REGION/service/aws4_request); tables
// live per region as on AWS. Falls back to the configured region.
std::string signing_region(const http::Request& req, const std::string& fallback) {
  const std::string* auth = req.header("authorization");
  if (!auth) return fallback;
  auto p = auth->find("Credential=");
  if (p == std::string::npos) return fallback;
  auto end = auth->find_first_of(", ", p);
  std::string cred = auth->substr(p + 11, end == std::string::npos ? std::string::npos : end - p - 11);
  auto parts = split(cred, '/');
  if (parts.size() != 5 || parts[2].empty()) return fallback;
  return parts[2];
}

// Deepest bracket nesting of a JSON text (outside strings). Checked before parsing because
// copying or printing a deeply nested nlohmann::json recurses once per level.
size_t json_depth(const std::string& text) {
  size_t depth = 0, max = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max = std::max(max, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return max;
}

// Enough for AttributeValues nested to DynamoDB's limit of 32 levels (two JSON levels each).
constexpr size_t kMaxJsonDepth = 128;

// DynamoDB compresses responses of 4 KB and more when Accept-Encoding allows (docs/dynamodb.md).
constexpr size_t kCompressFrom = 4096;

// The last Accept-Encoding header: DynamoDB ignores earlier copies.
std::optional<std::string_view> accept_encoding(const http::Request& req) {
  std::optional<std::string_view> v;
  for (auto& [k, value] : req.headers)
    if (k == "accept-encoding") v = value;
  return v;
}

// Undoes the request's Content-Encoding (gzip / deflate, after authentication: the signature
// covers the bytes as sent). DynamoDB answers 500 InternalServerError to an unknown coding and to
// data that does not decode; the decoded body has the same 16 MB cap as a plain one (413).
void decode_body(const http::Request& req, std::string& body) {
  const std::string coded = req.header_joined("content-encoding");
  if (coded.empty()) return;
  std::string unknown;
  auto codings = compression::parse_content_encoding(coded, &unknown);
  if (!codings) {
    throw DdbError("InternalServerError", "Internal server error (unsupported Content-Encoding '" + unknown + "')", 500);
  }
  for (auto it = codings->rbegin(); it != codings->rend(); ++it) {
    std::string out;
    if (auto err = compression::decompress(*it, body, auth::Authenticator::kMaxJsonBody, out)) {
      if (err->too_large) throw DdbError("RequestEntityTooLarge", "Request Entity Too Large", 413);
      throw DdbError("InternalServerError", "Internal server error (" + err->message + ")", 500);
    }
    body = std::move(out);
  }
}

class DdbService : public Service {
 public:
  explicit DdbService(Runtime& rt) : rt_(rt), tables_(*rt.db) {
    store::migrate(*rt.db);
    note_policies();
    streams::configure({&rt.clock, rt.config.stream_shard_records,
                        static_cast<int64_t>(rt.config.stream_shard_seconds * 1000)});
    sweeper_ = std::thread([this] { sweep_loop(); });
  }
  ~DdbService() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    sweeper_.join();
  }
  const char* name() const override { return "dynamodb"; }
  auth::ServiceKind kind() const override { return auth::ServiceKind::kDynamoDB; }

  void handle(http::Request& req, const auth::Principal& who, http::Response& res) override {
    const std::string target = req.header_or("x-amz-target");
    const bool for_streams = starts_with(target, kStreamsPrefix);
    const auto& table = for_streams ? stream_handlers() : handlers();
    const size_t skip = for_streams ? kStreamsPrefix.size() : kTargetPrefix.size();
    std::string_view op = std::string_view(target).substr(std::min(target.size(), skip));
    res.operation = std::string(op);
    try {
      auto it = table.find(op);
      if (it == table.end()) throw DdbError::unknown_operation();
      if (who.anonymous) throw DdbError::missing_auth_token();
      std::string body;
      if (auto err = http::read_all(*req.body, auth::Authenticator::kMaxJsonBody, body)) {
        throw DdbError::validation("Request body could not be read: " + err->message);
      }
      decode_body(req, body);
      if (json_depth(body) > kMaxJsonDepth) throw DdbError::validation("Nesting Levels have exceeded supported limits");
      json in = parse_json(body);
      res.journal.body = std::move(body);  // for the request journal (server/journal.h)
      // A body that is not JSON gets a SerializationException without a message, as DynamoDB
      // answers it; JSON that is not an object, the message DynamoDB gives for a misplaced map.
      if (in.is_discarded()) throw DdbError::serialization("");
      if (!in.is_object()) throw DdbError::serialization("Start of structure or map found where not expected.");
      res.journal.tables = tables_named(in);
      if (rt_.faults.active()) inject_fault(res.operation, in, who);
      Ctx ctx{rt_, *rt_.db, who.account_id, signing_region(req, rt_.config.region), in, &tables_, true};
      Access access = authorize(ctx, op, who, req, rt_.clock.now_ms(), policies_.load());
      json out = it->second(ctx);
      if (!ctx.raw_body.empty()) {
        res.status = 200;
        res.body = std::move(ctx.raw_body);
        return;
      }
      finish_access(access, out);
      if (op == "PutResourcePolicy" || (op == "CreateTable" && in.contains("ResourcePolicy"))) policies_ = true;
      res.status = 200;
      res.body = out.dump(-1, ' ', false, json::error_handler_t::replace);
    } catch (const DdbError& e) {
      render_error(e, res);
    } catch (const json::exception& e) {
      // A member of an unexpected JSON type or shape that a handler did not check itself.
      render_error(DdbError::serialization("Unexpected value type in payload"), res);
    }
  }

  void render_auth_error(const auth::AuthError& e, const http::Request&, http::Response& res) override {
    render_error(DdbError(e.code, e.message, e.status), res);
  }
  void render_internal_error(const http::Request&, http::Response& res) override {
    render_error(DdbError::internal(), res);
  }
  std::optional<int> error_status(const std::string& code) const override {
    auto e = documented_error(code);
    return e ? std::optional<int>(e->status()) : std::nullopt;
  }
  void finish(const http::Request& req, http::Response& res) override {
    res.set_header("Content-Type", "application/x-amz-json-1.0");
    res.set_header("x-amzn-RequestId", req.request_id);
    // DynamoDB answers every call with "Server: Server" (the Date is the pipeline's, serve.cc).
    res.set_header("Server", "Server");
    if (res.body.size() >= kCompressFrom) {
      auto coding = compression::choose_response_coding(accept_encoding(req));
      if (coding != compression::Coding::kIdentity) {
        res.body = compression::compress(coding, res.body);
        res.set_header("Content-Encoding", compression::coding_name(coding));
      }
    }
    // The Go SDKs verify this: CRC32 of the exact body bytes sent (compressed when it is), in decimal.
    res.set_header("X-Amz-Crc32", std::to_string(crc32_update(0, res.body.data(), res.body.size())));
  }
  // ClientRequestTokens are rows of ddb_transaction_tokens: a reset clears them with the items,
  // a restored snapshot brings back the tokens that match its items.
  void reset() override {
    rt_.db->clear_tables("ddb_");
    policies_ = false;
  }
  void reload() override { note_policies(); }
  nlohmann::json run_timers() override {
    size_t n = sweep_expired_items(*rt_.db, rt_.clock.now_ms() / 1000);
    size_t trimmed = streams::trim(*rt_.db, rt_.clock.now_ms());
    sweep_pitr(*rt_.db, rt_.clock.now_ms());
    return {{"deletedItems", n}, {"trimmedStreamRecords", trimmed}};
  }
  void collect_live_blobs(std::unordered_set<std::string>&) override {}

 private:
  // Deletes expired items every --ttl-interval seconds until the service is destroyed.
  void sweep_loop() {
    auto interval = std::chrono::duration<double>(rt_.config.ttl_interval);
    std::unique_lock<std::mutex> lock(mu_);
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      try {
        size_t n = sweep_expired_items(*rt_.db, rt_.clock.now_ms() / 1000);
        if (n) log::info("dynamodb: time to live deleted " + std::to_string(n) + " expired items");
        streams::trim(*rt_.db, rt_.clock.now_ms());  // stream records past the 24-hour retention
        sweep_pitr(*rt_.db, rt_.clock.now_ms());     // change history past the recovery period
      } catch (const std::exception& e) {
        log::error(std::string("dynamodb: time-to-live sweep failed: ") + e.what());
      }
      lock.lock();
    }
  }

  // A fault rule's error (server/faults.h), thrown before the handler reads or writes anything.
  // The table is the request's TableName (operations on several tables match rules without one).
  void inject_fault(const std::string& op, const json& in, const auth::Principal& who) {
    auto it = in.find("TableName");
    std::string_view table;
    if (it != in.end() && it->is_string()) table = it->get_ref<const std::string&>();
    auto f = rt_.faults.fire({name(), op, table, "", who});
    if (!f) return;
    DdbError e = *documented_error(f->code);
    throw DdbError(e.type(), f->message.empty() ? e.message() : f->message, f->status ? f->status : e.status());
  }

  // Whether a table or stream may have a resource-based policy: until one is attached, requests
  // skip reading them (resource_access.cc).
  void note_policies() {
    policies_ = rt_.db->read([](storage::Connection& c) { return policies::any(c); });
  }

  Runtime& rt_;
  TableCache tables_;
  std::atomic<bool> policies_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread sweeper_;
};

}  // namespace
}  // namespace ddb

std::unique_ptr<Service> make_dynamodb_service(Runtime& rt) { return std::make_unique<ddb::DdbService>(rt); }

}  // namespace localaws
