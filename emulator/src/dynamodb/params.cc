#include "dynamodb/params.h"

namespace localaws::ddb {

const std::string* opt_string(const json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) return nullptr;
  if (!it->is_string()) throw DdbError::serialization("NUMBER_VALUE cannot be converted to String");
  return &it->get_ref<const std::string&>();
}

json* opt_object(json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) return nullptr;
  if (!it->is_object()) throw DdbError::serialization("Unexpected value type in payload");
  return &*it;
}

const json* opt_array(const json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) return nullptr;
  if (!it->is_array()) throw DdbError::serialization("Unexpected value type in payload");
  return &*it;
}

std::optional<bool> opt_bool(const json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw DdbError::serialization("Unexpected value type in payload");
  return it->get<bool>();
}

std::optional<int64_t> opt_int(const json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() && !it->is_number_unsigned())
    throw DdbError::serialization("Unexpected value type in payload");
  return it->get<int64_t>();
}

void check_table_name(const std::string& name, const char* field, size_t min_len) {
  if (name.size() < min_len)
    throw DdbError::constraint(name, field,
                               "Member must have length greater than or equal to " + std::to_string(min_len));
  if (name.size() > 255)
    throw DdbError::constraint(name, field, "Member must have length less than or equal to 255");
  for (unsigned char c : name) {
    if (!(isalnum(c) || c == '_' || c == '.' || c == '-'))
      throw DdbError::constraint(name, field, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  }
}

std::string table_name(const json& in, const char* key, const char* field, size_t min_len) {
  const std::string* s = opt_string(in, key);
  if (!s) throw DdbError::validation(std::string("1 validation error detected: Value null at '") + field +
                                     "' failed to satisfy constraint: Member must not be null");
  check_table_name(*s, field, min_len);
  return *s;
}

std::string enum_param(const json& in, const char* key, const char* field,
                       std::initializer_list<const char*> allowed, const char* dflt) {
  const std::string* s = opt_string(in, key);
  if (!s) return dflt;
  std::string set;
  for (const char* a : allowed) {
    if (*s == a) return *s;
    set += std::string(set.empty() ? "" : ", ") + a;
  }
  throw DdbError::constraint(*s, field, "Member must satisfy enum value set: [" + set + "]");
}

}  // namespace localaws::ddb
