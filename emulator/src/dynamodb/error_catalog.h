// The errors DynamoDB's operations can return, by type, with their HTTP status and usual message
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html and the
// Errors section of each operation): fault rules (server/faults.h) may inject any of them.
#pragma once
#include <optional>
#include <string>

#include "dynamodb/error.h"

namespace localaws::ddb {

// The error as DynamoDB sends it, nullopt for a type it does not return.
std::optional<DdbError> documented_error(const std::string& type);

}  // namespace localaws::ddb
