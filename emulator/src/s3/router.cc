#include "s3/router.h"

#include <array>
#include <vector>

namespace localaws::s3 {

namespace {

enum class Target { kService, kBucket, kObject };

struct Row {
  const char* method;
  Target target;
  const char* keyword;  // query parameter that must be present ("" = none required)
  const char* header;   // header that must be present ("" = none)
  Op op;
};

// Order matters: the first matching row wins, so rows with a keyword or header guard come before
// the plain row of the same method and target.
constexpr std::array kRows = {
    Row{"GET", Target::kService, "", "", Op::kListBuckets},
    Row{"GET", Target::kBucket, "location", "", Op::kGetBucketLocation},
    Row{"GET", Target::kBucket, "uploads", "", Op::kListMultipartUploads},
    Row{"GET", Target::kBucket, "list-type", "", Op::kListObjectsV2},
    Row{"PUT", Target::kBucket, "", "", Op::kCreateBucket},
    Row{"HEAD", Target::kBucket, "", "", Op::kHeadBucket},
    Row{"DELETE", Target::kBucket, "", "", Op::kDeleteBucket},
    Row{"POST", Target::kBucket, "delete", "", Op::kDeleteObjects},
    Row{"GET", Target::kBucket, "acl", "", Op::kGetBucketAcl},
    Row{"PUT", Target::kBucket, "acl", "", Op::kPutBucketAcl},
    Row{"GET", Target::kBucket, "ownershipControls", "", Op::kGetBucketOwnershipControls},
    Row{"PUT", Target::kBucket, "ownershipControls", "", Op::kPutBucketOwnershipControls},
    Row{"DELETE", Target::kBucket, "ownershipControls", "", Op::kDeleteBucketOwnershipControls},
    Row{"GET", Target::kBucket, "publicAccessBlock", "", Op::kGetPublicAccessBlock},
    Row{"PUT", Target::kBucket, "publicAccessBlock", "", Op::kPutPublicAccessBlock},
    Row{"DELETE", Target::kBucket, "publicAccessBlock", "", Op::kDeletePublicAccessBlock},
    Row{"GET", Target::kBucket, "policyStatus", "", Op::kGetBucketPolicyStatus},
    Row{"GET", Target::kBucket, "policy", "", Op::kGetBucketPolicy},
    Row{"PUT", Target::kBucket, "policy", "", Op::kPutBucketPolicy},
    Row{"DELETE", Target::kBucket, "policy", "", Op::kDeleteBucketPolicy},
    Row{"GET", Target::kBucket, "cors", "", Op::kGetBucketCors},
    Row{"PUT", Target::kBucket, "cors", "", Op::kPutBucketCors},
    Row{"DELETE", Target::kBucket, "cors", "", Op::kDeleteBucketCors},
    Row{"GET", Target::kBucket, "website", "", Op::kGetBucketWebsite},
    Row{"PUT", Target::kBucket, "website", "", Op::kPutBucketWebsite},
    Row{"DELETE", Target::kBucket, "website", "", Op::kDeleteBucketWebsite},
    // Read-only: buckets always pay for their own requests, have no lifecycle rules and were never
    // versioned (Put/Delete of these stay NotImplemented through kUnbuilt). s3cmd's `info` asks for
    // the first two, rclone's `purge` for versioning.
    Row{"GET", Target::kBucket, "requestPayment", "", Op::kGetBucketRequestPayment},
    Row{"GET", Target::kBucket, "lifecycle", "", Op::kGetBucketLifecycle},
    Row{"GET", Target::kBucket, "versioning", "", Op::kGetBucketVersioning},
    Row{"OPTIONS", Target::kBucket, "", "", Op::kPreflight},
    Row{"OPTIONS", Target::kObject, "", "", Op::kPreflight},
    Row{"GET", Target::kBucket, "", "", Op::kListObjects},
    Row{"POST", Target::kBucket, "", "", Op::kPostObject},
    Row{"PUT", Target::kObject, "tagging", "", Op::kPutObjectTagging},
    Row{"GET", Target::kObject, "tagging", "", Op::kGetObjectTagging},
    Row{"DELETE", Target::kObject, "tagging", "", Op::kDeleteObjectTagging},
    Row{"GET", Target::kObject, "attributes", "", Op::kGetObjectAttributes},
    Row{"GET", Target::kObject, "acl", "", Op::kGetObjectAcl},
    Row{"PUT", Target::kObject, "acl", "", Op::kPutObjectAcl},
    Row{"POST", Target::kObject, "uploads", "", Op::kCreateMultipartUpload},
    Row{"PUT", Target::kObject, "uploadId", "x-amz-copy-source", Op::kUploadPartCopy},
    Row{"PUT", Target::kObject, "uploadId", "", Op::kUploadPart},
    Row{"POST", Target::kObject, "uploadId", "", Op::kCompleteMultipartUpload},
    Row{"DELETE", Target::kObject, "uploadId", "", Op::kAbortMultipartUpload},
    Row{"GET", Target::kObject, "uploadId", "", Op::kListParts},
    Row{"PUT", Target::kObject, "", "x-amz-copy-source", Op::kCopyObject},
    Row{"PUT", Target::kObject, "", "", Op::kPutObject},
    Row{"GET", Target::kObject, "", "", Op::kGetObject},
    Row{"HEAD", Target::kObject, "", "", Op::kHeadObject},
    Row{"DELETE", Target::kObject, "", "", Op::kDeleteObject},
};

// S3 subresources and operation keywords that localaws does not build yet. A request naming one
// must not fall through to the plain operation (a GET ?versioning is not a ListObjects).
constexpr std::array<const char*, 23> kUnbuilt = {
    "versioning",     "versions",
    "lifecycle",    "logging",          "notification",   "replication", "encryption",
    "tagging",      "requestPayment", "accelerate", "analytics",
    "inventory",    "metrics",        "intelligent-tiering", "object-lock", "legal-hold",  "retention",
    "restore",      "select",         "torrent",          "session",        "renameObject", "metadataTable",
};

bool has_param(const QueryParams* q, std::string_view name) {
  if (!q) return false;
  for (auto& [k, v] : *q) {
    if (k == name) return true;
  }
  return false;
}

bool has_header(const http::HeaderList* h, std::string_view name) {
  if (!h) return false;
  for (auto& [k, v] : *h) {
    if (k == name) return true;
  }
  return false;
}

// AWS's name for the operation behind an unbuilt subresource, for the NotImplemented message.
std::string unbuilt_name(std::string_view method, bool object, const char* keyword) {
  std::string verb = method == "PUT" ? "Put" : method == "DELETE" ? "Delete" : method == "POST" ? "Post" : "Get";
  std::string k = keyword;
  if (!k.empty()) k[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(k[0])));
  return verb + (object ? "Object" : "Bucket") + k;
}

}  // namespace

