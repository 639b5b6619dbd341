// AttributeValues as they travel on the wire ({"S": "x"}, {"N": "1.5"}, {"M": {...}}), kept as
// nlohmann::json. validate_* checks and normalises them once at the boundary (numbers become
// their normalised text, binary its canonical base64), so that everything behind it can compare
// values textually.
#pragma once
#include <cstddef>
#include <optional>
#include <string>

#include "dynamodb/error.h"

namespace localaws::ddb {

constexpr size_t kMaxItemSize = 400 * 1024;
// Key attribute values, of the table and of its indexes.
constexpr size_t kMaxHashKeyBytes = 2048;
constexpr size_t kMaxRangeKeyBytes = 1024;
constexpr int kMaxDepth = 32;

// The type tag of a validated value: "S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL".
const std::string& value_type(const json& v);

// Validates and normalises one AttributeValue in place. Throws DdbError (ValidationException or
// SerializationException) with AWS's message. depth counts enclosing M/L levels.
void validate_value(json& v, int depth = 0);
// An item / key / ExpressionAttributeValues map: an object of name -> AttributeValue.
void validate_attribute_map(json& m);
// Attribute names (top level and map keys): 1 to 65535 bytes. Throws ValidationException.
constexpr size_t kMaxAttributeName = 65535;
void check_attribute_name(const std::string& name);

// Deep equality of two validated values (sets ignore order, numbers compare by value).
bool values_equal(const json& a, const json& b);

// Ordering of two scalar values of the same type (S by UTF-8 bytes, N numerically, B by bytes):
// <0, 0, >0; nullopt when they are not comparable (different types, or not S/N/B).
std::optional<int> compare_values(const json& a, const json& b);

// Size as DynamoDB bills and limits it: attribute name lengths plus value sizes.
size_t value_size(const json& v);
size_t item_size(const json& item);
// Throws "Item size has exceeded the maximum allowed size" beyond 400 KB.
// after_update: the item an UpdateItem would write (AWS words that case differently).
void check_item_size(const json& item, bool after_update = false);

// Order-preserving bytes of a key value (S: UTF-8, N: Number::key_bytes, B: raw bytes).
// REQUIRES: v is a validated S, N or B.
std::string key_bytes(const json& v);

}  // namespace localaws::ddb
