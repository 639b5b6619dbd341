// The S3 service: path-style addressing, routing, the permission check, and the one place where
// S3Error becomes XML.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "common/log.h"
#include "common/time.h"
#include "s3/acl.h"
#include "s3/handlers.h"
#include "s3/access_log.h"
#include "s3/lifecycle_sweep.h"
#include "s3/policy_request.h"
#include "s3/website.h"
#include "server/runtime.h"

namespace localaws {
namespace s3 {

namespace {

class S3Service : public Service {
 public:
  explicit S3Service(Runtime& rt)
      : rt_(rt),
        store_(*rt.db, *rt.blobs),
        env_{store_, *rt.blobs, rt.accounts, rt.clock, {rt.config.region, rt.config.s3_legacy_defaults, rt.config.auth_mode}} {
    sweeper_ = std::thread([this] { sweep_loop(); });
  }
  ~S3Service() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    sweeper_.join();
  }
  const char* name() const override { return "s3"; }
  // One lifecycle sweep now, on the emulator clock (POST /_localaws/lifecycle/run); never two at once.
  nlohmann::json run_timers() override {
    std::lock_guard<std::mutex> lock(sweep_mu_);
    int64_t now = rt_.clock.now_ms();
    auto out = run_lifecycle_sweep(store_, now);
    out["accessLogObjects"] = flush_access_logs(env_, now);  // server access logs delivered
    return out;
  }
  auth::ServiceKind kind() const override { return auth::ServiceKind::kS3; }

  void handle(http::Request& req, const auth::Principal& who, http::Response& res) override {
    std::string bucket, key;
    Route r;
    int64_t started_ms = env_.clock.now_ms();
    try {
      bool path_form = false;
      std::string site = website_bucket(req.header_or("host"), path_form);
      if (!site.empty() || path_form) {
        // The website endpoint: anonymous whatever the request carries.
        if (path_form ? !split_path(req.raw_path, bucket, key) : !split_key_path(req.raw_path, key))
          throw S3Error("InvalidURI");
        if (!site.empty()) bucket = site;
        res.operation = "WebsiteGet";
        static const auth::Principal kAnonymous;
        Ctx c{env_, req, res, kAnonymous, Op::kGetObject, bucket, key, std::nullopt, std::nullopt, env_.clock.now_ms()};
        return website_get(c);
      }
      if (!split_request(req, bucket, key)) throw S3Error("InvalidURI");
      r = route(req, !bucket.empty(), !key.empty());
      res.operation = r.name();
      if (rt_.faults.active()) inject_fault({name(), res.operation, bucket, key, who});
      Ctx c{env_, req, res, who, r.op(), bucket, key, std::nullopt, std::nullopt, env_.clock.now_ms()};
      prepare(c, r);
      r.row->handler(c);
    } catch (const S3Error& e) {
      render_error(e, req.method, req.request_id, res);
    }
    // A browser's actual request gets the CORS headers of the rule that allows it, errors too.
    if (!bucket.empty() && r.op() != Op::kPreflightBucket && r.op() != Op::kPreflightObject && req.header("origin")) {
      if (auto b = store_.bucket(bucket)) add_cors_headers(*b, req, res);
    }
    // Server access logging: a buffered line when the bucket logs (access_log.h; no store write).
    env_.access_logs->record(env_, req, res, who, bucket, key, r.row, started_ms, env_.clock.now_ms());
    res.journal.bucket = std::move(bucket);
    res.journal.key = std::move(key);
  }

