// DynamoDB requests in-process: the operation's JSON (AttributeValues, keys, expressions with
// their names and values, pagination, batches and transactions) through the handlers, against
// table "t" (hash key "pk" S, range key "sk" N).
// Input: first line the operation (PutItem, Query ...), the rest the JSON body.
#include <cstdint>

#include "fuzz_util.h"
#include "service_fuzz.h"

using namespace localaws;

namespace {

void call(Service& svc, std::string_view op, std::string body) {
  http::Request req;
  req.method = "POST";
  req.target = req.raw_path = "/";
  req.headers.emplace_back("x-amz-target", "DynamoDB_20120810." + std::string(op));
  req.headers.emplace_back("content-type", "application/x-amz-json-1.0");
  req.body = std::make_unique<http::StringBody>(std::move(body));
  fuzz::handle(svc, req);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Service& svc = *fuzz::runtime().dynamodb;
  static uint64_t runs = 0;
  if (runs++ % 500 == 0) {
    svc.reset();
    call(svc, "CreateTable",
         R"({"TableName":"t","BillingMode":"PAY_PER_REQUEST",)"
         R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],)"
         R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]})");
    call(svc, "PutItem", R"({"TableName":"t","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"m":{"M":{"x":{"L":[{"N":"2"}]}}}}})");
  }
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto nl = in.find('\n');
  if (nl == std::string_view::npos) return 0;
  call(svc, in.substr(0, nl), std::string(in.substr(nl + 1)));
  return 0;
}
