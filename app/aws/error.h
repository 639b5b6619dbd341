// The one error type of the client: AWS's error code and message as the service sent them.
#pragma once
#include <stdexcept>
#include <string>

namespace aws {

struct AwsError : std::runtime_error {
  AwsError(int status, std::string code, std::string message, std::string request_id = "")
      : std::runtime_error(code + (message.empty() ? "" : ": " + message) + " (HTTP " + std::to_string(status) + ")"),
        status(status), code(std::move(code)), message(std::move(message)), request_id(std::move(request_id)) {}
  int status;           // 0 when the request never got an HTTP answer
  std::string code;     // "NoSuchBucket", "ConditionalCheckFailedException", "NetworkError"
  std::string message;
  std::string request_id;
};

}  // namespace aws
