#include "dynamodb/indexes.h"

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
    if (k["KeyType"] == "HASH") d.hash_key = name, d.hash_type = attribute_type(t, name);
    else d.range_key = name, d.range_type = attribute_type(t, name);
  }
  d.projection = idx["Projection"]["ProjectionType"];
  if (idx["Projection"].contains("NonKeyAttributes"))
    for (auto& a : idx["Projection"]["NonKeyAttributes"]) d.include.push_back(a);
  return d;
}

// The bytes of an index key attribute, or nullopt when the item lacks it (a sparse index).
std::optional<std::string> index_key(const IndexDef& d, const json& item, const std::string& name, const std::string& type) {
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
  return key_bytes(*it);
}

}  // namespace

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
    auto ihk = index_key(d, item, d.hash_key, d.hash_type);
    std::optional<std::string> irk = std::string();
    if (!d.range_key.empty()) irk = index_key(d, item, d.range_key, d.range_type);
    if (!ihk || !irk) continue;
    json projected;
    if (d.projection == "ALL") {
      projected = item;
    } else {
      projected = json::object();
      for (const std::string* k : {&t.hash_key, &t.range_key, &d.hash_key, &d.range_key})
        if (!k->empty() && item.contains(*k)) projected[*k] = item[*k];
      for (auto& a : d.include)
        if (item.contains(a)) projected[a] = item[a];
    }
    rows.push_back({d.name, *ihk, *irk, std::move(projected)});
  }
  return rows;
}

}  // namespace localaws::ddb
