// Validation of CreateTable's key schema, attribute definitions, billing and index definitions,
// returning the stored metadata. Pure: no storage.
#pragma once
#include "dynamodb/error.h"
#include "storage/sqlite.h"

namespace localaws::ddb {

// Validates a CreateTable request and returns the table's stored metadata (KeySchema,
// AttributeDefinitions, BillingMode, ProvisionedThroughput, index definitions, TableClass,
// DeletionProtectionEnabled, Tags). Throws DdbError with AWS's messages.
json validate_create_table(const json& in);
// {"ReadCapacityUnits": n, "WriteCapacityUnits": n} validated; field is "provisionedThroughput"
// or "globalSecondaryIndexes.1.member.provisionedThroughput".
json validate_throughput(const json& pt, const std::string& field);
// UpdateTable's GlobalSecondaryIndexUpdates applied to t.meta and the index rows (gsi_updates.cc),
// inside the caller's write transaction. new_defs: the request's AttributeDefinitions, if any.
struct Table;
void apply_gsi_updates(storage::Connection& c, Table& t, const json& updates, const json* new_defs);
// Tags: a list of {Key, Value} within AWS's limits.
void validate_tags(const json& tags);

}  // namespace localaws::ddb
