// The S3 service: path-style addressing, routing, the permission check, and the one place where
// S3Error becomes XML.
#include <unordered_set>

#include "common/log.h"
#include "common/time.h"
#include "s3/acl.h"
#include "s3/handlers.h"
#include "s3/website.h"
#include "server/runtime.h"

namespace localaws {
namespace s3 {

namespace {

class S3Service : public Service {
 public:
  explicit S3Service(Runtime& rt) : rt_(rt), store_(*rt.db, *rt.blobs) {}
  const char* name() const override { return "s3"; }
  auth::ServiceKind kind() const override { return auth::ServiceKind::kS3; }

  void handle(http::Request& req, const auth::Principal& who, http::Response& res) override {
    std::string bucket, key;
    Route r{Op::kMethodNotAllowed, "Unknown"};
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
        Ctx c{rt_, store_, req, res, kAnonymous, Op::kGetObject, bucket, key, std::nullopt, now_ms()};
        return website_get(c);
      }
      if (!split_request(req, bucket, key)) throw S3Error("InvalidURI");
      r = route(req, !bucket.empty(), !key.empty());
      res.operation = r.name;
      Ctx c{rt_, store_, req, res, who, r.op, bucket, key, std::nullopt, now_ms()};
      dispatch(c, r);
    } catch (const S3Error& e) {
      render_error(e, req.method, req.request_id, res);
    }
    // A browser's actual request gets the CORS headers of the rule that allows it, errors too.
    if (!bucket.empty() && r.op != Op::kPreflight && req.header("origin")) {
      if (auto b = store_.bucket(bucket)) add_cors_headers(*b, req, res);
    }
  }

  bool accepts_body(http::Request& req, const auth::Principal& who, http::Response& res) override {
    try {
      bool path_form = false;
      if (!website_bucket(req.header_or("host"), path_form).empty() || path_form) return true;
      std::string bucket, key;
      if (!split_request(req, bucket, key)) throw S3Error("InvalidURI");
      Route r = route(req, !bucket.empty(), !key.empty());
      res.operation = r.name;
      Ctx c{rt_, store_, req, res, who, r.op, bucket, key, std::nullopt, now_ms()};
      prepare(c, r);
      return true;
    } catch (const S3Error& e) {
      render_error(e, req.method, req.request_id, res);
      return false;
    }
  }

  void render_auth_error(const auth::AuthError& e, const http::Request& req, http::Response& res) override {
    render_error(from_auth_error(e), req.method, req.request_id, res);
  }
  void render_internal_error(const http::Request& req, http::Response& res) override {
    render_error(S3Error("InternalError"), req.method, req.request_id, res);
  }
  void finish(const http::Request& req, http::Response& res) override {
    res.set_header("x-amz-request-id", req.request_id);
    res.set_header("x-amz-id-2", host_id_for(req.request_id));
    res.set_header("Server", "AmazonS3");
  }
  void reset() override { store_.reset(); }
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

  // Everything checked before an operation runs: it exists, its bucket exists, the key is
  // valid, the caller may do it. Throws S3Error.
  void prepare(Ctx& c, const Route& r) {
    if (r.op == Op::kNotImplemented) {
      throw S3Error("NotImplemented", "The " + r.name + " operation is not implemented by localaws")
          .with("Resource", c.req.raw_path);
    }
    if (r.op == Op::kMethodNotAllowed) {
      throw S3Error("MethodNotAllowed")
          .with("Method", c.req.method)
          .with("ResourceType", c.key.empty() ? (c.bucket.empty() ? "SERVICE" : "BUCKET") : "OBJECT");
    }
    if (c.op != Op::kListBuckets && c.op != Op::kCreateBucket) {
      c.bkt = store_.bucket(c.bucket);
      if (!c.bkt) {
        if (c.who.anonymous) throw S3Error("AccessDenied");
        throw S3Error("NoSuchBucket").with("BucketName", c.bucket);
      }
    }
    if (!c.key.empty()) check_key(c.key);
    std::optional<Object> obj;
    if (need_of(c.op).on_object) obj = store_.object(c.bucket, c.key);
    // POST Object authorizes its policy's signer; a preflight carries no identity (CORS rules decide).
    if (c.op != Op::kPostObject && c.op != Op::kPreflight && !authorize(c, c.op, c.bkt ? &*c.bkt : nullptr, obj ? &*obj : nullptr))
      throw S3Error("AccessDenied");
  }

