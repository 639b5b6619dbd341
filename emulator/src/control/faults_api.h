// POST/GET/DELETE /_localaws/faults and DELETE /_localaws/faults/<id>: the fault rules of
// server/faults.h over HTTP (docs/harness.md, "Fault injection").
#pragma once
#include <nlohmann/json.hpp>

#include "http/request.h"

namespace localaws {
struct Runtime;
namespace control {

struct ControlReply {
  int status;
  nlohmann::json body;
};

// True for the paths this endpoint serves.
bool is_faults_path(const std::string& raw_path);
ControlReply faults_api(Runtime& rt, http::Request& req);

}  // namespace control
}  // namespace localaws
