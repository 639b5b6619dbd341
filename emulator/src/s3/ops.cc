// The S3 operation table. ACL bits per operation as in
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions, IAM actions
// as in the Service Authorization Reference ("Actions defined by Amazon S3"). A row without a
// handler answers NotImplemented (docs/s3.md lists them).
#include "s3/ops.h"

#include <array>

#include "s3/acl.h"
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {

constexpr Target S = Target::kService, B = Target::kBucket, O = Target::kObject;
constexpr Load kNo = Load::kNone, kBkt = Load::kBucket, kObj = Load::kObject;

// Bucket-owner operations no ACL grants.
constexpr Need owner(const char* action) { return {0, true, action, ""}; }
constexpr Need acl(unsigned perm, const char* action, const char* version_action = "") {
  return {perm, false, action, version_action};
}

constexpr std::array kTable = {
    OpRow{Op::kListBuckets, "ListBuckets", "GET", S, "", "", kNo, owner("s3:ListAllMyBuckets"), list_buckets},
    // --- buckets -------------------------------------------------------------------------------
    OpRow{Op::kCreateBucket, "CreateBucket", "PUT", B, "", "", kNo, owner("s3:CreateBucket"), create_bucket},
    OpRow{Op::kHeadBucket, "HeadBucket", "HEAD", B, "", "", kBkt, acl(kRead, "s3:ListBucket"), head_bucket},
    OpRow{Op::kDeleteBucket, "DeleteBucket", "DELETE", B, "", "", kBkt, owner("s3:DeleteBucket"), delete_bucket},
    OpRow{Op::kListObjects, "ListObjects", "GET", B, "", "", kBkt, acl(kRead, "s3:ListBucket"), list_objects_v1},
    OpRow{Op::kListObjectsV2, "ListObjectsV2", "GET", B, "list-type", "", kBkt, acl(kRead, "s3:ListBucket"),
          list_objects_v2},
    OpRow{Op::kListObjectVersions, "ListObjectVersions", "GET", B, "versions", "", kBkt,
          acl(kRead, "s3:ListBucketVersions"), list_object_versions},
    OpRow{Op::kListMultipartUploads, "ListMultipartUploads", "GET", B, "uploads", "", kBkt,
          acl(kRead, "s3:ListBucketMultipartUploads"), list_multipart_uploads},
    // Authorizes each key itself (DeleteObject's row against bucket/key); a refused key is an Error entry.
    OpRow{Op::kDeleteObjects, "DeleteObjects", "POST", B, "delete", "", kBkt,
          acl(kWrite, "s3:DeleteObject", "s3:DeleteObjectVersion"), delete_objects},
    // Authorizes its policy document's signer itself.
    OpRow{Op::kPostObject, "PostObject", "POST", B, "", "", kBkt, acl(kWrite, "s3:PutObject"), post_object},
    // A preflight carries no identity: the bucket's CORS rules decide (it loads the bucket itself:
    // a missing bucket is a CORS answer, not NoSuchBucket).
    OpRow{Op::kPreflightBucket, "PreflightRequest", "OPTIONS", B, "", "", kNo, {}, preflight},
    OpRow{Op::kGetBucketLocation, "GetBucketLocation", "GET", B, "location", "", kBkt, owner("s3:GetBucketLocation"),
          get_bucket_location},
    OpRow{Op::kGetBucketAcl, "GetBucketAcl", "GET", B, "acl", "", kBkt, acl(kReadAcp, "s3:GetBucketAcl"), get_acl},
    OpRow{Op::kPutBucketAcl, "PutBucketAcl", "PUT", B, "acl", "", kBkt, acl(kWriteAcp, "s3:PutBucketAcl"), put_acl},
    OpRow{Op::kGetBucketOwnershipControls, "GetBucketOwnershipControls", "GET", B, "ownershipControls", "", kBkt,
          owner("s3:GetBucketOwnershipControls"), get_ownership_controls},
    OpRow{Op::kPutBucketOwnershipControls, "PutBucketOwnershipControls", "PUT", B, "ownershipControls", "", kBkt,
          owner("s3:PutBucketOwnershipControls"), put_ownership_controls},
    OpRow{Op::kDeleteBucketOwnershipControls, "DeleteBucketOwnershipControls", "DELETE", B, "ownershipControls", "",
          kBkt, owner("s3:PutBucketOwnershipControls"), delete_ownership_controls},
    OpRow{Op::kGetPublicAccessBlock, "GetPublicAccessBlock", "GET", B, "publicAccessBlock", "", kBkt,
          owner("s3:GetBucketPublicAccessBlock"), get_public_access_block},
    OpRow{Op::kPutPublicAccessBlock, "PutPublicAccessBlock", "PUT", B, "publicAccessBlock", "", kBkt,
          owner("s3:PutBucketPublicAccessBlock"), put_public_access_block},
    OpRow{Op::kDeletePublicAccessBlock, "DeletePublicAccessBlock", "DELETE", B, "publicAccessBlock", "", kBkt,
          owner("s3:PutBucketPublicAccessBlock"), delete_public_access_block},
    OpRow{Op::kGetBucketPolicyStatus, "GetBucketPolicyStatus", "GET", B, "policyStatus", "", kBkt,
          owner("s3:GetBucketPolicyStatus"), get_bucket_policy_status},
    OpRow{Op::kGetBucketPolicy, "GetBucketPolicy", "GET", B, "policy", "", kBkt, owner("s3:GetBucketPolicy"),
          get_bucket_policy},
    OpRow{Op::kPutBucketPolicy, "PutBucketPolicy", "PUT", B, "policy", "", kBkt, owner("s3:PutBucketPolicy"),
          put_bucket_policy},
    OpRow{Op::kDeleteBucketPolicy, "DeleteBucketPolicy", "DELETE", B, "policy", "", kBkt,
          owner("s3:DeleteBucketPolicy"), delete_bucket_policy},
    OpRow{Op::kGetBucketCors, "GetBucketCors", "GET", B, "cors", "", kBkt, owner("s3:GetBucketCORS"), get_bucket_cors},
    OpRow{Op::kPutBucketCors, "PutBucketCors", "PUT", B, "cors", "", kBkt, owner("s3:PutBucketCORS"), put_bucket_cors},
    OpRow{Op::kDeleteBucketCors, "DeleteBucketCors", "DELETE", B, "cors", "", kBkt, owner("s3:PutBucketCORS"),
          delete_bucket_cors},
    OpRow{Op::kGetBucketWebsite, "GetBucketWebsite", "GET", B, "website", "", kBkt, owner("s3:GetBucketWebsite"),
          get_bucket_website},
    OpRow{Op::kPutBucketWebsite, "PutBucketWebsite", "PUT", B, "website", "", kBkt, owner("s3:PutBucketWebsite"),
          put_bucket_website},
    OpRow{Op::kDeleteBucketWebsite, "DeleteBucketWebsite", "DELETE", B, "website", "", kBkt,
          owner("s3:DeleteBucketWebsite"), delete_bucket_website},
    OpRow{Op::kGetBucketVersioning, "GetBucketVersioning", "GET", B, "versioning", "", kBkt,
          owner("s3:GetBucketVersioning"), get_bucket_versioning},
    OpRow{Op::kPutBucketVersioning, "PutBucketVersioning", "PUT", B, "versioning", "", kBkt,
          owner("s3:PutBucketVersioning"), put_bucket_versioning},
    OpRow{Op::kGetObjectLockConfiguration, "GetObjectLockConfiguration", "GET", B, "object-lock", "", kBkt,
          owner("s3:GetBucketObjectLockConfiguration"), get_object_lock_configuration},
    OpRow{Op::kPutObjectLockConfiguration, "PutObjectLockConfiguration", "PUT", B, "object-lock", "", kBkt,
          owner("s3:PutBucketObjectLockConfiguration"), put_object_lock_configuration},
    OpRow{Op::kGetBucketRequestPayment, "GetBucketRequestPayment", "GET", B, "requestPayment", "", kBkt,
          owner("s3:GetBucketRequestPayment"), get_bucket_request_payment},
    OpRow{Op::kPutBucketRequestPayment, "PutBucketRequestPayment", "PUT", B, "requestPayment", "", kBkt,
          owner("s3:PutBucketRequestPayment"), put_bucket_request_payment},
    OpRow{Op::kGetBucketLifecycleConfiguration, "GetBucketLifecycleConfiguration", "GET", B, "lifecycle", "", kBkt,
          owner("s3:GetLifecycleConfiguration"), get_bucket_lifecycle},
    OpRow{Op::kPutBucketLifecycleConfiguration, "PutBucketLifecycleConfiguration", "PUT", B, "lifecycle", "", kBkt,
          owner("s3:PutLifecycleConfiguration"), put_bucket_lifecycle},
    OpRow{Op::kDeleteBucketLifecycle, "DeleteBucketLifecycle", "DELETE", B, "lifecycle", "", kBkt,
          owner("s3:PutLifecycleConfiguration"), delete_bucket_lifecycle},
    OpRow{Op::kGetBucketEncryption, "GetBucketEncryption", "GET", B, "encryption", "", kBkt,
          owner("s3:GetEncryptionConfiguration"), get_bucket_encryption},
    OpRow{Op::kPutBucketEncryption, "PutBucketEncryption", "PUT", B, "encryption", "", kBkt,
          owner("s3:PutEncryptionConfiguration"), put_bucket_encryption},
    OpRow{Op::kDeleteBucketEncryption, "DeleteBucketEncryption", "DELETE", B, "encryption", "", kBkt,
          owner("s3:PutEncryptionConfiguration"), delete_bucket_encryption},
    OpRow{Op::kGetBucketTagging, "GetBucketTagging", "GET", B, "tagging", "", kBkt, owner("s3:GetBucketTagging"),
          get_bucket_tagging},
    OpRow{Op::kPutBucketTagging, "PutBucketTagging", "PUT", B, "tagging", "", kBkt, owner("s3:PutBucketTagging"),
          put_bucket_tagging},
    OpRow{Op::kDeleteBucketTagging, "DeleteBucketTagging", "DELETE", B, "tagging", "", kBkt,
          owner("s3:PutBucketTagging"), delete_bucket_tagging},
    OpRow{Op::kGetBucketLogging, "GetBucketLogging", "GET", B, "logging", "", kBkt, owner("s3:GetBucketLogging"),
          get_bucket_logging},
    OpRow{Op::kPutBucketLogging, "PutBucketLogging", "PUT", B, "logging", "", kBkt, owner("s3:PutBucketLogging"),
          put_bucket_logging},
    OpRow{Op::kGetBucketNotificationConfiguration, "GetBucketNotificationConfiguration", "GET", B, "notification", "",
          kBkt, owner("s3:GetBucketNotification"), get_bucket_notification},
    OpRow{Op::kPutBucketNotificationConfiguration, "PutBucketNotificationConfiguration", "PUT", B, "notification", "",
          kBkt, owner("s3:PutBucketNotification"), put_bucket_notification},
    OpRow{Op::kGetBucketReplication, "GetBucketReplication", "GET", B, "replication", "", kBkt,
          owner("s3:GetReplicationConfiguration"), get_bucket_replication},
    OpRow{Op::kPutBucketReplication, "PutBucketReplication", "PUT", B, "replication", "", kBkt,
          owner("s3:PutReplicationConfiguration"), put_bucket_replication},
    OpRow{Op::kDeleteBucketReplication, "DeleteBucketReplication", "DELETE", B, "replication", "", kBkt,
          owner("s3:PutReplicationConfiguration"), delete_bucket_replication},
    OpRow{Op::kGetBucketAccelerateConfiguration, "GetBucketAccelerateConfiguration", "GET", B, "accelerate", "", kBkt,
          owner("s3:GetAccelerateConfiguration"), get_bucket_accelerate},
    OpRow{Op::kPutBucketAccelerateConfiguration, "PutBucketAccelerateConfiguration", "PUT", B, "accelerate", "", kBkt,
          owner("s3:PutAccelerateConfiguration"), put_bucket_accelerate},
    OpRow{Op::kGetBucketAnalyticsConfiguration, "GetBucketAnalyticsConfiguration", "GET", B, "analytics&id", "", kBkt,
          owner("s3:GetAnalyticsConfiguration"), get_bucket_analytics},
    OpRow{Op::kPutBucketAnalyticsConfiguration, "PutBucketAnalyticsConfiguration", "PUT", B, "analytics&id", "", kBkt,
          owner("s3:PutAnalyticsConfiguration"), put_bucket_analytics},
    OpRow{Op::kDeleteBucketAnalyticsConfiguration, "DeleteBucketAnalyticsConfiguration", "DELETE", B, "analytics&id",
          "", kBkt, owner("s3:PutAnalyticsConfiguration"), delete_bucket_analytics},
    OpRow{Op::kListBucketAnalyticsConfigurations, "ListBucketAnalyticsConfigurations", "GET", B, "analytics", "",
          kBkt, owner("s3:GetAnalyticsConfiguration"), list_bucket_analytics},
    OpRow{Op::kGetBucketInventoryConfiguration, "GetBucketInventoryConfiguration", "GET", B, "inventory&id", "", kBkt,
          owner("s3:GetInventoryConfiguration"), get_bucket_inventory},
    OpRow{Op::kPutBucketInventoryConfiguration, "PutBucketInventoryConfiguration", "PUT", B, "inventory&id", "", kBkt,
          owner("s3:PutInventoryConfiguration"), put_bucket_inventory},
    OpRow{Op::kDeleteBucketInventoryConfiguration, "DeleteBucketInventoryConfiguration", "DELETE", B, "inventory&id",
          "", kBkt, owner("s3:PutInventoryConfiguration"), delete_bucket_inventory},
    OpRow{Op::kListBucketInventoryConfigurations, "ListBucketInventoryConfigurations", "GET", B, "inventory", "",
          kBkt, owner("s3:GetInventoryConfiguration"), list_bucket_inventory},
    OpRow{Op::kGetBucketMetricsConfiguration, "GetBucketMetricsConfiguration", "GET", B, "metrics&id", "", kBkt,
          owner("s3:GetMetricsConfiguration"), get_bucket_metrics},
    OpRow{Op::kPutBucketMetricsConfiguration, "PutBucketMetricsConfiguration", "PUT", B, "metrics&id", "", kBkt,
          owner("s3:PutMetricsConfiguration"), put_bucket_metrics},
    OpRow{Op::kDeleteBucketMetricsConfiguration, "DeleteBucketMetricsConfiguration", "DELETE", B, "metrics&id", "",
          kBkt, owner("s3:PutMetricsConfiguration"), delete_bucket_metrics},
    OpRow{Op::kListBucketMetricsConfigurations, "ListBucketMetricsConfigurations", "GET", B, "metrics", "", kBkt,
          owner("s3:GetMetricsConfiguration"), list_bucket_metrics},
    OpRow{Op::kGetBucketIntelligentTieringConfiguration, "GetBucketIntelligentTieringConfiguration", "GET", B,
          "intelligent-tiering&id", "", kBkt, owner("s3:GetIntelligentTieringConfiguration"),
          get_bucket_intelligent_tiering},
    OpRow{Op::kPutBucketIntelligentTieringConfiguration, "PutBucketIntelligentTieringConfiguration", "PUT", B,
          "intelligent-tiering&id", "", kBkt, owner("s3:PutIntelligentTieringConfiguration"),
          put_bucket_intelligent_tiering},
    OpRow{Op::kDeleteBucketIntelligentTieringConfiguration, "DeleteBucketIntelligentTieringConfiguration", "DELETE", B,
          "intelligent-tiering&id", "", kBkt, owner("s3:PutIntelligentTieringConfiguration"),
          delete_bucket_intelligent_tiering},
    OpRow{Op::kListBucketIntelligentTieringConfigurations, "ListBucketIntelligentTieringConfigurations", "GET", B,
          "intelligent-tiering", "", kBkt, owner("s3:GetIntelligentTieringConfiguration"),
          list_bucket_intelligent_tiering},
    OpRow{Op::kCreateBucketMetadataTableConfiguration, "CreateBucketMetadataTableConfiguration", "POST", B,
          "metadataTable", "", kBkt, owner("s3:CreateBucketMetadataTableConfiguration"), nullptr},
    OpRow{Op::kGetBucketMetadataTableConfiguration, "GetBucketMetadataTableConfiguration", "GET", B, "metadataTable",
          "", kBkt, owner("s3:GetBucketMetadataTableConfiguration"), nullptr},
    OpRow{Op::kDeleteBucketMetadataTableConfiguration, "DeleteBucketMetadataTableConfiguration", "DELETE", B,
          "metadataTable", "", kBkt, owner("s3:DeleteBucketMetadataTableConfiguration"), nullptr},
    OpRow{Op::kCreateSession, "CreateSession", "GET", B, "session", "", kBkt, owner("s3express:CreateSession"),
          nullptr},
    // --- objects -------------------------------------------------------------------------------
    OpRow{Op::kPutObject, "PutObject", "PUT", O, "", "", kBkt, acl(kWrite, "s3:PutObject"), put_object},
    // The source's s3:GetObject(Version) is checked by the handler.
    OpRow{Op::kCopyObject, "CopyObject", "PUT", O, "", "x-amz-copy-source", kBkt, acl(kWrite, "s3:PutObject"),
          copy_object},
    OpRow{Op::kGetObject, "GetObject", "GET", O, "", "", kObj, acl(kRead, "s3:GetObject", "s3:GetObjectVersion"),
          get_object},
    OpRow{Op::kHeadObject, "HeadObject", "HEAD", O, "", "", kObj, acl(kRead, "s3:GetObject", "s3:GetObjectVersion"),
          get_object},
    OpRow{Op::kDeleteObject, "DeleteObject", "DELETE", O, "", "", kBkt,
          acl(kWrite, "s3:DeleteObject", "s3:DeleteObjectVersion"), delete_object},
    OpRow{Op::kPreflightObject, "PreflightRequest", "OPTIONS", O, "", "", kNo, {}, preflight},
    OpRow{Op::kGetObjectTagging, "GetObjectTagging", "GET", O, "tagging", "", kObj,
          acl(kRead, "s3:GetObjectTagging", "s3:GetObjectVersionTagging"), get_object_tagging},
    OpRow{Op::kPutObjectTagging, "PutObjectTagging", "PUT", O, "tagging", "", kObj,
          {kWrite, true, "s3:PutObjectTagging", "s3:PutObjectVersionTagging"}, put_object_tagging},
    OpRow{Op::kDeleteObjectTagging, "DeleteObjectTagging", "DELETE", O, "tagging", "", kObj,
          {kWrite, true, "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"}, delete_object_tagging},
    OpRow{Op::kGetObjectAttributes, "GetObjectAttributes", "GET", O, "attributes", "", kObj,
          acl(kRead, "s3:GetObjectAttributes", "s3:GetObjectVersionAttributes"), get_object_attributes},
    OpRow{Op::kGetObjectAcl, "GetObjectAcl", "GET", O, "acl", "", kObj,
          acl(kReadAcp, "s3:GetObjectAcl", "s3:GetObjectVersionAcl"), get_acl},
    OpRow{Op::kPutObjectAcl, "PutObjectAcl", "PUT", O, "acl", "", kObj,
          acl(kWriteAcp, "s3:PutObjectAcl", "s3:PutObjectVersionAcl"), put_acl},
    OpRow{Op::kGetObjectRetention, "GetObjectRetention", "GET", O, "retention", "", kObj,
          owner("s3:GetObjectRetention"), get_object_retention},
    OpRow{Op::kPutObjectRetention, "PutObjectRetention", "PUT", O, "retention", "", kObj,
          owner("s3:PutObjectRetention"), put_object_retention},
    OpRow{Op::kGetObjectLegalHold, "GetObjectLegalHold", "GET", O, "legal-hold", "", kObj,
          owner("s3:GetObjectLegalHold"), get_object_legal_hold},
    OpRow{Op::kPutObjectLegalHold, "PutObjectLegalHold", "PUT", O, "legal-hold", "", kObj,
          owner("s3:PutObjectLegalHold"), put_object_legal_hold},
    OpRow{Op::kCreateMultipartUpload, "CreateMultipartUpload", "POST", O, "uploads", "", kBkt,
          acl(kWrite, "s3:PutObject"), create_multipart_upload},
    OpRow{Op::kUploadPartCopy, "UploadPartCopy", "PUT", O, "uploadId", "x-amz-copy-source", kBkt,
          acl(kWrite, "s3:PutObject"), upload_part_copy},
    OpRow{Op::kUploadPart, "UploadPart", "PUT", O, "uploadId", "", kBkt, acl(kWrite, "s3:PutObject"), upload_part},
    OpRow{Op::kCompleteMultipartUpload, "CompleteMultipartUpload", "POST", O, "uploadId", "", kBkt,
          acl(kWrite, "s3:PutObject"), complete_multipart_upload},
    OpRow{Op::kAbortMultipartUpload, "AbortMultipartUpload", "DELETE", O, "uploadId", "", kBkt,
          acl(kWrite, "s3:AbortMultipartUpload"), abort_multipart_upload},
    OpRow{Op::kListParts, "ListParts", "GET", O, "uploadId", "", kBkt, acl(kRead, "s3:ListMultipartUploadParts"),
          list_parts},
    OpRow{Op::kRestoreObject, "RestoreObject", "POST", O, "restore", "", kBkt, owner("s3:RestoreObject"),
          restore_object},
    OpRow{Op::kSelectObjectContent, "SelectObjectContent", "POST", O, "select", "", kBkt, acl(kRead, "s3:GetObject"),
          nullptr},
    OpRow{Op::kGetObjectTorrent, "GetObjectTorrent", "GET", O, "torrent", "", kBkt,
          acl(kRead, "s3:GetObjectTorrent", "s3:GetObjectVersionTorrent"), nullptr},
    OpRow{Op::kRenameObject, "RenameObject", "PUT", O, "renameObject", "", kBkt, owner("s3express:CreateSession"),
          nullptr},
};

constexpr bool in_enum_order() {
  for (size_t i = 0; i < kTable.size(); i++) {
    if (static_cast<size_t>(kTable[i].op) != i) return false;
  }
  return kTable.size() == static_cast<size_t>(Op::kCount);
}
static_assert(in_enum_order(), "kTable has one row per Op, in the enum's order");

}  // namespace

std::span<const OpRow> op_table() { return kTable; }
const OpRow& op_row(Op op) { return kTable[static_cast<size_t>(op)]; }

}  // namespace localaws::s3
