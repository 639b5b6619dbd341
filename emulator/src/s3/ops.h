// Every S3 operation is one row of one table (ops.cc): AWS's name, how a request reaches it
// (method, target, query parameters, a header guard), the permission it needs (ACL bit, IAM
// action, with and without versionId), what the pipeline loads before authorizing it, and its
// handler. Routing (router.cc), naming, authorization (access.cc) and dispatch (service.cc) all read
// the row; nothing else lists operations.
#pragma once
#include <cstddef>
#include <span>

namespace localaws::s3 {

struct Ctx;
using Handler = void (*)(Ctx&);

// One value per row, in table order (ops.cc checks the order at compile time).
enum class Op {
  kListBuckets,
  // bucket
  kCreateBucket,
  kHeadBucket,
  kDeleteBucket,
  kListObjects,
  kListObjectsV2,
  kListObjectVersions,
  kListMultipartUploads,
  kDeleteObjects,
  kPostObject,
  kPreflightBucket,
  kGetBucketLocation,
  kGetBucketAcl,
  kPutBucketAcl,
  kGetBucketOwnershipControls,
  kPutBucketOwnershipControls,
  kDeleteBucketOwnershipControls,
  kGetPublicAccessBlock,
  kPutPublicAccessBlock,
  kDeletePublicAccessBlock,
  kGetBucketPolicyStatus,
  kGetBucketPolicy,
  kPutBucketPolicy,
  kDeleteBucketPolicy,
  kGetBucketCors,
  kPutBucketCors,
  kDeleteBucketCors,
  kGetBucketWebsite,
  kPutBucketWebsite,
  kDeleteBucketWebsite,
  kGetBucketVersioning,
  kPutBucketVersioning,
  kGetObjectLockConfiguration,
  kPutObjectLockConfiguration,
  kGetBucketRequestPayment,
  kPutBucketRequestPayment,
  kGetBucketLifecycleConfiguration,
  kPutBucketLifecycleConfiguration,
  kDeleteBucketLifecycle,
  kGetBucketEncryption,
  kPutBucketEncryption,
  kDeleteBucketEncryption,
  kGetBucketTagging,
  kPutBucketTagging,
  kDeleteBucketTagging,
  kGetBucketLogging,
  kPutBucketLogging,
  kGetBucketNotificationConfiguration,
  kPutBucketNotificationConfiguration,
  kGetBucketReplication,
  kPutBucketReplication,
  kDeleteBucketReplication,
  kGetBucketAccelerateConfiguration,
  kPutBucketAccelerateConfiguration,
  kGetBucketAnalyticsConfiguration,
  kPutBucketAnalyticsConfiguration,
  kDeleteBucketAnalyticsConfiguration,
  kListBucketAnalyticsConfigurations,
  kGetBucketInventoryConfiguration,
  kPutBucketInventoryConfiguration,
  kDeleteBucketInventoryConfiguration,
  kListBucketInventoryConfigurations,
  kGetBucketMetricsConfiguration,
  kPutBucketMetricsConfiguration,
  kDeleteBucketMetricsConfiguration,
  kListBucketMetricsConfigurations,
  kGetBucketIntelligentTieringConfiguration,
  kPutBucketIntelligentTieringConfiguration,
  kDeleteBucketIntelligentTieringConfiguration,
  kListBucketIntelligentTieringConfigurations,
  kCreateBucketMetadataTableConfiguration,
  kGetBucketMetadataTableConfiguration,
  kDeleteBucketMetadataTableConfiguration,
  kCreateSession,
  // object
  kPutObject,
  kCopyObject,
  kGetObject,
  kHeadObject,
  kDeleteObject,
  kPreflightObject,
  kGetObjectTagging,
  kPutObjectTagging,
  kDeleteObjectTagging,
  kGetObjectAttributes,
  kGetObjectAcl,
  kPutObjectAcl,
  kGetObjectRetention,
  kPutObjectRetention,
  kGetObjectLegalHold,
  kPutObjectLegalHold,
  kCreateMultipartUpload,
  kUploadPartCopy,
  kUploadPart,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
  kListParts,
  kRestoreObject,
  kSelectObjectContent,
  kGetObjectTorrent,
  kRenameObject,
  kCount,
};

enum class Target { kService, kBucket, kObject };
// What the pipeline looks up before the permission check: nothing (ListBuckets, CreateBucket),
// the bucket, or the bucket and the object version the request names (handed to the handler).
enum class Load { kNone, kBucket, kObject };

// The permission an operation needs: the ACL bit (s3::Perm), the IAM action a bucket policy names
// (version_action when the request carries versionId; "" = the same), owner_only when no ACL
// grants it (only the bucket owner's account or a policy).
struct Need {
  unsigned perm = 0;
  bool owner_only = false;
  const char* action = "";
  const char* version_action = "";
};

struct OpRow {
  Op op;
  const char* name;    // AWS's operation name
  const char* method;  // GET, PUT, POST, DELETE, HEAD, OPTIONS
  Target target;
  const char* query;   // query parameters that must all be present, '&'-separated ("" = none)
  const char* header;  // a header that must be present ("" = none)
  Load load;
  Need need;
  Handler handler;     // nullptr: localaws does not build it (answers NotImplemented)
};

std::span<const OpRow> op_table();
const OpRow& op_row(Op op);
inline const char* op_name(Op op) { return op_row(op).name; }
// The IAM action for this request form (versionId present or not).
inline const char* iam_action(const OpRow& r, bool with_version) {
  return with_version && r.need.version_action[0] ? r.need.version_action : r.need.action;
}

}  // namespace localaws::s3
