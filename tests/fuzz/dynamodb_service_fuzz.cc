// DynamoDB requests in-process: the operation's JSON (AttributeValues, keys, expressions with
// their names and values, pagination, batches and transactions) through the handlers, against
// table "t" (hash key "pk" S, range key "sk" N).
// Input: first line the operation (PutItem, Query ...), the rest the JSON body.
#include <cstdint>

#include "fuzz_util.h"
#include "service_fuzz.h"

using namespace localaws;

namespace {

void call(std::string_view op, std::string body) {
  http::Request req = http::make_request(
      "POST", "/", {{"X-Amz-Target", "DynamoDB_20120810." + std::string(op)}, {"Content-Type", "application/x-amz-json-1.0"}},
      std::make_unique<http::StringBody>(std::move(body)));
  fuzz::handle(req);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Service& svc = *fuzz::runtime().dynamodb;
  static uint64_t runs = 0;
  if (runs++ % 500 == 0) {
    svc.reset();
    call("CreateTable",
         R"({"TableName":"t","BillingMode":"PAY_PER_REQUEST",)"
         R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],)"
         R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]})");
    call("PutItem", R"({"TableName":"t","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"m":{"M":{"x":{"L":[{"N":"2"}]}}}}})");
  }
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto nl = in.find('\n');
  if (nl == std::string_view::npos) return 0;
  call(in.substr(0, nl), std::string(in.substr(nl + 1)));
  return 0;
}