  bool accepts_body(http::Request& req, const auth::Principal& who, http::Response& res) override {
    try {
      bool path_form = false;
      if (!website_bucket(req.header_or("host"), path_form).empty() || path_form) return true;
      std::string bucket, key;
      if (!split_request(req, bucket, key)) throw S3Error("InvalidURI");
      Route r = route(req, !bucket.empty(), !key.empty());
      res.operation = r.name();
      Ctx c{env_, req, res, who, r.op(), bucket, key, std::nullopt, std::nullopt, env_.clock.now_ms()};
      prepare(c, r);
      // A body over the operation's limit is refused from its announced length (receive_body
      // checks the same when the body is read).
      if (r.op() == Op::kPutObject || r.op() == Op::kUploadPart) {
        const std::string* len = req.header("x-amz-decoded-content-length");
        if (!len) len = req.header("content-length");
        auto n = len ? parse_u64(trim(*len)) : std::nullopt;
        if (n && *n > kMaxPutSize) {
          throw S3Error("EntityTooLarge").with("ProposedSize", std::to_string(*n)).with("MaxSizeAllowed",
                                                                                      std::to_string(kMaxPutSize));
        }
      }
      return true;
    } catch (const S3Error& e) {
      render_error(e, req.method, req.request_id, res);
      error_cors(req, res);
      return false;
    }
  }

  // A refusal before the handler (authentication, or an early answer to Expect: 100-continue) gets
  // the bucket's CORS headers as any other error does, so a page can read why (an expired
  // presigned URL, a bad signature) instead of seeing a CORS failure.
  void render_auth_error(const auth::AuthError& e, const http::Request& req, http::Response& res) override {
    render_error(from_auth_error(e), req.method, req.request_id, res);
    error_cors(req, res);
    if (!split_request(req, res.journal.bucket, res.journal.key)) res.journal.bucket.clear();
  }

  void error_cors(const http::Request& req, http::Response& res) {
    if (!req.header("origin") || req.method == "OPTIONS") return;
    std::string bucket, key;
    if (!split_request(req, bucket, key) || bucket.empty()) return;
    if (auto b = store_.bucket(bucket)) add_cors_headers(*b, req, res);
  }
  void render_internal_error(const http::Request& req, http::Response& res) override {
    render_error(S3Error("InternalError"), req.method, req.request_id, res);
  }
  // Every code of the error table has a default message (s3/error.cc).
  std::optional<int> error_status(const std::string& code) const override {
    S3Error e(code);
    if (e.message.empty()) return std::nullopt;
    return e.status;
  }
  void finish(const http::Request& req, http::Response& res) override {
    res.set_header("x-amz-request-id", req.request_id);
    res.set_header("x-amz-id-2", host_id_for(req.request_id));
    res.set_header("Server", "AmazonS3");
  }
  void reset() override {
    store_.reset();
    env_.access_logs->clear();
  }
  void reload() override { env_.access_logs->clear(); }  // a restored snapshot: logging configs may differ
  void collect_live_blobs(std::unordered_set<std::string>& out) override { store_.collect_blobs(out); }

 private:
  // Virtual-hosted requests name the bucket in the Host header and the key in the whole path;
  // the rest are path style. (Auth signed req.raw_path as sent either way.)
  // The whole path as the key (virtual-hosted and website requests).
  static bool split_key_path(std::string_view raw_path, std::string& key) {
    if (!raw_path.empty() && raw_path[0] == '/') raw_path.remove_prefix(1);
    auto k = uri_decode(raw_path, true);
    if (!k) return false;
    key = std::move(*k);
    return true;
  }

  bool split_request(const http::Request& req, std::string& bucket, std::string& key) {
    std::string hb = host_bucket(req.header_or("host", ""), rt_.config.s3_domain);
    if (hb.empty()) return split_path(req.raw_path, bucket, key);
    bucket = hb;
    return split_key_path(req.raw_path, key);
  }

  // A fault rule's error (server/faults.h), thrown before anything is checked or changed.
  void inject_fault(const FaultTarget& t) {
    auto f = rt_.faults.fire(t);
    if (!f) return;
    S3Error e(f->code, f->message);
    if (f->status) e.status = f->status;
    throw e;
  }

