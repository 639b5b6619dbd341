#include "aws/dynamodb.h"

#include <thread>

#include "aws/crypto.h"

namespace aws {

DynamoDbClient::DynamoDbClient(SignedClient client) : client_(std::move(client)) {}

Json DynamoDbClient::call(const std::string& operation, const Json& request) const {
  const auto& c = config();
  Call call;
  call.origin = Url::parse(c.endpoint_url.empty() ? default_endpoint("dynamodb", c.region) : c.endpoint_url);
  call.method = "POST";
  call.canonical_uri = call.origin.base_path.empty() ? "/" : call.origin.base_path;
  call.origin.base_path.clear();
  call.headers = {{"content-type", "application/x-amz-json-1.0"}, {"x-amz-target", "DynamoDB_20120810." + operation}};
  call.body = request.dump();
  call.sign_payload = false;
  HttpResponse res = client_.send(call, parse_dynamodb_error, check_crc32);
  if (res.body.empty()) return Json::object();
  Json out = Json::parse(res.body, nullptr, false);
  if (out.is_discarded()) throw AwsError(res.status, "InvalidResponse", operation + " answered with malformed JSON");
  return out;
}

void DynamoDbClient::wait_until_active(const std::string& table, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    Json t = describe_table(table)["Table"];
    bool active = t.value("TableStatus", "") == "ACTIVE";
    for (const auto& gsi : t.value("GlobalSecondaryIndexes", Json::array()))
      active = active && gsi.value("IndexStatus", "") == "ACTIVE";
    if (active) return;
    if (std::chrono::steady_clock::now() >= deadline)
      throw AwsError(0, "WaiterTimeout", "table " + table + " did not become ACTIVE in time");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

AwsError parse_dynamodb_error(const HttpResponse& res) {
  std::string request_id = res.header("x-amzn-requestid");
  Json body = Json::parse(res.body, nullptr, false);
  if (body.is_object()) {
    std::string type = body.value("__type", "");
    std::string code = type.substr(type.find('#') == std::string::npos ? 0 : type.find('#') + 1);
    std::string message = body.contains("message") ? body.value("message", "") : body.value("Message", "");
    if (body.contains("CancellationReasons")) message += " " + body["CancellationReasons"].dump();
    if (!code.empty()) return AwsError(res.status, code, message, request_id);
  }
  return AwsError(res.status, std::to_string(res.status), res.body.substr(0, 200), request_id);
}

std::optional<std::string> check_crc32(const HttpResponse& res) {
  std::string sent = res.header("x-amz-crc32");
  if (sent.empty()) return std::nullopt;
  if (std::to_string(crc32(res.body)) == sent) return std::nullopt;
  return "CRC32CheckFailed";
}

}  // namespace aws