  void dispatch(Ctx& c, const Route& r) {
    prepare(c, r);
    switch (c.op) {
      case Op::kListBuckets: return list_buckets(c);
      case Op::kCreateBucket: return create_bucket(c);
      case Op::kHeadBucket: return head_bucket(c);
      case Op::kDeleteBucket: return delete_bucket(c);
      case Op::kGetBucketLocation: return get_bucket_location(c);
      case Op::kGetBucketRequestPayment: return get_bucket_request_payment(c);
      case Op::kGetBucketLifecycle: return get_bucket_lifecycle(c);
      case Op::kGetBucketVersioning: return get_bucket_versioning(c);
      case Op::kListObjects: return list_objects(c, false);
      case Op::kListObjectsV2: return list_objects(c, true);
      case Op::kListMultipartUploads: return list_multipart_uploads(c);
      case Op::kDeleteObjects: return delete_objects(c);
      case Op::kPutObject: return put_object(c);
      case Op::kPostObject: return post_object(c);
      case Op::kGetBucketCors: return get_bucket_cors(c);
      case Op::kPutBucketCors: return put_bucket_cors(c);
      case Op::kDeleteBucketCors: return delete_bucket_cors(c);
      case Op::kPreflight: return preflight(c);
      case Op::kGetBucketWebsite: return get_bucket_website(c);
      case Op::kPutBucketWebsite: return put_bucket_website(c);
      case Op::kDeleteBucketWebsite: return delete_bucket_website(c);
      case Op::kCopyObject: return copy_object(c);
      case Op::kGetObject:
      case Op::kHeadObject: return get_object(c);
      case Op::kDeleteObject: return delete_object(c);
      case Op::kPutObjectTagging: return put_object_tagging(c);
      case Op::kGetObjectTagging: return get_object_tagging(c);
      case Op::kDeleteObjectTagging: return delete_object_tagging(c);
      case Op::kGetObjectAttributes: return get_object_attributes(c);
      case Op::kCreateMultipartUpload: return create_multipart_upload(c);
      case Op::kUploadPart: return upload_part(c, false);
      case Op::kUploadPartCopy: return upload_part(c, true);
      case Op::kCompleteMultipartUpload: return complete_multipart_upload(c);
      case Op::kAbortMultipartUpload: return abort_multipart_upload(c);
      case Op::kListParts: return list_parts(c);
      case Op::kGetBucketAcl:
      case Op::kGetObjectAcl: return get_acl(c);
      case Op::kPutBucketAcl:
      case Op::kPutObjectAcl: return put_acl(c);
      case Op::kGetBucketOwnershipControls: return get_ownership_controls(c);
      case Op::kPutBucketOwnershipControls: return put_ownership_controls(c);
      case Op::kDeleteBucketOwnershipControls: return delete_ownership_controls(c);
      case Op::kGetPublicAccessBlock: return get_public_access_block(c);
      case Op::kPutPublicAccessBlock: return put_public_access_block(c);
      case Op::kDeletePublicAccessBlock: return delete_public_access_block(c);
      case Op::kGetBucketPolicy: return get_bucket_policy(c);
      case Op::kPutBucketPolicy: return put_bucket_policy(c);
      case Op::kDeleteBucketPolicy: return delete_bucket_policy(c);
      case Op::kGetBucketPolicyStatus: return get_bucket_policy_status(c);
      case Op::kNotImplemented:
      case Op::kMethodNotAllowed: break;
    }
    throw S3Error("NotImplemented");
  }

  Runtime& rt_;
  Store store_;
};

}  // namespace
}  // namespace s3

std::unique_ptr<Service> make_s3_service(Runtime& rt) { return std::make_unique<s3::S3Service>(rt); }

}  // namespace localaws
