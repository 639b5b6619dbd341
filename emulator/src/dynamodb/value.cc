#include "dynamodb/value.h"

#include <unordered_set>

#include "common/crypto.h"
#include "dynamodb/number.h"

namespace localaws::ddb {
namespace {

const std::string kTypes[] = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"};

bool known_type(const std::string& t) {
  for (auto& k : kTypes)
    if (k == t) return true;
  return false;
}

std::string normalised_number(const json& v) {
  if (!v.is_string()) throw DdbError::serialization("NUMBER_VALUE cannot be converted to String");
  std::string err;
  auto n = Number::parse(v.get_ref<const std::string&>(), &err);
  if (!n) throw DdbError::validation(err);
  return n->to_string();
}

std::string canonical_base64(const json& v) {
  if (!v.is_string()) throw DdbError::serialization("Unexpected value type in payload");
  std::string raw;
  if (!base64_decode(v.get_ref<const std::string&>(), raw)) throw DdbError::serialization("Base64 encoded value was not valid");
  return base64_encode(raw);
}

const std::string& need_string(const json& v) {
  if (!v.is_string()) throw DdbError::serialization("Unexpected value type in payload");
  return v.get_ref<const std::string&>();
}

// Sets: non-empty, elements normalised, no duplicates (after normalisation: "1" == "1.0").
void validate_set(const std::string& type, json& arr) {
  if (!arr.is_array()) throw DdbError::serialization("Unexpected value type in payload");
  if (arr.empty()) {
    if (type == "SS") throw DdbError::validation("One or more parameter values were invalid: An string set  may not be empty");
    if (type == "NS") throw DdbError::validation("One or more parameter values were invalid: An number set  may not be empty");
    throw DdbError::validation("One or more parameter values were invalid: Binary sets should not be empty");
  }
  std::unordered_set<std::string> seen;
  std::string listed;
  bool dup = false;
  for (auto& e : arr) {
    std::string original = e.is_string() ? e.get<std::string>() : "";
    if (type == "SS") need_string(e);
    else if (type == "NS") e = normalised_number(e);
    else e = canonical_base64(e);
    if (!seen.insert(e.get<std::string>()).second) dup = true;
    listed += (listed.empty() ? "" : ", ") + original;
  }
  if (dup)
    throw DdbError::validation("One or more parameter values were invalid: Input collection [" + listed +
                               "] contains duplicates.");
}

// Decoded length of canonical base64 text.
size_t b64_size(const std::string& text) {
  size_t n = text.size() / 4 * 3;
  if (!text.empty() && text.back() == '=') --n;
  if (text.size() > 1 && text[text.size() - 2] == '=') --n;
  return n;
}

size_t number_size(const std::string& text) {
  auto n = Number::parse(text);
  size_t digits = n ? n->significant_digits() : text.size();
  return (digits + 1) / 2 + 1;
}

}  // namespace

const std::string& value_type(const json& v) {
  static const std::string kNone;
  if (!v.is_object() || v.size() != 1) return kNone;
  for (auto& k : kTypes)
    if (v.contains(k)) return k;
  return kNone;
}

void validate_value(json& v, int depth) {
  if (!v.is_object()) throw DdbError::serialization("Unexpected value type in payload");
  if (depth > kMaxDepth) throw DdbError::validation("Nesting Levels have exceeded supported limits");
  if (v.empty()) {
    throw DdbError::validation(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  if (v.size() > 1) {
    throw DdbError::validation(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
        "datatypes");
  }
  auto it = v.begin();
  const std::string type = it.key();
  json& x = it.value();
  if (!known_type(type))
    throw DdbError::validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  if (type == "S") {
    need_string(x);
  } else if (type == "N") {
    x = normalised_number(x);
  } else if (type == "B") {
    x = canonical_base64(x);
  } else if (type == "SS" || type == "NS" || type == "BS") {
    validate_set(type, x);
  } else if (type == "BOOL") {
    if (!x.is_boolean()) throw DdbError::serialization("Unexpected value type in payload");
  } else if (type == "NULL") {
    if (!x.is_boolean()) throw DdbError::serialization("Unexpected value type in payload");
    if (!x.get<bool>())
      throw DdbError::validation(
          "One or more parameter values were invalid: Null attribute value types must have the value of true");
  } else if (type == "L") {
    if (!x.is_array()) throw DdbError::serialization("Unexpected value type in payload");
    for (auto& e : x) validate_value(e, depth + 1);
  } else {  // M
    if (!x.is_object()) throw DdbError::serialization("Unexpected value type in payload");
    for (auto& [k, e] : x.items()) {
      if (k.size() > kMaxAttributeName) check_attribute_name(k);  // map keys may be empty
      validate_value(e, depth + 1);
    }
  }
}

void check_attribute_name(const std::string& name) {
  // Measured on DynamoDB: 65535 bytes pass, 65536 fail with this text (ExtendDB issue #365).
  if (name.size() > kMaxAttributeName)
    throw DdbError::validation("1 validation error detected: Attribute name is too large, must be less than 65536 bytes");
  // Not confirmed against DynamoDB: the closest documented form (docs/dynamodb.md).
  if (name.empty()) throw DdbError::validation("One or more parameter values were invalid: Empty attribute name");
}

void validate_attribute_map(json& m) {
  if (!m.is_object()) throw DdbError::serialization("Unexpected value type in payload");
  for (auto& [k, e] : m.items()) {
    check_attribute_name(k);
    validate_value(e, 0);
  }
}

bool values_equal(const json& a, const json& b) {
  const std::string& ta = value_type(a);
  if (ta != value_type(b)) return false;
  const json& x = a.begin().value();
  const json& y = b.begin().value();
  if (ta == "SS" || ta == "NS" || ta == "BS") {
    if (x.size() != y.size()) return false;
    std::unordered_set<std::string> s;
    for (auto& e : x) s.insert(e.get<std::string>());
    for (auto& e : y)
      if (!s.count(e.get<std::string>())) return false;
    return true;
  }
  if (ta == "L") {
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!values_equal(x[i], y[i])) return false;
    return true;
  }
  if (ta == "M") {
    if (x.size() != y.size()) return false;
    for (auto& [k, e] : x.items()) {
      auto f = y.find(k);
      if (f == y.end() || !values_equal(e, *f)) return false;
    }
    return true;
  }
  return x == y;  // S, N (normalised), B (canonical base64), BOOL, NULL
}

std::optional<int> compare_values(const json& a, const json& b) {
  const std::string& t = value_type(a);
  if (t != value_type(b) || (t != "S" && t != "N" && t != "B")) return std::nullopt;
  const std::string& x = a.begin().value().get_ref<const std::string&>();
  const std::string& y = b.begin().value().get_ref<const std::string&>();
  if (t == "N") return Number::parse(x)->compare(*Number::parse(y));
  int c = t == "S" ? x.compare(y) : key_bytes(a).compare(key_bytes(b));
  return (c > 0) - (c < 0);
}

size_t value_size(const json& v) {
  const std::string& t = value_type(v);
  const json& x = v.begin().value();
  if (t == "S") return x.get_ref<const std::string&>().size();
  if (t == "N") return number_size(x.get_ref<const std::string&>());
  if (t == "B") return b64_size(x.get_ref<const std::string&>());
  if (t == "BOOL" || t == "NULL") return 1;
  size_t n = 0;
  if (t == "SS") for (auto& e : x) n += e.get_ref<const std::string&>().size();
  if (t == "NS") for (auto& e : x) n += number_size(e.get_ref<const std::string&>());
  if (t == "BS") for (auto& e : x) n += b64_size(e.get_ref<const std::string&>());
  if (t == "L") {
    n = 3;
    for (auto& e : x) n += 1 + value_size(e);
  }
  if (t == "M") {
    n = 3;
    for (auto& [k, e] : x.items()) n += 1 + k.size() + value_size(e);
  }
  return n;
}

size_t item_size(const json& item) {
  size_t n = 0;
  for (auto& [k, v] : item.items()) n += k.size() + value_size(v);
  return n;
}

void check_item_size(const json& item, bool after_update) {
  if (item_size(item) > kMaxItemSize)
    throw DdbError::validation(after_update ? "Item size to update has exceeded the maximum allowed size"
                                            : "Item size has exceeded the maximum allowed size");
}

std::string key_bytes(const json& v) {
  const std::string& t = value_type(v);
  const std::string& x = v.begin().value().get_ref<const std::string&>();
  if (t == "N") return Number::parse(x)->key_bytes();
  if (t == "B") {
    std::string raw;
    base64_decode(x, raw);
    return raw;
  }
  return x;
}

}  // namespace localaws::ddb
