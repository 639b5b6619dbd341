// Key extraction, capacity arithmetic and request helpers shared by the item operations,
// transactions and batch operations.
#include "dynamodb/item_common.h"

#include <cmath>

#include "dynamodb/params.h"
#include "dynamodb/value.h"

namespace localaws::ddb {

namespace {
[[noreturn]] void schema_mismatch() { throw DdbError::validation("The provided key element does not match the schema"); }

// Checks one key attribute's value against the schema; returns its key bytes.
std::string key_part(const json& v, const std::string& name, const std::string& type, bool from_item) {
  const std::string& t = value_type(v);
  if (t != type) {
    if (!from_item) schema_mismatch();
    throw DdbError::validation("One or more parameter values were invalid: Type mismatch for key " + name +
                               " expected: " + type + " actual: " + t);
  }
  const std::string& x = v.begin().value().get_ref<const std::string&>();
  if (x.empty())
    throw DdbError::validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty " +
                               std::string(t == "S" ? "string" : "binary") + " value. Key: " + name);
  return key_bytes(v);
}

}  // namespace

// The key of a Key parameter: exactly the schema's attributes.
ItemKey key_from_key(const Table& t, const json& key) {
  size_t want = t.range_key.empty() ? 1 : 2;
  if (key.size() != want) schema_mismatch();
  auto h = key.find(t.hash_key);
  if (h == key.end()) schema_mismatch();
  ItemKey k{key_part(*h, t.hash_key, t.hash_type, false), ""};
  if (!t.range_key.empty()) {
    auto r = key.find(t.range_key);
    if (r == key.end()) schema_mismatch();
    k.rk = key_part(*r, t.range_key, t.range_type, false);
  }
  if (k.hk.size() > kMaxHashKeyBytes)
    throw DdbError::validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
  if (k.rk.size() > kMaxRangeKeyBytes)
    throw DdbError::validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
  return k;
}

// The key of a whole item (PutItem).
ItemKey key_from_item(const Table& t, const json& item) {
  json key = json::object();
  for (const std::string* name : {&t.hash_key, &t.range_key}) {
    if (name->empty()) continue;
    auto it = item.find(*name);
    if (it == item.end()) throw DdbError::validation("One or more parameter values were invalid: Missing the key " + *name + " in the item");
    key_part(*it, *name, *name == t.hash_key ? t.hash_type : t.range_type, true);
    key[*name] = *it;
  }
  return key_from_key(t, key);
}

json key_attributes(const Table& t, const json& item) {
  json k = json::object();
  k[t.hash_key] = item[t.hash_key];
  if (!t.range_key.empty()) k[t.range_key] = item[t.range_key];
  return k;
}

// Capacity units: writes 1 per KB, strongly consistent reads 1 per 4 KB, eventually consistent
// reads half of that; always at least one unit (or half).
double write_units(size_t bytes) { return std::max<double>(1, std::ceil(bytes / 1024.0)); }
double read_units(size_t bytes, bool consistent) {
  double u = std::max<double>(1, std::ceil(bytes / 4096.0));
  return consistent ? u : u / 2;
}

json& require_map(json& in, const char* key, const char* field) {
  json* m = opt_object(in, key);
  if (!m)
    throw DdbError::validation(std::string("1 validation error detected: Value null at '") + field +
                               "' failed to satisfy constraint: Member must not be null");
  validate_attribute_map(*m);
  return *m;
}

std::vector<expr::Path> updated_paths(const Table& t, const expr::UpdateExpr& u) {
  std::vector<expr::Path> touched;
  for (auto& a : u.actions) {
    const std::string& top = a.path.elems[0].name;
    if (top == t.hash_key || top == t.range_key)
      throw DdbError::validation("One or more parameter values were invalid: Cannot update attribute " + top +
                                 ". This attribute is part of the key");
    touched.push_back(a.path);
  }
  return touched;
}

}  // namespace localaws::ddb
