#include "dynamodb/indexes.h"

#include "dynamodb/composite_key.h"
#include "dynamodb/value.h"

namespace localaws::ddb {
namespace {

std::string attribute_type(const Table& t, const std::string& name) {
  for (auto& d : t.meta["AttributeDefinitions"])
    if (d["AttributeName"] == name) return d["AttributeType"];
  return "";
}

IndexDef def_from(const Table& t, const json& idx, bool global) {
  IndexDef d;
  d.name = idx["IndexName"];
  d.global = global;
  for (auto& k : idx["KeySchema"]) {
    std::string name = k["AttributeName"];
    KeyAttr a{name, attribute_type(t, name)};
    auto& side = k["KeyType"] == "HASH" ? d.hash_attrs : d.range_attrs;
    side.push_back(a);
  }
  d.hash_key = d.hash_attrs.at(0).name, d.hash_type = d.hash_attrs[0].type;
  if (!d.range_attrs.empty()) d.range_key = d.range_attrs[0].name, d.range_type = d.range_attrs[0].type;
  d.projection = idx["Projection"]["ProjectionType"];
  if (idx["Projection"].contains("NonKeyAttributes"))
    for (auto& a : idx["Projection"]["NonKeyAttributes"]) d.include.push_back(a);
  return d;
}

// The bytes of an index key attribute, or nullopt when the item lacks it (a sparse index).
// max: 2048 bytes for a partition attribute, 1024 for a sort attribute, as for table keys.
std::optional<std::string> index_key(const IndexDef& d, const json& item, const std::string& name, const std::string& type,
                                     size_t max) {
  auto it = item.find(name);
  if (it == item.end()) return std::nullopt;
  const std::string& actual = value_type(*it);
  if (actual != type)
    throw DdbError::validation("One or more parameter values were invalid: Type mismatch for Index Key " + name +
                               " Expected: " + type + " Actual: " + actual + " IndexName: " + d.name);
  if (it->begin().value().get_ref<const std::string&>().empty())
    throw DdbError::validation("One or more parameter values are not valid. A value specified for a secondary index key is "
                               "not supported. The AttributeValue for a key attribute cannot contain an empty string "
                               "value. IndexName: " + d.name + ", IndexKey: " + name);
  // The wording of DynamoDB's answer as quoted in wellcomecollection/platform issue #2285.
  if (size_t size = value_size(*it); size > max)
    throw DdbError::validation("One or more parameter values were invalid: Size limit exceeded for Index Key " + name +
                               " Actual Size: " + std::to_string(size) + " bytes Max Size: " + std::to_string(max) +
                               " bytes IndexName: " + d.name);
  return key_bytes(*it);
}

// The key bytes of one side of the index, or nullopt when the item lacks any of its attributes.
// Every present attribute is type-checked, so a wrong type is an error even on a sparse item.
std::optional<std::string> side_key(const IndexDef& d, const json& item, const std::vector<KeyAttr>& attrs, size_t max) {
  bool missing = false;
  std::vector<std::string> parts;
  for (auto& a : attrs) {
    auto b = index_key(d, item, a.name, a.type, max);
    if (!b) missing = true;
    else parts.push_back(std::move(*b));
  }
  if (missing) return std::nullopt;
  if (parts.size() == 1) return parts[0];
  return composite_key(parts);
}

}  // namespace

std::string IndexDef::side_bytes(const std::vector<KeyAttr>& attrs, const json& values) {
  if (attrs.size() == 1) return key_bytes(values.at(attrs[0].name));
  std::vector<std::string> parts;
  for (auto& a : attrs) parts.push_back(key_bytes(values.at(a.name)));
  return composite_key(parts);
}

Table IndexDef::as_table(const Table& base) const {
  Table t = base;
  t.hash_key = hash_key;
  t.hash_type = hash_type;
  t.range_key = range_key;
  t.range_type = range_type;
  return t;
}

std::vector<IndexDef> index_defs(const Table& t) {
  std::vector<IndexDef> out;
  for (auto [kind, global] : {std::pair{"GlobalSecondaryIndexes", true}, {"LocalSecondaryIndexes", false}})
    if (t.meta.contains(kind))
      for (auto& idx : t.meta[kind]) out.push_back(def_from(t, idx, global));
  return out;
}

std::optional<IndexDef> find_index(const Table& t, const std::string& name) {
  for (auto& d : index_defs(t))
    if (d.name == name) return d;
  return std::nullopt;
}

std::vector<IndexRow> index_rows(const Table& t, const json& item) {
  std::vector<IndexRow> rows;
  for (const IndexDef& d : index_defs(t)) {
    auto ihk = side_key(d, item, d.hash_attrs, kMaxHashKeyBytes);
    std::optional<std::string> irk = std::string();
    if (!d.range_attrs.empty()) irk = side_key(d, item, d.range_attrs, kMaxRangeKeyBytes);
    if (!ihk || !irk) continue;
    json projected;
    if (d.projection == "ALL") {
      projected = item;
    } else {
      projected = json::object();
      for (const std::string* k : {&t.hash_key, &t.range_key})
        if (!k->empty() && item.contains(*k)) projected[*k] = item[*k];
      for (auto* side : {&d.hash_attrs, &d.range_attrs})
        for (auto& a : *side) projected[a.name] = item.at(a.name);
      for (auto& a : d.include)
        if (item.contains(a)) projected[a] = item[a];
    }
    rows.push_back({d.name, *ihk, *irk, std::move(projected)});
  }
  return rows;
}

}  // namespace localaws::ddb
