#include "control/faults_api.h"

#include <stdexcept>

#include "common/strings.h"
#include "server/runtime.h"

namespace localaws::control {

using nlohmann::json;

namespace {

constexpr std::string_view kPath = "/_localaws/faults";

ControlReply failure(int status, const std::string& code, const std::string& message) {
  return {status, {{"error", code}, {"message", message}}};
}

ControlReply add_rule(Runtime& rt, http::Request& req) {
  std::string body;
  if (auto err = http::read_all(*req.body, 64 << 10, body)) return failure(400, err->code, err->message);
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded()) return failure(400, "InvalidFault", "the body is not valid JSON");
  auto status_of = [&rt](const std::string& service, const std::string& code) -> std::optional<int> {
    Service* s = rt.service(service);
    return s ? s->error_status(code) : std::nullopt;
  };
  try {
    return {201, rt.faults.add(doc, status_of)};
  } catch (const std::invalid_argument& e) {
    return failure(400, "InvalidFault", e.what());
  }
}

}  // namespace

bool is_faults_path(const std::string& raw_path) {
  return raw_path == kPath || (starts_with(raw_path, kPath) && raw_path[kPath.size()] == '/');
}

ControlReply faults_api(Runtime& rt, http::Request& req) {
  std::string id = req.raw_path.size() > kPath.size() + 1 ? req.raw_path.substr(kPath.size() + 1) : "";
  if (!id.empty()) {
    if (req.method != "DELETE") return failure(405, "MethodNotAllowed", "use DELETE on a rule");
    if (!rt.faults.remove(id)) return failure(404, "NoSuchFault", "no fault rule " + id);
    return {200, {{"deleted", id}}};
  }
  if (req.method == "GET" || req.method == "HEAD") return {200, {{"faults", rt.faults.list()}}};
  if (req.method == "POST") return add_rule(rt, req);
  if (req.method == "DELETE") {
    rt.faults.clear();
    return {200, {{"cleared", true}}};
  }
  return failure(405, "MethodNotAllowed", "use GET, POST or DELETE");
}

}  // namespace localaws::control
