// Resource-based policy rows (resource_policy.h: ddb_resource_policies).
#include <algorithm>

#include "dynamodb/resource_policy.h"

namespace localaws::ddb::policies {

std::optional<Stored> find(storage::Connection& c, const std::string& resource_arn) {
  auto& st = c.prepare("SELECT policy, revision FROM ddb_resource_policies WHERE resource_arn=?");
  st.bind_all(resource_arn);
  std::optional<Stored> out;
  if (st.step()) out = Stored{st.col_null(0) ? std::nullopt : std::optional<std::string>(st.col_text(0)), st.col_text(1)};
  st.reset();
  return out;
}

void save(storage::Connection& c, const std::string& resource_arn, const std::string& table_id,
          const std::optional<std::string>& policy, const std::string& revision) {
  auto& st = c.prepare(
      "INSERT INTO ddb_resource_policies(resource_arn, table_id, policy, revision) VALUES(?, ?, ?, ?)"
      " ON CONFLICT(resource_arn) DO UPDATE SET table_id=excluded.table_id, policy=excluded.policy,"
      " revision=excluded.revision");
  st.bind(1, resource_arn).bind(2, table_id).bind(4, revision);
  if (policy) st.bind(3, *policy);
  else st.bind_null(3);
  st.run();
}

bool any(storage::Connection& c) {
  auto& st = c.prepare("SELECT 1 FROM ddb_resource_policies WHERE policy IS NOT NULL LIMIT 1");
  bool found = st.step();
  st.reset();
  return found;
}

std::string next_revision(const std::optional<Stored>& prev, int64_t now_ms) {
  int64_t at = now_ms;
  if (prev) {
    try {
      at = std::max<int64_t>(at, std::stoll(prev->revision) + 1);
    } catch (const std::exception&) {
    }
  }
  return std::to_string(at);
}

}  // namespace localaws::ddb::policies
