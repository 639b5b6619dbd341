// Server access log lines and their delivery as log objects (see access_log.h).
#include "s3/access_log.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <tuple>

#include "common/crypto.h"
#include "common/log.h"
#include "common/strings.h"
#include "s3/handlers.h"
#include "s3/sse.h"

namespace localaws::s3 {

namespace {

constexpr size_t kMaxBufferedLines = 200000;  // beyond this, lines are dropped until the next flush
constexpr size_t kMaxCachedSources = 10000;

std::tm utc(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string fmt_time(int64_t ms, const char* f) {
  std::tm tm = utc(ms);
  char buf[64];
  std::strftime(buf, sizeof buf, f, &tm);
  return buf;
}

std::string dash(const std::string& s) { return s.empty() ? "-" : s; }
std::string quoted(const std::string& s) { return "\"" + (s.empty() ? std::string("-") : s) + "\""; }

// The resource part of the log's Operation field (REST.<METHOD>.<RESOURCE>), from the query
// keyword that routed the request, as AWS names them (REST.GET.VERSIONING, REST.PUT.OBJECT ...).
std::string resource(const OpRow* row, const http::Request& req, bool object) {
  static const std::map<std::string, std::string> kNames = {
      {"acl", "ACL"}, {"tagging", "TAGGING"}, {"versioning", "VERSIONING"}, {"versions", "BUCKETVERSIONS"},
      {"uploads", "UPLOADS"}, {"uploadId", "UPLOAD"}, {"delete", "MULTI_OBJECT_DELETE"},
      {"logging", "LOGGING_STATUS"}, {"location", "LOCATION"}, {"policy", "BUCKETPOLICY"}, {"cors", "CORS"},
      {"website", "WEBSITE"}, {"lifecycle", "LIFECYCLE"}, {"encryption", "ENCRYPTION"},
      {"replication", "REPLICATION"}, {"accelerate", "ACCELERATE"}, {"requestPayment", "REQUEST_PAYMENT"},
      {"notification", "NOTIFICATION"}, {"object-lock", "OBJECT_LOCK_CONFIGURATION"},
      {"ownershipControls", "OWNERSHIP_CONTROLS"}, {"publicAccessBlock", "PUBLIC_ACCESS_BLOCK"},
      {"policyStatus", "BUCKETPOLICYSTATUS"}, {"analytics", "ANALYTICS"}, {"inventory", "INVENTORY"},
      {"metrics", "METRICS"}, {"intelligent-tiering", "INTELLIGENT_TIERING"}, {"retention", "RETENTION"},
      {"legal-hold", "LEGAL_HOLD"}, {"attributes", "OBJECT_ATTRIBUTES"}, {"restore", "RESTORE"},
      {"list-type", "BUCKET"}};
  std::string q = row ? row->query : "";
  q = q.substr(0, q.find('&'));
  if (q.empty()) return object ? "OBJECT" : "BUCKET";
  if (q == "tagging" && object) return "OBJECT_TAGGING";
  if (q == "uploadId" && req.method == "PUT") return "PART";
  auto it = kNames.find(q);
  if (it != kNames.end()) return it->second;
  for (auto& ch : q) ch = ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return q;
}

std::string error_code(const http::Response& res) {
  if (res.status < 300 || res.status == 304) return "-";
  auto a = res.body.find("<Code>"), b = res.body.find("</Code>");
  if (a == std::string::npos || b == std::string::npos || b < a) return "-";
  return res.body.substr(a + 6, b - a - 6);
}

uint64_t bytes_sent(const http::Response& res) {
  if (res.omit_body) return 0;
  return res.file ? res.file->length : res.body.size();
}

void auth_fields(const http::Request& req, std::string& sig, std::string& type) {
  sig = type = "-";
  std::string auth = req.header_or("authorization");
  if (starts_with(auth, "AWS4-HMAC-SHA256")) sig = "SigV4", type = "AuthHeader";
  else if (starts_with(auth, "AWS ")) sig = "SigV2", type = "AuthHeader";
  else if (req.has_query("X-Amz-Algorithm")) sig = "SigV4", type = "QueryString";
  else if (req.has_query("Signature") && req.has_query("AWSAccessKeyId")) sig = "SigV2", type = "QueryString";
}

std::string unique_string() {
  std::string h = random_hex(8);
  for (auto& ch : h) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return h;
}

// [TargetPrefix]YYYY-mm-DD-HH-MM-SS-UniqueString, or for PartitionedPrefix
// [TargetPrefix]SourceAccountId/SourceRegion/SourceBucket/YYYY/mm/DD/YYYY-mm-DD-HH-MM-SS-UniqueString.
std::string log_key(const LoggingTarget& t, const std::string& account, const std::string& region,
                    const std::string& source, int64_t partition_ms, int64_t now_ms) {
  std::string name = fmt_time(now_ms, "%Y-%m-%d-%H-%M-%S-") + unique_string();
  if (!t.partitioned) return t.prefix + name;
  return t.prefix + account + "/" + region + "/" + source + "/" + fmt_time(partition_ms, "%Y/%m/%d/") + name;
}

bool write_log_object(const Env& env, const std::string& bucket, const std::string& key, const std::string& text,
                      int64_t now_ms) {
  auto target = env.store.bucket(bucket);
  if (!target) return false;
  try {
    HashingWriter w(env.blobs, kMaxPutSize, Algo::kNone);
    if (!w.write(text.data(), text.size())) return false;
    Received r = w.commit();
    ObjectMeta meta;
    meta.headers.emplace_back("content-type", "text/plain");
    // The target's default encryption, as for any upload (AWS delivers logs only to SSE-S3 targets).
    if (auto sse = bucket_sse(env.opts, *target); sse && sse->algo == "AES256") meta.sse_algo = "AES256";
    Object o{bucket, key, r.size, quote_etag(r.md5), now_ms, r.blob_id, target->owner, std::move(meta)};
    return env.store.put_object(o, WriteCond{}) == St::kOk;
  } catch (const S3Error& e) {
    log::warn("s3 access log: cannot write " + bucket + "/" + key + ": " + e.code);
    return false;
  }
}

}  // namespace

void AccessLogs::record(const Env& env, const http::Request& req, const http::Response& res,
                        const auth::Principal& who, const std::string& bucket, const std::string& key,
                        const OpRow* row, int64_t started_ms, int64_t now_ms) {
  if (bucket.empty()) return;
  bool bucket_changes = row && (row->op == Op::kCreateBucket || row->op == Op::kDeleteBucket);
  Source src;
  std::unique_lock<std::mutex> lock(mu_);
  auto it = sources_.find(bucket);
  if (it != sources_.end()) {
    if (!it->second.target) {  // the common case: no logging, nothing to copy
      if (bucket_changes) sources_.erase(it);
      return;
    }
    src = it->second;
  } else {
    // First request to this bucket since start or forget(): one store read (unlocked), then cached.
    lock.unlock();
    if (auto b = env.store.bucket(bucket)) {
      src.target = logging_target(*b);
      src.owner_id = b->owner.id;
      src.account = b->owner.account;
      src.region = b->region;
    }
    lock.lock();
    if (sources_.size() >= kMaxCachedSources) sources_.clear();
    sources_[bucket] = src;
  }
  lock.unlock();
  // Creating or deleting the bucket changes what the next request finds.
  if (bucket_changes) forget(bucket);
  if (!src.target) return;

  std::string sig, type;
  auth_fields(req, sig, type);
  const std::string* vid = res.header("x-amz-version-id");
  const std::string* len = res.header("content-length");
  bool object = !key.empty();
  std::string op = row ? "REST." + std::string(req.has_header("x-amz-copy-source") ? "COPY" : req.method) + "." +
                             resource(row, req, object)
                       : "REST." + req.method + ".UNKNOWN";
  std::string line;
  line.reserve(512);
  line += dash(src.owner_id) + " " + bucket + " " + fmt_time(started_ms, "[%d/%b/%Y:%H:%M:%S +0000]") + " ";
  line += dash(req.remote_addr) + " " + (who.anonymous ? "-" : dash(who.canonical_user_id)) + " ";
  line += dash(req.request_id) + " " + op + " " + (object ? uri_encode(key, true) : "-") + " ";
  line += quoted(req.method + " " + req.target + " HTTP/1.1") + " " + std::to_string(res.status) + " ";
  line += error_code(res) + " ";
  uint64_t sent = bytes_sent(res);
  line += (sent ? std::to_string(sent) : "-") + " ";
  line += (object && len && (req.method == "GET" || req.method == "HEAD") && res.status < 300 ? *len : "-");
  line += " " + std::to_string(std::max<int64_t>(0, now_ms - started_ms)) + " ";
  line += std::to_string(std::max<int64_t>(0, now_ms - started_ms)) + " ";
  line += quoted(req.header_or("referer")) + " " + quoted(req.header_or("user-agent")) + " ";
  line += (vid ? *vid : "-") + " ";
  // The host id (a hash of the request id) is computed at flush, off the request path.
  std::string tail = " " + sig + " - " + type + " " + dash(req.header_or("host")) + " - - -\n";

  lock.lock();
  if (lines_.size() >= kMaxBufferedLines) {
    dropped_++;
    return;
  }
  lines_.push_back({bucket, src, started_ms, std::move(line), req.request_id, std::move(tail)});
}

size_t AccessLogs::flush(const Env& env, int64_t now_ms) {
  std::vector<Line> lines;
  {
    std::lock_guard<std::mutex> lock(mu_);
    lines.swap(lines_);
    if (dropped_) log::warn("s3 access log: " + std::to_string(dropped_) + " lines dropped (buffer full)");
    dropped_ = 0;
  }
  // One object per source bucket, target and (PartitionedPrefix by EventTime) event day.
  std::map<std::tuple<std::string, std::string, std::string, int64_t>, std::pair<const Line*, std::string>> objects;
  for (auto& l : lines) {
    const LoggingTarget& t = *l.where.target;
    int64_t day = t.partitioned && !t.delivery_time ? l.event_ms / 86400000 : -1;
    auto& o = objects[{l.source, t.bucket, t.prefix, day}];
    if (!o.first) o.first = &l;
    o.second += l.text + host_id_for(l.request_id) + l.tail;
  }
  size_t written = 0;
  for (auto& [k, o] : objects) {
    const Line& l = *o.first;
    const LoggingTarget& t = *l.where.target;
    int64_t partition_ms = std::get<3>(k) >= 0 ? std::get<3>(k) * 86400000 : now_ms;
    std::string key = log_key(t, l.where.account, l.where.region, l.source, partition_ms, now_ms);
    if (write_log_object(env, t.bucket, key, o.second, now_ms)) written++;
  }
  return written;
}

void AccessLogs::forget(const std::string& bucket) {
  std::lock_guard<std::mutex> lock(mu_);
  sources_.erase(bucket);
}

void AccessLogs::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  sources_.clear();
  lines_.clear();
  dropped_ = 0;
}

size_t flush_access_logs(Env& env, int64_t now_ms) { return env.access_logs->flush(env, now_ms); }

}  // namespace localaws::s3