const char* op_name(Op op) {
  switch (op) {
    case Op::kListBuckets: return "ListBuckets";
    case Op::kCreateBucket: return "CreateBucket";
    case Op::kHeadBucket: return "HeadBucket";
    case Op::kDeleteBucket: return "DeleteBucket";
    case Op::kGetBucketLocation: return "GetBucketLocation";
    case Op::kListObjects: return "ListObjects";
    case Op::kListObjectsV2: return "ListObjectsV2";
    case Op::kListMultipartUploads: return "ListMultipartUploads";
    case Op::kDeleteObjects: return "DeleteObjects";
    case Op::kPutObject: return "PutObject";
    case Op::kCopyObject: return "CopyObject";
    case Op::kGetObject: return "GetObject";
    case Op::kHeadObject: return "HeadObject";
    case Op::kDeleteObject: return "DeleteObject";
    case Op::kPutObjectTagging: return "PutObjectTagging";
    case Op::kGetObjectTagging: return "GetObjectTagging";
    case Op::kDeleteObjectTagging: return "DeleteObjectTagging";
    case Op::kGetObjectAttributes: return "GetObjectAttributes";
    case Op::kCreateMultipartUpload: return "CreateMultipartUpload";
    case Op::kUploadPart: return "UploadPart";
    case Op::kUploadPartCopy: return "UploadPartCopy";
    case Op::kCompleteMultipartUpload: return "CompleteMultipartUpload";
    case Op::kAbortMultipartUpload: return "AbortMultipartUpload";
    case Op::kListParts: return "ListParts";
    case Op::kGetBucketAcl: return "GetBucketAcl";
    case Op::kPutBucketAcl: return "PutBucketAcl";
    case Op::kGetObjectAcl: return "GetObjectAcl";
    case Op::kPutObjectAcl: return "PutObjectAcl";
    case Op::kGetBucketOwnershipControls: return "GetBucketOwnershipControls";
    case Op::kPutBucketOwnershipControls: return "PutBucketOwnershipControls";
    case Op::kDeleteBucketOwnershipControls: return "DeleteBucketOwnershipControls";
    case Op::kGetPublicAccessBlock: return "GetPublicAccessBlock";
    case Op::kPutPublicAccessBlock: return "PutPublicAccessBlock";
    case Op::kDeletePublicAccessBlock: return "DeletePublicAccessBlock";
    case Op::kGetBucketPolicy: return "GetBucketPolicy";
    case Op::kPutBucketPolicy: return "PutBucketPolicy";
    case Op::kDeleteBucketPolicy: return "DeleteBucketPolicy";
    case Op::kGetBucketPolicyStatus: return "GetBucketPolicyStatus";
    case Op::kPostObject: return "PostObject";
    case Op::kGetBucketCors: return "GetBucketCors";
    case Op::kPutBucketCors: return "PutBucketCors";
    case Op::kDeleteBucketCors: return "DeleteBucketCors";
    case Op::kPreflight: return "PreflightRequest";
    case Op::kGetBucketWebsite: return "GetBucketWebsite";
    case Op::kPutBucketWebsite: return "PutBucketWebsite";
    case Op::kDeleteBucketWebsite: return "DeleteBucketWebsite";
    case Op::kGetBucketRequestPayment: return "GetBucketRequestPayment";
    case Op::kGetBucketLifecycle: return "GetBucketLifecycleConfiguration";
    case Op::kGetBucketVersioning: return "GetBucketVersioning";
    case Op::kNotImplemented: return "NotImplemented";
    case Op::kMethodNotAllowed: return "MethodNotAllowed";
  }
  return "Unknown";
}

