// The DynamoDB operations the ranker needs, over the JSON 1.0 protocol. Requests and answers are
// the API's own JSON (AttributeValue maps), so nothing is lost in a translation layer.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB.html
#pragma once
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "aws/client.h"

namespace aws {

using Json = nlohmann::json;

class DynamoDbClient {
 public:
  explicit DynamoDbClient(SignedClient client);
  const ServiceConfig& config() const { return client_.config(); }

  // Any operation by name ("PutItem"); throws AwsError with DynamoDB's __type and message.
  Json call(const std::string& operation, const Json& request) const;

  Json create_table(const Json& r) const { return call("CreateTable", r); }
  Json describe_table(const std::string& table) const { return call("DescribeTable", {{"TableName", table}}); }
  // Polls DescribeTable until the table and all its GSIs are ACTIVE; throws AwsError
  // "WaiterTimeout" when `timeout` passes first.
  void wait_until_active(const std::string& table, std::chrono::milliseconds timeout) const;
  Json put_item(const Json& r) const { return call("PutItem", r); }
  Json get_item(const Json& r) const { return call("GetItem", r); }
  Json update_item(const Json& r) const { return call("UpdateItem", r); }
  Json query(const Json& r) const { return call("Query", r); }
  Json scan(const Json& r) const { return call("Scan", r); }
  Json transact_write_items(const Json& r) const { return call("TransactWriteItems", r); }

 private:
  SignedClient client_;
};

AwsError parse_dynamodb_error(const HttpResponse& res);
// DynamoDB sends X-Amz-Crc32, the CRC-32 of the body bytes; returns "CRC32CheckFailed" on a
// mismatch (retried, as the SDKs do) and nothing when it matches or is absent.
std::optional<std::string> check_crc32(const HttpResponse& res);

}  // namespace aws
