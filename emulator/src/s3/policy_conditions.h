// Bucket-policy Condition blocks: the shared engine (auth/policy_conditions.h) with the condition
// keys S3 bucket policies accept. Unit tested, as a table of statement / context / expected
// decision, in tests/unit/s3_policy_conditions_test.cc.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "auth/policy_conditions.h"

namespace localaws::s3 {

using auth::conditions_hold;
using auth::PolicyContext;
using auth::substitute_variables;

// Whether key names a condition key S3 bucket policies accept (global aws: keys and s3: keys).
bool known_condition_key(std::string_view key);

// nullopt when the Condition element is valid, else MalformedPolicy's message (unknown operator,
// unknown key, a value that is not a string, number, boolean or list of them).
std::optional<std::string> condition_error(const nlohmann::json& condition);

}  // namespace localaws::s3
