// Reading request members with AWS's errors: a member of the wrong JSON type is a
// SerializationException, a missing or out-of-range one a ValidationException.
#pragma once
#include <optional>
#include <string>

#include "dynamodb/error.h"

namespace localaws::ddb {

// nullptr when absent or null; throws SerializationException when not a string.
const std::string* opt_string(const json& in, const char* key);
// The member, or nullptr when absent or null; throws when it is not a JSON object.
json* opt_object(json& in, const char* key);
const json* opt_array(const json& in, const char* key);
std::optional<bool> opt_bool(const json& in, const char* key);
std::optional<int64_t> opt_int(const json& in, const char* key);

// TableName: present, 1-255 characters (3+ with min_len), pattern [a-zA-Z0-9_.-]+.
// field: the name in AWS's messages ("tableName").
std::string table_name(const json& in, const char* key = "TableName", const char* field = "tableName",
                       size_t min_len = 1);
// A table name or a table ARN (resource operations accept both).
void check_table_name(const std::string& name, const char* field, size_t min_len);

// One of `allowed` or the default when absent; AWS's enum message otherwise.
std::string enum_param(const json& in, const char* key, const char* field,
                       std::initializer_list<const char*> allowed, const char* dflt);

}  // namespace localaws::ddb
