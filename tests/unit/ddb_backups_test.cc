// RestoreTableFromBackup's CreateTable request (backups.cc): overrides replace the backed-up
// settings, AttributeDefinitions follow the keys still used, and validate_create_table accepts it.
#include <catch2/catch.hpp>

#include "dynamodb/backups.h"
#include "dynamodb/table_schema.h"

using localaws::ddb::json;
using localaws::ddb::restore_create_request;
using localaws::ddb::validate_create_table;

namespace {
json source_meta() {
  return json::parse(R"({
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
                             {"AttributeName": "g", "AttributeType": "S"}, {"AttributeName": "l", "AttributeType": "S"}],
    "BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 4},
    "TableClass": "STANDARD",
    "GlobalSecondaryIndexes": [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                "Projection": {"ProjectionType": "ALL"},
                                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
    "LocalSecondaryIndexes": [{"IndexName": "by_l", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                               {"AttributeName": "l", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "KEYS_ONLY"}}],
    "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"},
    "TimeToLive": {"Enabled": true, "AttributeName": "exp"}, "DeletionProtectionEnabled": true
  })");
}
}  // namespace

TEST_CASE("ddb backups: restore without overrides keeps the table's settings, not its stream or TTL", "[ddb]") {
  json req = restore_create_request(source_meta(), json::object());
  json meta = validate_create_table(req);
  CHECK(meta["BillingMode"] == "PROVISIONED");
  CHECK(meta["ProvisionedThroughput"]["ReadCapacityUnits"] == 5);
  CHECK(meta["GlobalSecondaryIndexes"][0]["IndexName"] == "by_g");
  CHECK(meta["LocalSecondaryIndexes"][0]["IndexName"] == "by_l");
  CHECK(meta["AttributeDefinitions"].size() == 4);
  CHECK(!req.contains("StreamSpecification"));
  CHECK(!req.contains("TimeToLive"));
  CHECK(meta["DeletionProtectionEnabled"] == false);
}

TEST_CASE("ddb backups: on-demand override drops index throughput; empty index lists drop the indexes", "[ddb]") {
  json in = {{"BillingModeOverride", "PAY_PER_REQUEST"}, {"LocalSecondaryIndexOverride", json::array()}};
  json meta = validate_create_table(restore_create_request(source_meta(), in));
  CHECK(meta["BillingMode"] == "PAY_PER_REQUEST");
  CHECK(!meta.contains("ProvisionedThroughput"));
  CHECK(!meta["GlobalSecondaryIndexes"][0].contains("ProvisionedThroughput"));
  CHECK(!meta.contains("LocalSecondaryIndexes"));
  CHECK(meta["AttributeDefinitions"].size() == 3);  // l is no longer a key

  in = {{"GlobalSecondaryIndexOverride", json::array()}, {"LocalSecondaryIndexOverride", json::array()},
        {"ProvisionedThroughputOverride", {{"ReadCapacityUnits", 9}, {"WriteCapacityUnits", 8}}}};
  meta = validate_create_table(restore_create_request(source_meta(), in));
  CHECK(!meta.contains("GlobalSecondaryIndexes"));
  CHECK(meta["ProvisionedThroughput"]["WriteCapacityUnits"] == 8);
  CHECK(meta["AttributeDefinitions"].size() == 2);
}

TEST_CASE("ddb backups: provisioned override of an on-demand table needs throughput", "[ddb]") {
  json m = source_meta();
  m["BillingMode"] = "PAY_PER_REQUEST";
  m.erase("ProvisionedThroughput");
  m["GlobalSecondaryIndexes"][0].erase("ProvisionedThroughput");
  CHECK_THROWS(validate_create_table(restore_create_request(m, {{"BillingModeOverride", "PROVISIONED"}})));
  json in = {{"BillingModeOverride", "PROVISIONED"},
             {"ProvisionedThroughputOverride", {{"ReadCapacityUnits", 2}, {"WriteCapacityUnits", 2}}}};
  json meta = validate_create_table(restore_create_request(m, in));
  CHECK(meta["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["ReadCapacityUnits"] == 2);
}
