#include "dynamodb/error.h"

namespace localaws::ddb {

DdbError DdbError::constraint(const std::string& value, const std::string& field, const std::string& constraint) {
  return validation("1 validation error detected: Value '" + value + "' at '" + field +
                    "' failed to satisfy constraint: " + constraint);
}

DdbError DdbError::conditional_check_failed(std::optional<json> item) {
  DdbError e("ConditionalCheckFailedException", "The conditional request failed");
  e.item_ = std::move(item);
  return e;
}

void render_error(const DdbError& e, http::Response& res) {
  json body = {{"__type", "com.amazonaws.dynamodb.v20120810#" + e.type()}};
  if (!e.message().empty()) body["message"] = e.message();
  if (e.item()) body["Item"] = *e.item();
  res.status = e.status();
  res.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  res.headers.clear();
}

}  // namespace localaws::ddb
