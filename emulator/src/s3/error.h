// The one S3 error type. Handlers throw S3Error; service.cc catches it in one place and renders
// AWS's XML <Error> document. Status codes come from one table keyed by the error code.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "auth/authenticator.h"
#include "http/response.h"

namespace localaws::s3 {

struct S3Error {
  std::string code;
  std::string message;
  int status = 400;
  // Extra elements AWS adds after <Message> (Key, BucketName, Resource, Condition ...), in order.
  std::vector<std::pair<std::string, std::string>> extra;

  // Status and default message from the table; an unknown code is a bug and maps to 500.
  explicit S3Error(std::string code_, std::string message_ = "");
  // Response headers the error carries (x-amz-delete-marker, x-amz-version-id ...).
  std::vector<std::pair<std::string, std::string>> headers;
  S3Error& with(std::string name, std::string value) {
    extra.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  S3Error& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// HTTP status of an error code (500 when the table does not know it).
int status_of(const std::string& code);

// Renders the XML error document (or, for HEAD, only the status: HEAD responses carry no body).
void render_error(const S3Error& e, const std::string& method, const std::string& request_id, http::Response& res);
// SignatureDoesNotMatch and friends, with the extra elements S3 shows for signature mismatches.
S3Error from_auth_error(const auth::AuthError& e);

// The XML text of an <Error> document (exposed for golden tests).
std::string error_xml(const S3Error& e, const std::string& request_id, const std::string& host_id);

}  // namespace localaws::s3
