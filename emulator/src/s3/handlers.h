// What every S3 handler shares: the request context, the handler entry points (one file per
// operation family) and the small helpers they all use. Handlers throw S3Error for AWS errors.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "auth/accounts.h"
#include "auth/authenticator.h"
#include "common/clock.h"
#include "http/request.h"
#include "http/response.h"
#include "s3/access_log.h"
#include "s3/blob_writer.h"
#include "s3/checksum.h"
#include "s3/error.h"
#include "s3/router.h"
#include "s3/store.h"
#include "s3/xml.h"

namespace localaws::s3 {

// The settings handlers read.
struct Options {
  std::string region;            // of new buckets without a LocationConstraint
  bool legacy_defaults = false;  // --s3-defaults legacy
  auth::Mode auth_mode = auth::Mode::kVerify;
};

// What handlers may use besides the request: the S3 store, the blob store, the accounts.
struct Env {
  Store& store;
  storage::BlobStore& blobs;
  const auth::Accounts& accounts;
  const EmuClock& clock;  // Ctx::now_ms is read from it once per request
  Options opts;
  // The server access log buffer of this service instance (s3/access_log.h).
  std::shared_ptr<AccessLogs> access_logs = std::make_shared<AccessLogs>();
};

struct Ctx {
  const Env& env;
  http::Request& req;
  http::Response& res;
  const auth::Principal& who;
  Op op;
  std::string bucket;           // decoded from the path ("" for service operations)
  std::string key;              // decoded from the path ("" for bucket operations)
  std::optional<Bucket> bkt;    // the bucket's row once looked up (rows with Load::kBucket/kObject)
  // Load::kObject rows: the version the request names, as the permission check saw it (nullopt:
  // no such key, version or it is a delete marker; obj_status says which).
  std::optional<Object> obj;
  int64_t now_ms = 0;
  Store& store() const { return env.store; }
};

// bucket.cc
void list_buckets(Ctx& c);
void create_bucket(Ctx& c);
void head_bucket(Ctx& c);
void delete_bucket(Ctx& c);
void get_bucket_location(Ctx& c);
// bucket_tagging.cc
void get_bucket_tagging(Ctx& c);
void put_bucket_tagging(Ctx& c);
void delete_bucket_tagging(Ctx& c);
// bucket_payment.cc: request payment and transfer acceleration
void get_bucket_request_payment(Ctx& c);
void put_bucket_request_payment(Ctx& c);
void get_bucket_accelerate(Ctx& c);
void put_bucket_accelerate(Ctx& c);
bool requester_pays(const Bucket& b);  // PutBucketRequestPayment set Payer Requester
// bucket_logging.cc
void get_bucket_logging(Ctx& c);
void put_bucket_logging(Ctx& c);
// Where a bucket's server access logs go (nullopt: logging off). LoggingTarget: s3/access_log.h.
std::optional<LoggingTarget> logging_target(const Bucket& b);
// bucket_notification.cc (stored and validated, never delivered)
void get_bucket_notification(Ctx& c);
void put_bucket_notification(Ctx& c);
// bucket_replication.cc (stored and validated, nothing replicated)
void get_bucket_replication(Ctx& c);
void put_bucket_replication(Ctx& c);
void delete_bucket_replication(Ctx& c);
// bucket_analytics.cc: analytics, inventory, metrics and intelligent-tiering configurations by id
void put_bucket_analytics(Ctx& c);
void get_bucket_analytics(Ctx& c);
void delete_bucket_analytics(Ctx& c);
void list_bucket_analytics(Ctx& c);
void put_bucket_inventory(Ctx& c);
void get_bucket_inventory(Ctx& c);
void delete_bucket_inventory(Ctx& c);
void list_bucket_inventory(Ctx& c);
void put_bucket_metrics(Ctx& c);
void get_bucket_metrics(Ctx& c);
void delete_bucket_metrics(Ctx& c);
void list_bucket_metrics(Ctx& c);
void put_bucket_intelligent_tiering(Ctx& c);
void get_bucket_intelligent_tiering(Ctx& c);
void delete_bucket_intelligent_tiering(Ctx& c);
void list_bucket_intelligent_tiering(Ctx& c);
// bucket_config.cc: shared by the subresource families above.
// The request document's root element (MalformedXML unless it parses and is named `root`).
pugi::xml_node config_body(pugi::xml_document& doc, const std::string& body, const char* root);
// The validated document in the form Get answers with (S3's namespace, xsi declared where used).
std::string stored_config(pugi::xml_node root);
void reply_stored(Ctx& c, const std::string& xml);
// The bucket name of an arn:aws:s3:::NAME ARN (nullopt for anything else).
std::optional<std::string> s3_bucket_arn(const std::string& arn);
std::string random_rule_id();  // the Id S3 gives a rule or configuration that names none
// lifecycle.cc
void get_bucket_lifecycle(Ctx& c);
void put_bucket_lifecycle(Ctx& c);
void delete_bucket_lifecycle(Ctx& c);
// restore.cc
void restore_object(Ctx& c);
// versioning.cc
void get_bucket_versioning(Ctx& c);
void put_bucket_versioning(Ctx& c);
void list_object_versions(Ctx& c);
// object_lock.cc
void get_object_lock_configuration(Ctx& c);
void put_object_lock_configuration(Ctx& c);
void get_object_retention(Ctx& c);
void put_object_retention(Ctx& c);
void get_object_legal_hold(Ctx& c);
void put_object_legal_hold(Ctx& c);
// put.cc
void put_object(Ctx& c);
// If-Match / If-None-Match of PutObject and CompleteMultipartUpload, validated (501 for the forms
// S3 does not take), with the current version as the request first sees it.
WriteCond write_cond(const Ctx& c);
// bucket_cors.cc
void get_bucket_cors(Ctx& c);
void put_bucket_cors(Ctx& c);
void delete_bucket_cors(Ctx& c);
void preflight(Ctx& c);  // OPTIONS (bucket or object)
// CORS headers for an actual (non-preflight) request with an Origin header.
void add_cors_headers(const Bucket& b, const http::Request& req, http::Response& res);
// bucket_encryption.cc (the object side is s3/sse.h)
void get_bucket_encryption(Ctx& c);
void put_bucket_encryption(Ctx& c);
void delete_bucket_encryption(Ctx& c);
// bucket_website.cc
void get_bucket_website(Ctx& c);
void put_bucket_website(Ctx& c);
void delete_bucket_website(Ctx& c);
// A request to the website endpoint (anonymous; c.bucket and c.key from the Host and path).
void website_get(Ctx& c);
// post.cc: browser uploads; authorizes the policy's signer itself.
void post_object(Ctx& c);
// get.cc
void get_object(Ctx& c);  // GET and HEAD
void get_object_attributes(Ctx& c);
// delete.cc
void delete_object(Ctx& c);
void delete_objects(Ctx& c);
// copy.cc
void copy_object(Ctx& c);
// tagging.cc
// The Tagging document (object and bucket tagging): MalformedXML unless it has a TagSet of Tags
// with a Key and a Value each.
Pairs parse_tagging_xml(std::string_view body);
XmlDoc tagging_xml(const Pairs& tags);
// PutBucketTagging's rules: key 1-128 and value 0-256 characters, no "aws:" prefix, unique keys
// (InvalidTag with AWS's messages), then at most 50 tags (BadRequest).
void validate_bucket_tags(const Pairs& tags);
void put_object_tagging(Ctx& c);
void get_object_tagging(Ctx& c);
void delete_object_tagging(Ctx& c);
// list.cc
void list_objects_v1(Ctx& c);
void list_objects_v2(Ctx& c);
// multipart.cc
void create_multipart_upload(Ctx& c);
void upload_part(Ctx& c);
void upload_part_copy(Ctx& c);
void complete_multipart_upload(Ctx& c);
void abort_multipart_upload(Ctx& c);
void list_parts(Ctx& c);
void list_multipart_uploads(Ctx& c);

// access.cc: the one permission check: bucket policy (explicit Deny wins), owner, ACLs, with the
// public access block applied. obj: the object for object operations (nullptr when missing).
// with_version: whether the version-specific IAM action applies (nullopt: the request has versionId).
bool authorize(const Ctx& c, Op op, const Bucket* bucket, const Object* obj,
               std::optional<bool> with_version = std::nullopt);
// authorize() for the object `key` of c.bkt (DeleteObjects: one check per key, obj may be nullptr).
bool authorize_key(const Ctx& c, Op op, const std::string& key, const Object* obj, bool with_version);
// Whether the caller may list c.bkt (s3:ListBucket): a missing key is 404 only then, else 403.
bool may_list_bucket(const Ctx& c);
bool may_list_bucket(const Ctx& c, const Bucket& b);  // another bucket (a copy source)
// Whether the caller holds s3:BypassGovernanceRetention on obj (the bucket owner's account does
// unless a policy denies it).
bool may_bypass_governance(const Ctx& c, const Bucket& b, const Object* obj);
// The bucket subresources a new bucket starts with (ownership, public access block, ACL) from
// x-amz-object-ownership, x-amz-acl / x-amz-grant-* and the --s3-defaults mode.
std::map<std::string, std::string> new_bucket_config(Ctx& c, const Owner& owner);
// The owner and serialized ACL a new object gets (PutObject, CopyObject, CreateMultipartUpload)
// from x-amz-acl / x-amz-grant-* under the bucket's ownership and public access block.
struct NewObjectAccess {
  Owner owner;
  std::string acl;
};
NewObjectAccess new_object_access(Ctx& c);
// The owner of an object completed from an upload whose ACL new_object_access chose.
Owner completed_owner(const Ctx& c, const std::string& acl);
// The owner a listing shows for an object: the bucket owner once the bucket is BucketOwnerEnforced
// (AWS: it owns every object then, those written before the switch too), else the writer.
const Owner& listed_owner(const Ctx& c, const Object& o);
// True when listings name the bucket owner for every object (BucketOwnerEnforced).
bool lists_bucket_owner(const Ctx& c);
// A stored bucket subresource document as the response body (missing_code when it is not set);
// removing one answers 204 whether or not it was set, as S3 does.
void reply_config(Ctx& c, const char* key, const char* missing_code, const char* content_type);
void remove_config(Ctx& c, const char* key);
// access.cc handlers: ACLs, ownership controls, public access block, bucket policy.
void get_acl(Ctx& c);  // bucket or object
void put_acl(Ctx& c);
void get_ownership_controls(Ctx& c);
void put_ownership_controls(Ctx& c);
void delete_ownership_controls(Ctx& c);
void get_public_access_block(Ctx& c);
void put_public_access_block(Ctx& c);
void delete_public_access_block(Ctx& c);
void get_bucket_policy(Ctx& c);
void put_bucket_policy(Ctx& c);
void delete_bucket_policy(Ctx& c);
void get_bucket_policy_status(Ctx& c);

// object_lock.cc: the lock a new version gets (x-amz-object-lock-* headers, else the bucket's
// default retention), validated; PutObject also needs Content-MD5 or a checksum with a retention.
struct NewLock {
  std::string mode;  // "", GOVERNANCE, COMPLIANCE
  int64_t until_ms = 0;
  Hold legal_hold = Hold::kNone;
  void apply(Object& o) const {
    o.lock_mode = mode;
    o.lock_until_ms = until_ms;
    o.legal_hold = legal_hold;
  }
  void apply(Upload& u) const {
    u.lock_mode = mode;
    u.lock_until_ms = until_ms;
    u.legal_hold = legal_hold;
  }
};
NewLock new_object_lock(const Ctx& c);
// InvalidRequest unless the request proves its bytes (Content-MD5 or an x-amz-checksum-*), as S3
// requires of uploads that get an Object Lock retention. what: "Put Object", "Put Part".
void require_integrity(const Ctx& c, const char* what);
bool has_default_retention(const Bucket& b);
// x-amz-object-lock-mode / -retain-until-date / -legal-hold of a stored version.
void lock_headers(const Object& o, http::Response& res);
// InvalidArgument unless id is "null" or a well-formed version id (what: the parameter's name).
void check_version_id(const std::string& id, const char* what);
// x-amz-version-id when the bucket has (or had) versioning; never-versioned buckets send none.
void version_header(const Ctx& c, const Object& o, http::Response& res);

// copy.cc: the object named by x-amz-copy-source, checked (permission, x-amz-copy-source-if-*)
// and opened, for CopyObject and UploadPartCopy.
struct CopySource {
  Object obj;
  std::shared_ptr<http::OpenFile> file;
  bool versioned = false;   // the source bucket has versioning: x-amz-copy-source-version-id is sent
  bool by_version = false;  // the source named a versionId
};
CopySource open_copy_source(Ctx& c);

// --- shared helpers (common.cc) ------------------------------------------------------------
// The object version the pipeline loaded for a Load::kObject row, or the S3 error for its absence.
const Object& loaded_object(const Ctx& c);
Owner owner_of(const auth::Principal& p);
void reply_xml(Ctx& c, const XmlDoc& doc, int status = 200);
void reply_xml_text(Ctx& c, std::string body, int status = 200);  // an XmlOut's finish()
// Throws S3Error for a status the store returned (kOk does nothing).
void raise(St st, const Ctx& c);
std::string quote_etag(const std::string& md5_raw);  // "\"<hex>\""
// Object metadata from request headers: Content-* headers, x-amz-meta-*, storage class,
// x-amz-tagging. Throws MetadataTooLarge, InvalidStorageClass, InvalidTag ...
ObjectMeta meta_from_headers(const http::Request& req);
Pairs parse_tagging_header(const std::string& value);
void validate_tags(const Pairs& tags);
// Adds the stored object's headers (ETag, Last-Modified, Content-*, x-amz-meta-*, ...) to res.
void object_headers(const Object& o, http::Response& res);
void checksum_headers(const ObjectMeta& m, http::Response& res);
// A non-negative integer query parameter (max-keys, max-parts ...), capped at `cap`; absent ->
// fallback. Anything else -> InvalidArgument as S3 words it.
size_t count_param(const Ctx& c, const char* name, size_t fallback, size_t cap);
// A query parameter's value, or "" when absent.
std::string param_or(const Ctx& c, const char* name);
// encoding-type=url asked (listings); any other value -> InvalidArgument as S3 words it.
bool url_encoding(const Ctx& c);
// Validates a key from the path (length).
void check_key(const std::string& key);

// The checksum a request asks for: which algorithm, and the value it claims (header or trailer).
struct ChecksumRequest {
  Algo algo = Algo::kNone;
  std::string expected;        // base64 from the header (empty: trailer, or computed only)
  bool in_trailer = false;     // value arrives in the aws-chunked trailer
};
ChecksumRequest checksum_request(const http::Request& req);

// The Content-MD5 or x-amz-checksum-* a small body must carry where S3 requires one (DeleteObjects,
// the Object Lock operations), checked against it: InvalidRequest when missing, BadDigest/InvalidDigest.
void verify_body_integrity(const http::Request& req, const std::string& body);
// Reads a small request body (XML documents) into memory; over `limit` -> MaxMessageLengthExceeded.
std::string read_small_body(Ctx& c, size_t limit);
// Turns a body-read failure into its S3Error, and closes the connection: the rest of the request
// may still be on the wire.
[[noreturn]] void body_failed(Ctx& c, const http::BodyError& e);

// Streams the request body into a new blob (never into memory), computing MD5 and the asked
// checksum on the way; checks Content-MD5 and the checksum before committing the blob.
// max_size: EntityTooLarge beyond it. Throws S3Error (no blob is left behind).
// enc (SSE-C): the blob is stored encrypted; digests are of the plaintext.
Received receive_body(Ctx& c, uint64_t max_size, const ChecksumRequest& want, const Encryption* enc = nullptr);
// Copies [offset, offset+length) of an open blob into a new committed blob, file to file.
Received copy_bytes(Ctx& c, const http::OpenFile& from, uint64_t offset, uint64_t length, Algo algo,
                    const Encryption* enc = nullptr);

inline constexpr uint64_t kMaxPutSize = 5ull << 30;  // 5 GiB

}  // namespace localaws::s3