Route route(const RouteInput& in) {
  Target target = in.has_key ? Target::kObject : in.has_bucket ? Target::kBucket : Target::kService;
  // Pass 1: rows that require a keyword or a header.
  for (const Row& r : kRows) {
    if (r.target != target || in.method != r.method) continue;
    if (r.keyword[0] == '\0' && r.header[0] == '\0') continue;
    if (r.keyword[0] != '\0' && !has_param(in.query, r.keyword)) continue;
    if (r.header[0] != '\0' && !has_header(in.headers, r.header)) continue;
    return {r.op, op_name(r.op)};
  }
  // A subresource we do not build answers NotImplemented instead of the plain operation.
  if (target != Target::kService) {
    for (const char* k : kUnbuilt) {
      if (has_param(in.query, k)) return {Op::kNotImplemented, unbuilt_name(in.method, target == Target::kObject, k)};
    }
  }
  // Pass 2: the plain rows.
  for (const Row& r : kRows) {
    if (r.target != target || in.method != r.method || r.keyword[0] != '\0' || r.header[0] != '\0') continue;
    return {r.op, op_name(r.op)};
  }
  return {Op::kMethodNotAllowed, "MethodNotAllowed"};
}

bool split_path(std::string_view raw_path, std::string& bucket, std::string& key) {
  bucket.clear();
  key.clear();
  std::string_view p = raw_path;
  if (!p.empty() && p[0] == '/') p.remove_prefix(1);
  size_t slash = p.find('/');
  std::string_view b = p.substr(0, slash);
  std::string_view k = slash == std::string_view::npos ? std::string_view() : p.substr(slash + 1);
  auto db = uri_decode(b, true);
  auto dk = uri_decode(k, true);
  // A key that is not UTF-8 could not be listed in UTF-8 XML: S3 refuses it (InvalidURI).
  if (!db || !dk || !valid_utf8(*db) || !valid_utf8(*dk)) return false;
  bucket = std::move(*db);
  key = std::move(*dk);
  return true;
}

std::string host_bucket(std::string_view host, std::string_view domain) {
  if (!host.empty() && host.front() == '[') return "";  // an IPv6 literal
  std::string h = to_lower(host);
  if (auto colon = h.rfind(':'); colon != std::string::npos) h.resize(colon);
  std::vector<std::string> suffixes = {".s3.localhost", ".localhost", ".s3.amazonaws.com"};
  if (!domain.empty()) {
    suffixes.insert(suffixes.begin(), "." + std::string(domain));
    suffixes.insert(suffixes.begin(), ".s3." + std::string(domain));
  }
  for (auto& suf : suffixes) {
    if (h.size() > suf.size() && h.compare(h.size() - suf.size(), suf.size(), suf) == 0) {
      std::string b = h.substr(0, h.size() - suf.size());
      if (b == "s3") return "";  // s3.localhost itself is path style
      return b;
    }
  }
  // Regional AWS endpoints: bucket.s3.<region>.amazonaws.com.
  const std::string aws = ".amazonaws.com";
  if (h.size() > aws.size() && h.compare(h.size() - aws.size(), aws.size(), aws) == 0) {
    std::string rest = h.substr(0, h.size() - aws.size());
    auto p = rest.rfind(".s3.");
    if (p != std::string::npos && p > 0) return rest.substr(0, p);
  }
  return "";
}

}  // namespace localaws::s3