  // Everything checked before an operation runs, as its row says: it exists, its bucket exists,
  // the key is valid, the version it names is looked up, the caller may do it. Throws S3Error.
  void prepare(Ctx& c, const Route& r) {
    if (!r.row) {
      throw S3Error("MethodNotAllowed")
          .with("Method", c.req.method)
          .with("ResourceType", c.key.empty() ? (c.bucket.empty() ? "SERVICE" : "BUCKET") : "OBJECT");
    }
    const OpRow& row = *r.row;
    if (!row.handler) {
      throw S3Error("NotImplemented", std::string("The ") + row.name + " operation is not implemented by localaws")
          .with("Resource", c.req.raw_path);
    }
    if (row.load != Load::kNone) {
      c.bkt = store_.bucket(c.bucket);
      // A bucket that does not exist is NoSuchBucket to every caller, anonymous ones too (bucket
      // names are global: S3 tells anyone a name is free).
      if (!c.bkt) throw S3Error("NoSuchBucket").with("BucketName", c.bucket);
      check_expected_owners(c);  // x-amz-expected-bucket-owner (s3/policy_request.h)
    }
    if (!c.key.empty()) check_key(c.key);
    if (row.load == Load::kObject) load_object(c);
    // POST Object authorizes its policy's signer; a preflight carries no identity (CORS rules decide).
    if (c.op == Op::kPostObject || row.need.action[0] == '\0') return;
    // Left to the handler: DeleteObjects authorizes each key (a refused key is an Error entry of
    // the result); operations whose body holds condition keys (tags, retention, legal hold) are
    // authorized once it is read (authorize_with(), s3/policy_request.h) when a policy could read them.
    bool body_keyed = c.op == Op::kPutObjectTagging || c.op == Op::kPutObjectRetention ||
                      c.op == Op::kPutObjectLegalHold;
    bool deferred = c.op == Op::kDeleteObjects || (body_keyed && c.bkt->get("policy"));
    if (!deferred && !authorize(c, c.op, c.bkt ? &*c.bkt : nullptr, c.obj ? &*c.obj : nullptr))
      throw S3Error("AccessDenied");
    // A key that does not exist (or whose current version is a delete marker) is 404 only to
    // callers that may list the bucket; others get 403 and learn nothing about its keys
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, HeadObject, GetObjectAttributes).
    bool reads = c.op == Op::kGetObject || c.op == Op::kHeadObject || c.op == Op::kGetObjectAttributes;
    if (reads && (!c.obj || (c.obj->is_marker && !c.req.query_param("versionId"))) && !may_list_bucket(c))
      throw S3Error("AccessDenied");
    // Requester Pays: a requester that accepted the charge is told it was charged.
    if (c.bkt && requester_pays(*c.bkt) && c.req.header_or("x-amz-request-payer") == "requester")
      c.res.set_header("x-amz-request-charged", "requester");
  }

  // The version the request names (versionId), else the current one; when there is none the
  // latest delete marker, if any (the handler answers 404 with x-amz-delete-marker).
  void load_object(Ctx& c) {
    const std::string* vid = c.req.query_param("versionId");
    if (!vid) {
      c.obj = store_.object(c.bucket, c.key);
      if (!c.obj && c.bkt->versioning != Versioning::kNone) c.obj = store_.find(c.bucket, c.key, "");
      return;
    }
    check_version_id(*vid, "versionId");
    c.obj = store_.find(c.bucket, c.key, *vid);
  }

  // The lifecycle sweep every --lifecycle-interval seconds until the service is destroyed.
  void sweep_loop() {
    auto interval = std::chrono::duration<double>(rt_.config.lifecycle_interval);
    std::unique_lock<std::mutex> lock(mu_);
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      try {
        auto out = run_timers();
        int64_t n = 0;
        for (auto& [k, v] : out.items()) {
          if (k != "buckets" && k != "batches" && k != "skippedLocked" && v.is_number_integer()) n += v.get<int64_t>();
        }
        if (n) log::info("s3: lifecycle sweep acted on " + std::to_string(n) + " objects, versions or uploads");
      } catch (const std::exception& e) {
        log::error(std::string("s3: lifecycle sweep failed: ") + e.what());
      }
      lock.lock();
    }
  }

  Runtime& rt_;
  Store store_;
  Env env_;
  std::mutex sweep_mu_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread sweeper_;
};

}  // namespace
}  // namespace s3

std::unique_ptr<Service> make_s3_service(Runtime& rt) { return std::make_unique<s3::S3Service>(rt); }

}  // namespace localaws
