#include "s3/policy_conditions.h"

#include <iterator>

namespace localaws::s3 {

namespace {

// The S3 keys of the Service Authorization Reference, lower case (the global keys are
// auth::global_condition_key's).
const char* const kS3Keys[] = {
    "s3:accessgrantsinstancearn", "s3:accesspointnetworkorigin", "s3:authtype", "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn", "s3:delimiter", "s3:existingjoboperation", "s3:existingjobpriority",
    "s3:inventoryaccessibleoptionalfields", "s3:jobsuspendedcause", "s3:locationconstraint", "s3:max-keys",
    "s3:object-lock-legal-hold", "s3:object-lock-mode", "s3:object-lock-remaining-retention-days",
    "s3:object-lock-retain-until-date", "s3:prefix", "s3:requestjoboperation", "s3:requestjobpriority",
    "s3:requestobjecttagkeys", "s3:resourceaccount", "s3:signatureage", "s3:signatureversion",
    "s3:tlsversion", "s3:versionid", "s3:x-amz-acl", "s3:x-amz-content-sha256", "s3:x-amz-copy-source",
    "s3:x-amz-grant-full-control", "s3:x-amz-grant-read", "s3:x-amz-grant-read-acp", "s3:x-amz-grant-write",
    "s3:x-amz-grant-write-acp", "s3:x-amz-metadata-directive", "s3:x-amz-object-ownership",
    "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:x-amz-server-side-encryption-customer-algorithm", "s3:x-amz-storage-class",
    "s3:x-amz-website-redirect-location", "s3:if-match", "s3:if-none-match", "s3:objectcreationoperation"};
// Keys with a tag key after the slash.
const char* const kS3TagPrefixes[] = {"s3:existingobjecttag/", "s3:requestobjecttag/", "s3:buckettag/"};

}  // namespace

bool known_condition_key(std::string_view key) {
  return auth::global_condition_key(key) ||
         auth::key_in(key, kS3Keys, std::size(kS3Keys), kS3TagPrefixes, std::size(kS3TagPrefixes));
}

std::optional<std::string> condition_error(const nlohmann::json& condition) {
  return auth::condition_error(condition, known_condition_key);
}

}  // namespace localaws::s3
