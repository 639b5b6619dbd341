#include "dynamodb/error_catalog.h"

#include <map>

namespace localaws::ddb {

namespace {
struct Entry {
  int status;
  const char* message;
};
}  // namespace

std::optional<DdbError> documented_error(const std::string& type) {
  static const std::map<std::string, Entry, std::less<>> kErrors = {
      // Throttling: 400, and retried by every SDK.
      {"ThrottlingException", {400, "Rate of requests exceeds the allowed throughput."}},
      {"ProvisionedThroughputExceededException",
       {400, "The level of configured provisioned throughput for the table was exceeded. Consider increasing your "
             "provisioning level with the UpdateTable API."}},
      {"RequestLimitExceeded",
       {400, "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at "
             "https://aws.amazon.com/support request a limit increase"}},
      {"TransactionConflictException", {400, "Transaction is ongoing for the item"}},
      {"LimitExceededException", {400, "Too many operations for a given subscriber."}},
      // Server errors.
      {"InternalServerError", {500, "Internal server error"}},
      {"ServiceUnavailable", {503, "Service unavailable"}},
      // Client errors.
      {"AccessDeniedException", {400, "User is not authorized to perform this action"}},
      {"ConditionalCheckFailedException", {400, "The conditional request failed"}},
      {"IdempotentParameterMismatchException", {400, "The request uses the same client token as a previous, but non-identical request."}},
      {"ItemCollectionSizeLimitExceededException", {400, "Item collection size limit exceeded"}},
      {"MissingAuthenticationTokenException", {400, "Request is missing Authentication Token"}},
      {"ReplicatedWriteConflictException", {400, "Replicated write conflict"}},
      {"ResourceInUseException", {400, "Resource in use"}},
      {"ResourceNotFoundException", {400, "Requested resource not found"}},
      {"TransactionCanceledException", {400, "Transaction cancelled"}},
      {"TransactionInProgressException", {400, "The transaction with the given request token is already in progress."}},
      {"UnrecognizedClientException", {400, "The security token included in the request is invalid."}},
      {"ValidationException", {400, "Validation error"}},
  };
  auto it = kErrors.find(type);
  if (it == kErrors.end()) return std::nullopt;
  return DdbError(type, it->second.message, it->second.status);
}

}  // namespace localaws::ddb
