// The control plane under /_localaws/ (and the LocalStack-compatible /_localstack/health):
// health, reset. No AWS authentication.
#pragma once
#include "http/request.h"
#include "http/response.h"

namespace localaws {
struct Runtime;
namespace control {

void handle(Runtime& rt, http::Request& req, http::Response& res);

}  // namespace control
}  // namespace localaws
