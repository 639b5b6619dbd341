// What the request journal (server/journal.h) keeps of a DynamoDB call beyond its body.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace localaws::ddb {

// The tables a request names, comma-separated, each once, in order of appearance: TableName, the
// keys of RequestItems (batch reads and writes), the TableName of each TransactItems action, or
// the table of a TableArn, ResourceArn or StreamArn. "" when it names none (ListTables,
// PartiQL). Table names cannot contain commas; ARNs are reduced to the table's name.
std::string tables_named(const nlohmann::json& in);

}  // namespace localaws::ddb
