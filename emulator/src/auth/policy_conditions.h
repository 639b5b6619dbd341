// Policy Condition blocks as pure code, shared by S3 bucket policies and DynamoDB resource-based
// policies: the request context they read (condition keys and their values), validation of a
// Condition element (operators, and keys by a service's filter), evaluation of it against a
// context, and policy variables (${aws:username} ...). Unit tested, as a table of statement /
// context / expected decision, in tests/unit/s3_policy_conditions_test.cc.
//
// Operators: String{Equals,NotEquals,EqualsIgnoreCase,NotEqualsIgnoreCase,Like,NotLike},
// Numeric{Equals,NotEquals,LessThan,LessThanEquals,GreaterThan,GreaterThanEquals}, the same six
// for Date, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn{Equals,Like,NotEquals,NotLike},
// Null; every one but Null with an ...IfExists form; ForAllValues: / ForAnyValue: before any.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace localaws::auth {

// The condition keys of one request. Key names are case-insensitive as in IAM: they are stored
// with the part before any '/' lower-cased ("s3:existingobjecttag/Project"). A key not set is
// absent from the request (what Null and ...IfExists test).
class PolicyContext {
 public:
  void set(std::string_view key, std::string value);      // one value (replaces)
  void add(std::string_view key, std::string value);      // multi-valued keys (s3:RequestObjectTagKeys)
  void set_list(std::string_view key, std::vector<std::string> values);  // present, possibly empty
  const std::vector<std::string>* get(std::string_view key) const;
  void merge(const PolicyContext& other);  // other's keys replace these
  static std::string normalize(std::string_view key);

 private:
  std::map<std::string, std::vector<std::string>> keys_;
};

// Whether a condition key is one a service's policies accept.
using KeyFilter = bool (*)(std::string_view key);

// nullopt when the Condition element is valid, else the problem, in S3 MalformedPolicy's words
// (unknown operator, a key known_key refuses, a value that is not a string, number, boolean or
// list of them).
std::optional<std::string> condition_error(const nlohmann::json& condition, KeyFilter known_key);

// Whether every operator block of the Condition element holds for ctx (keys AND, values OR).
// with_variables: policy Version 2012-10-17 (${...} in String and Arn values are substituted).
bool conditions_hold(const nlohmann::json& condition, const PolicyContext& ctx, bool with_variables);

// s with its policy variables substituted: ${key} (its single value), ${key, 'default'}, and the
// escapes ${*}, ${?}, ${$}. nullopt when a variable's key is absent (or multi-valued) and it has
// no default: the element holding it does not match.
std::optional<std::string> substitute_variables(std::string_view s, const PolicyContext& ctx);

// Whether key is a global condition key (aws:..., aws:PrincipalTag/<tag> ...), case-insensitive.
bool global_condition_key(std::string_view key);
// Whether key (case-insensitive) is one of names (lower case) or starts with one of prefixes
// (lower case, ending in '/') followed by something.
bool key_in(std::string_view key, const char* const* names, size_t n_names, const char* const* prefixes,
            size_t n_prefixes);

}  // namespace localaws::auth
