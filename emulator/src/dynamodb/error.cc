#include "dynamodb/error.h"

#include <set>

namespace localaws::ddb {

DdbError DdbError::constraint(const std::string& value, const std::string& field, const std::string& constraint) {
  return validation("1 validation error detected: Value '" + value + "' at '" + field +
                    "' failed to satisfy constraint: " + constraint);
}

DdbError DdbError::conditional_check_failed(std::optional<json> item) {
  DdbError e("ConditionalCheckFailedException", "The conditional request failed");
  if (item) e.extra_["Item"] = std::move(*item);
  return e;
}

DdbError DdbError::transaction_canceled(const json& reasons) {
  std::string codes;
  for (auto& r : reasons) codes += (codes.empty() ? "" : ", ") + r["Code"].get<std::string>();
  DdbError e("TransactionCanceledException",
             "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]");
  e.extra_["CancellationReasons"] = reasons;
  return e;
}

namespace {
// The namespace DynamoDB's __type carries: the errors of its front end (Coral) are not the
// service's own, e.g. {"__type":"com.amazon.coral.validate#ValidationException"},
// "com.amazon.coral.service#SerializationException" (SDKs keep only what follows '#').
std::string qualified_type(const std::string& type) {
  static const std::set<std::string, std::less<>> kCoralService = {
      "SerializationException",      "UnknownOperationException",           "MissingAuthenticationTokenException",
      "InvalidSignatureException",   "IncompleteSignatureException",        "UnrecognizedClientException",
      "AccessDeniedException",       "ExpiredTokenException"};
  if (type == "ValidationException") return "com.amazon.coral.validate#" + type;
  if (type == "ThrottlingException") return "com.amazon.coral.availability#" + type;
  if (kCoralService.count(type)) return "com.amazon.coral.service#" + type;
  return "com.amazonaws.dynamodb.v20120810#" + type;
}
}  // namespace

void render_error(const DdbError& e, http::Response& res) {
  json body = {{"__type", qualified_type(e.type())}};
  if (!e.message().empty()) body["message"] = e.message();
  for (auto& [k, v] : e.extra().items()) body[k] = v;
  res.status = e.status();
  res.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  res.headers.clear();
  res.journal.error_code = e.type();
}

}  // namespace localaws::ddb
