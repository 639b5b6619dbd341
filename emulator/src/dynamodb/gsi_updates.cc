// UpdateTable's GlobalSecondaryIndexUpdates: Create (validated as CreateTable would validate the
// table with the new index, then backfilled from every item in the same transaction), Delete and
// Update (throughput). Indexes are ACTIVE at once: there is nothing to wait for locally.
#include <set>

#include "dynamodb/indexes.h"
#include "dynamodb/params.h"
#include "dynamodb/table_schema.h"

namespace localaws::ddb {

void apply_gsi_updates(storage::Connection& c, Table& t, const json& updates, const json* new_defs) {
  if (updates.size() != 1)
    throw DdbError::validation("One or more parameter values were invalid: Only one global secondary index update per "
                               "UpdateTable request is supported");
  const json& u = updates[0];
  if (!u.is_object()) throw DdbError::serialization("Unexpected value type in payload");
  json& m = t.meta;
  if (const json* create = u.contains("Create") ? &u["Create"] : nullptr) {
    const std::string* name = opt_string(*create, "IndexName");
    if (name && find_index(t, *name))
      throw DdbError::resource_in_use("Attempting to create an index which already exists: " + *name);
    // Validate the table as CreateTable would with the index added, definitions merged.
    json defs = m["AttributeDefinitions"];
    if (new_defs) {
      for (auto& d : *new_defs) {
        bool known = false;
        for (auto& e : defs)
          if (e["AttributeName"] == d.value("AttributeName", "")) {
            known = true;
            if (e["AttributeType"] != d.value("AttributeType", ""))
              throw DdbError::validation("One or more parameter values were invalid: Cannot change the type of attribute " +
                                         d.value("AttributeName", std::string()));
          }
        if (!known) defs.push_back(d);
      }
    }
    json as_create = {{"AttributeDefinitions", defs}, {"KeySchema", m["KeySchema"]}, {"BillingMode", m["BillingMode"]}};
    if (m.contains("ProvisionedThroughput")) as_create["ProvisionedThroughput"] = m["ProvisionedThroughput"];
    if (m.contains("LocalSecondaryIndexes")) as_create["LocalSecondaryIndexes"] = m["LocalSecondaryIndexes"];
    json gsis = m.value("GlobalSecondaryIndexes", json::array());
    gsis.push_back(*create);
    as_create["GlobalSecondaryIndexes"] = gsis;
    json checked = validate_create_table(as_create);
    m["AttributeDefinitions"] = checked["AttributeDefinitions"];
    m["GlobalSecondaryIndexes"] = checked["GlobalSecondaryIndexes"];
    // Backfill: items whose key attributes do not fit the new index stay out of it.
    const std::string index = checked["GlobalSecondaryIndexes"].back()["IndexName"];
    std::vector<std::pair<ItemKey, IndexRow>> rows;
    store::read_table(c, t, std::nullopt, [&](const store::Row& row) {
      try {
        for (auto& r : index_rows(t, json::parse(row.item)))
          if (r.index == index) rows.push_back({ItemKey{row.hk, row.rk}, std::move(r)});
      } catch (const DdbError&) {
        // Another index's key is invalid for this item: it cannot be stored now, but was stored
        // before the index existed; leave it out of the new index.
      }
      return true;
    });
    for (auto& [k, r] : rows) store::put_index_row(c, t, k, r);
  } else if (const json* del = u.contains("Delete") ? &u["Delete"] : nullptr) {
    std::string name = opt_string(*del, "IndexName") ? *opt_string(*del, "IndexName") : "";
    auto idx = find_index(t, name);
    if (!idx || !idx->global) throw DdbError::resource_not_found("Requested resource not found: Index: " + name + " not found");
    json kept = json::array();
    for (auto& g : m["GlobalSecondaryIndexes"])
      if (g["IndexName"] != name) kept.push_back(g);
    if (kept.empty()) m.erase("GlobalSecondaryIndexes");
    else m["GlobalSecondaryIndexes"] = kept;
    // Definitions only the deleted index used go with it (a later Create must not find them unused).
    std::set<std::string> used;
    for (auto& k : m["KeySchema"]) used.insert(k["AttributeName"].get<std::string>());
    for (const char* kind : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"})
      if (m.contains(kind))
        for (auto& idx : m[kind])
          for (auto& k : idx["KeySchema"]) used.insert(k["AttributeName"].get<std::string>());
    json defs = json::array();
    for (auto& d : m["AttributeDefinitions"])
      if (used.count(d["AttributeName"].get<std::string>())) defs.push_back(d);
    m["AttributeDefinitions"] = defs;
    store::drop_index(c, t, name);
  } else if (const json* upd = u.contains("Update") ? &u["Update"] : nullptr) {
    std::string name = opt_string(*upd, "IndexName") ? *opt_string(*upd, "IndexName") : "";
    auto idx = find_index(t, name);
    if (!idx || !idx->global) throw DdbError::resource_not_found("Requested resource not found: Index: " + name + " not found");
    if (!upd->contains("ProvisionedThroughput"))
      throw DdbError::validation("1 validation error detected: Value null at 'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput' failed to satisfy constraint: Member must not be null");
    json pt = validate_throughput((*upd)["ProvisionedThroughput"], "globalSecondaryIndexUpdates.1.member.update.provisionedThroughput");
    for (auto& g : m["GlobalSecondaryIndexes"])
      if (g["IndexName"] == name) g["ProvisionedThroughput"] = pt;
  } else {
    throw DdbError::validation("One or more parameter values were invalid: a GlobalSecondaryIndexUpdate needs one of Create, Update or Delete");
  }
}

}  // namespace localaws::ddb
