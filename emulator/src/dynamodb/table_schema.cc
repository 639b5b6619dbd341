#include "dynamodb/table_schema.h"

#include <strings.h>

#include <cctype>
#include <map>
#include <set>
#include <string_view>

#include "dynamodb/params.h"

namespace localaws::ddb {
namespace {

constexpr size_t kMaxKeyAttributes = 4;  // of each key type in a GSI's KeySchema

[[noreturn]] void invalid(const std::string& what) {
  throw DdbError::validation("One or more parameter values were invalid: " + what);
}

void require(const json& in, const char* key, const char* field) {
  auto it = in.find(key);
  if (it == in.end() || it->is_null())
    throw DdbError::validation(std::string("1 validation error detected: Value null at '") + field +
                               "' failed to satisfy constraint: Member must not be null");
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// A KeySchema list: 1-2 elements, HASH first, RANGE second, distinct names. Returns the names.
// multi: a global secondary index's, with up to four HASH elements followed by up to four RANGE
// elements (multi-attribute keys).
std::vector<std::string> check_key_schema(const json& ks, const std::string& field, bool multi = false) {
  if (!ks.is_array()) throw DdbError::serialization("Unexpected value type in payload");
  if (ks.empty()) throw DdbError::constraint("[]", field, "Member must have length greater than or equal to 1");
  size_t max = multi ? 2 * kMaxKeyAttributes : 2;
  if (ks.size() > max)
    throw DdbError::constraint(ks.dump(), field,
                               "Member must have length less than or equal to " + std::to_string(max));
  std::vector<std::string> names;
  size_t hashes = 0, ranges = 0;
  for (size_t i = 0; i < ks.size(); ++i) {
    const json& e = ks[i];
    if (!e.is_object()) throw DdbError::serialization("Unexpected value type in payload");
    std::string pos = field + "." + std::to_string(i + 1) + ".member.";
    const std::string* name = opt_string(e, "AttributeName");
    if (!name) require(e, "AttributeName", (pos + "attributeName").c_str());
    if (name->empty())
      throw DdbError::constraint(*name, pos + "attributeName", "Member must have length greater than or equal to 1");
    if (name->size() > 255)
      throw DdbError::constraint(*name, pos + "attributeName", "Member must have length less than or equal to 255");
    std::string type = enum_param(e, "KeyType", (pos + "keyType").c_str(), {"HASH", "RANGE"}, "");
    if (type.empty()) require(e, "KeyType", (pos + "keyType").c_str());
    if (i == 0 && type != "HASH") throw DdbError::validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    if (!multi && i == 1 && type != "RANGE")
      throw DdbError::validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    if (type == "HASH" && ranges > 0)
      throw DdbError::validation("Invalid KeySchema: All HASH key elements must come before the RANGE key elements");
    ++(type == "HASH" ? hashes : ranges);
    for (auto& n : names)
      if (n == *name) {
        if (ks.size() == 2) invalid("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        invalid("Duplicate attribute name in KeySchema: " + *name);
      }
    names.push_back(*name);
  }
  if (hashes > kMaxKeyAttributes)
    throw DdbError::validation("Invalid KeySchema: The number of HASH key elements exceeds the limit of " +
                               std::to_string(kMaxKeyAttributes));
  if (ranges > kMaxKeyAttributes)
    throw DdbError::validation("Invalid KeySchema: The number of RANGE key elements exceeds the limit of " +
                               std::to_string(kMaxKeyAttributes));
  return names;
}

json check_projection(const json& idx, const std::string& field, const std::string& name) {
  require(idx, "Projection", (field + ".projection").c_str());
  const json& p = idx["Projection"];
  if (!p.is_object()) throw DdbError::serialization("Unexpected value type in payload");
  std::string type = enum_param(p, "ProjectionType", (field + ".projection.projectionType").c_str(),
                                {"ALL", "KEYS_ONLY", "INCLUDE"}, "");
  const json* nka = opt_array(p, "NonKeyAttributes");
  if (type.empty()) invalid("Unknown ProjectionType: null");
  if (type == "INCLUDE" && (!nka || nka->empty()))
    invalid("NonKeyAttributes must not be empty for INCLUDE projection type for index: " + name);
  if (type != "INCLUDE" && nka)
    invalid("ProjectionType is " + type + ", but NonKeyAttributes is specified");
  json out = {{"ProjectionType", type}};
  if (nka) {
    for (auto& a : *nka)
      if (!a.is_string()) throw DdbError::serialization("Unexpected value type in payload");
    out["NonKeyAttributes"] = *nka;
  }
  return out;
}

}  // namespace

json validate_throughput(const json& pt, const std::string& field) {
  if (!pt.is_object()) throw DdbError::serialization("Unexpected value type in payload");
  json out = json::object();
  for (auto [key, f] : {std::pair{"ReadCapacityUnits", "readCapacityUnits"}, {"WriteCapacityUnits", "writeCapacityUnits"}}) {
    auto v = opt_int(pt, key);
    if (!v) require(pt, key, (field + "." + f).c_str());
    if (*v < 1) throw DdbError::constraint(std::to_string(*v), field + "." + f, "Member must have value greater than or equal to 1");
    out[key] = *v;
  }
  return out;
}

namespace {
size_t utf8_chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Tag keys and values: Unicode letters, digits, white space and _ . : / = + - @. Bytes >= 0x80
// (non-ASCII letters) are let through unchecked.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html
bool tag_chars_ok(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x80 && !std::isalnum(c) && !std::isspace(c) && std::string_view("_.:/=+-@").find(c) == std::string_view::npos)
      return false;
  return true;
}
constexpr const char* kTagPattern = "Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$";
}  // namespace

void validate_tags(const json& tags) {
  if (!tags.is_array()) throw DdbError::serialization("Unexpected value type in payload");
  if (tags.size() > 50) throw DdbError::limit_exceeded("The number of tags exceeds the limit");
  for (size_t i = 0; i < tags.size(); ++i) {
    std::string pos = "tags." + std::to_string(i + 1) + ".member.";
    const std::string* k = opt_string(tags[i], "Key");
    const std::string* v = opt_string(tags[i], "Value");
    if (!k) require(tags[i], "Key", (pos + "key").c_str());
    if (!v) require(tags[i], "Value", (pos + "value").c_str());
    if (k->empty() || utf8_chars(*k) > 128)
      throw DdbError::constraint(*k, pos + "key", "Member must have length between 1 and 128");
    if (utf8_chars(*v) > 256)
      throw DdbError::constraint(*v, pos + "value", "Member must have length less than or equal to 256");
    if (!tag_chars_ok(*k)) throw DdbError::constraint(*k, pos + "key", kTagPattern);
    if (!tag_chars_ok(*v)) throw DdbError::constraint(*v, pos + "value", kTagPattern);
    // The aws: prefix is reserved (any case). Not confirmed against DynamoDB's exact text.
    if (k->size() >= 4 && strncasecmp(k->c_str(), "aws:", 4) == 0)
      throw DdbError::validation("One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for system use");
  }
}

json validate_create_table(const json& in) {
  require(in, "AttributeDefinitions", "attributeDefinitions");
  require(in, "KeySchema", "keySchema");
  const json* defs = opt_array(in, "AttributeDefinitions");
  std::map<std::string, std::string> types;
  std::vector<std::string> def_names;
  for (size_t i = 0; i < defs->size(); ++i) {
    const json& d = (*defs)[i];
    if (!d.is_object()) throw DdbError::serialization("Unexpected value type in payload");
    std::string pos = "attributeDefinitions." + std::to_string(i + 1) + ".member.";
    const std::string* name = opt_string(d, "AttributeName");
    if (!name) require(d, "AttributeName", (pos + "attributeName").c_str());
    std::string type = enum_param(d, "AttributeType", (pos + "attributeType").c_str(), {"B", "N", "S"}, "");
    if (type.empty()) require(d, "AttributeType", (pos + "attributeType").c_str());
    if (!types.emplace(*name, type).second) invalid("Duplicate AttributeName in AttributeDefinitions: " + *name);
    def_names.push_back(*name);
  }
  json meta = json::object();
  std::set<std::string> used;
  auto check_defined = [&](const std::vector<std::string>& keys) {
    std::vector<std::string> missing;
    for (auto& k : keys) {
      if (!types.count(k)) missing.push_back(k);
      used.insert(k);
    }
    if (!missing.empty())
      invalid("Some index key attributes are not defined in AttributeDefinitions. Keys: [" + join(missing) +
              "], AttributeDefinitions: [" + join(def_names) + "]");
  };
  std::vector<std::string> table_keys = check_key_schema(in["KeySchema"], "keySchema");
  check_defined(table_keys);

  std::string billing = enum_param(in, "BillingMode", "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"}, "PROVISIONED");
  auto pt = in.find("ProvisionedThroughput");
  bool has_pt = pt != in.end() && !pt->is_null();
  if (billing == "PROVISIONED") {
    if (!has_pt) invalid("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
    meta["ProvisionedThroughput"] = validate_throughput(*pt, "provisionedThroughput");
  } else if (has_pt) {
    invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  }

  std::set<std::string> index_names;
  auto check_index_name = [&](const json& idx, const std::string& field) {
    const std::string* n = opt_string(idx, "IndexName");
    if (!n) require(idx, "IndexName", (field + ".indexName").c_str());
    check_table_name(*n, (field + ".indexName").c_str(), 3);
    if (!index_names.insert(*n).second) invalid("Duplicate index name: " + *n);
    return *n;
  };
  if (const json* lsis = opt_array(in, "LocalSecondaryIndexes")) {
    if (lsis->empty()) invalid("List of LocalSecondaryIndexes is empty");
    if (lsis->size() > 5) invalid("Number of LocalSecondaryIndexes exceeds per-table limit of 5");
    if (table_keys.size() < 2)
      invalid("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
    json out = json::array();
    for (size_t i = 0; i < lsis->size(); ++i) {
      const json& idx = (*lsis)[i];
      std::string field = "localSecondaryIndexes." + std::to_string(i + 1) + ".member";
      std::string name = check_index_name(idx, field);
      require(idx, "KeySchema", (field + ".keySchema").c_str());
      auto keys = check_key_schema(idx["KeySchema"], field + ".keySchema");
      if (keys.size() < 2) invalid("Index KeySchema does not have a range key for index: " + name);
      if (keys[0] != table_keys[0])
        invalid("Index KeySchema does not have the same leading hash key as table KeySchema for index: " + name +
                ". index hash key: " + keys[0] + ", table hash key: " + table_keys[0]);
      check_defined(keys);
      out.push_back({{"IndexName", name}, {"KeySchema", idx["KeySchema"]}, {"Projection", check_projection(idx, field, name)}});
    }
    meta["LocalSecondaryIndexes"] = out;
  }
  if (const json* gsis = opt_array(in, "GlobalSecondaryIndexes")) {
    if (gsis->empty()) invalid("List of GlobalSecondaryIndexes is empty");
    if (gsis->size() > 20) invalid("GlobalSecondaryIndex count exceeds the per-table limit of 20");
    json out = json::array();
    for (size_t i = 0; i < gsis->size(); ++i) {
      const json& idx = (*gsis)[i];
      std::string field = "globalSecondaryIndexes." + std::to_string(i + 1) + ".member";
      std::string name = check_index_name(idx, field);
      require(idx, "KeySchema", (field + ".keySchema").c_str());
      check_defined(check_key_schema(idx["KeySchema"], field + ".keySchema", true));
      json g = {{"IndexName", name}, {"KeySchema", idx["KeySchema"]}, {"Projection", check_projection(idx, field, name)}};
      auto gpt = idx.find("ProvisionedThroughput");
      bool has_gpt = gpt != idx.end() && !gpt->is_null();
      if (billing == "PROVISIONED") {
        if (!has_gpt) invalid("ProvisionedThroughput must be specified for index: " + name);
        g["ProvisionedThroughput"] = validate_throughput(*gpt, field + ".provisionedThroughput");
      } else if (has_gpt) {
        invalid("ProvisionedThroughput should not be specified for index: " + name +
                " when BillingMode is PAY_PER_REQUEST");
      }
      out.push_back(g);
    }
    meta["GlobalSecondaryIndexes"] = out;
  }
  if (used.size() != types.size()) {
    if (!meta.contains("GlobalSecondaryIndexes") && !meta.contains("LocalSecondaryIndexes"))
      invalid("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
    invalid("Some AttributeDefinitions are not used. AttributeDefinitions: [" + join(def_names) +
            "], keys used: [" + join(std::vector<std::string>(used.begin(), used.end())) + "]");
  }

  meta["KeySchema"] = in["KeySchema"];
  meta["AttributeDefinitions"] = *defs;
  meta["BillingMode"] = billing;
  meta["TableClass"] = enum_param(in, "TableClass", "tableClass", {"STANDARD", "STANDARD_INFREQUENT_ACCESS"}, "STANDARD");
  meta["DeletionProtectionEnabled"] = opt_bool(in, "DeletionProtectionEnabled").value_or(false);
  json tags = json::array();
  if (const json* t = opt_array(in, "Tags")) {
    validate_tags(*t);
    tags = *t;
  }
  meta["Tags"] = tags;
  return meta;
}

}  // namespace localaws::ddb
