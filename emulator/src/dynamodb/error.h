// The one error type of the DynamoDB protocol. Everything that goes wrong in a request becomes a
// DdbError; render_error() (error.cc) is the only place that turns one into JSON.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "http/response.h"

namespace localaws::ddb {

using json = nlohmann::json;

class DdbError : public std::runtime_error {
 public:
  DdbError(std::string type, std::string message, int status = 400)
      : std::runtime_error(message), type_(std::move(type)), message_(std::move(message)), status_(status) {}

  static DdbError validation(std::string msg) { return {"ValidationException", std::move(msg)}; }
  // "1 validation error detected: Value 'x' at 'field' failed to satisfy constraint: ..."
  static DdbError constraint(const std::string& value, const std::string& field, const std::string& constraint);
  static DdbError serialization(std::string msg) { return {"SerializationException", std::move(msg)}; }
  static DdbError resource_not_found(std::string msg = "Requested resource not found") {
    return {"ResourceNotFoundException", std::move(msg)};
  }
  static DdbError resource_in_use(std::string msg) { return {"ResourceInUseException", std::move(msg)}; }
  // item: the old item, sent back when ReturnValuesOnConditionCheckFailure=ALL_OLD.
  static DdbError conditional_check_failed(std::optional<json> item = std::nullopt);
  static DdbError unknown_operation() { return {"UnknownOperationException", ""}; }
  static DdbError missing_auth_token() {
    return {"MissingAuthenticationTokenException", "Request is missing Authentication Token"};
  }
  static DdbError limit_exceeded(std::string msg) { return {"LimitExceededException", std::move(msg)}; }
  static DdbError internal() { return {"InternalServerError", "Internal server error", 500}; }
  // reasons: one {"Code", "Message"?, "Item"?} per action, in request order.
  static DdbError transaction_canceled(const json& reasons);

  const std::string& type() const { return type_; }
  const std::string& message() const { return message_; }
  int status() const { return status_; }
  // Members added to the error body beside __type and message ("Item", "CancellationReasons").
  const json& extra() const { return extra_; }

 private:
  std::string type_;
  std::string message_;
  int status_;
  json extra_ = json::object();
};

// {"__type":"<namespace>#<type>","message":"..."} with the error's status; the namespace is
// DynamoDB's (com.amazonaws.dynamodb.v20120810, or com.amazon.coral.* for front-end errors).
void render_error(const DdbError& e, http::Response& res);

}  // namespace localaws::ddb
