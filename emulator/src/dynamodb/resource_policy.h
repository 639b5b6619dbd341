// DynamoDB resource-based policies: documents attached to a table (covering its indexes) or to a
// stream, and who they let in (docs/dynamodb.md "Resource-based policies").
//
//   ddb_resource_policies(resource_arn) -> table_id, policy (canonical JSON; NULL once deleted),
//                                          revision (epoch-ms of the last change)
// Rows go with their table (an SQLite trigger on ddb_tables) and with /_localaws/reset.
//
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html
#pragma once
#include <optional>
#include <string>

#include "dynamodb/context.h"

namespace localaws::auth {
struct Principal;
}
namespace localaws::http {
struct Request;
}

namespace localaws::ddb {

// A table, index or stream ARN: arn:aws:dynamodb:<region>:<account>:table/<name>[/index/<i> |
// /stream/<label>].
struct DdbArn {
  std::string text, region, account, table, index, stream_label;
  bool is_stream() const { return !stream_label.empty(); }
  std::string table_arn() const { return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table; }
};
// nullopt when s is not such an ARN (another service, partition, a backup or export ARN ...).
std::optional<DdbArn> parse_ddb_arn(const std::string& s);

// The policy document checked against AWS's rules for a policy attached to target (a table or
// stream ARN), in its canonical form: minified, keys in AWS's order (Version, Statement; Sid,
// Effect, Principal, Action, Resource, Condition), one-element lists as strings, account-id
// principals as root ARNs. Throws ValidationException with AWS's message.
std::string canonical_policy(const std::string& text, const DdbArn& target);
// The stored canonical form as GetResourcePolicy returns it (Version 2008-10-17 when absent).
std::string policy_for_reading(const std::string& canonical);

// Resource-based policy storage (store_policies.cc), in the caller's transaction.
namespace policies {
struct Stored {
  std::optional<std::string> policy;  // nullopt: deleted (the row keeps the deletion's revision)
  std::string revision;
};
std::optional<Stored> find(storage::Connection& c, const std::string& resource_arn);
void save(storage::Connection& c, const std::string& resource_arn, const std::string& table_id,
          const std::optional<std::string>& policy, const std::string& revision);
// Whether any table or stream has a policy.
bool any(storage::Connection& c);
// A revision id after prev: the change time in epoch milliseconds, strictly increasing.
std::string next_revision(const std::optional<Stored>& prev, int64_t now_ms);
}  // namespace policies

// CreateTable's ResourcePolicy member, checked (nullopt when absent): its canonical form.
std::optional<std::string> create_table_policy(const Ctx& ctx, const std::string& table);
// Attaches it to the table just inserted (same transaction).
void attach_created_policy(storage::Connection& c, const Ctx& ctx, const std::string& table,
                           const std::string& table_id, const std::string& policy);

// policy_api.cc
json put_resource_policy(Ctx&);
json get_resource_policy(Ctx&);
json delete_resource_policy(Ctx&);

// resource_access.cc. Before a handler runs: resolves the tables and streams the request names
// (TableName, RequestItems, TransactItems, ResourceArn, StreamArn, a shard iterator's stream) to
// the account that owns them. A table ARN in TableName becomes the table's name and ctx.account
// its owner's; callers from another account need an Allow in the resource's policy, every caller
// is refused by an explicit Deny (AccessDeniedException). Returns what finish_access() needs to
// give batch responses the table names as the request spelled them. any_policies false (no
// policy was ever attached: policies::any) saves reading them.
struct Access {
  json batch_names = json::object();  // table name -> the ARN the request used
};
Access authorize(Ctx& ctx, std::string_view op, const auth::Principal& who, const http::Request& req,
                 int64_t now_ms, bool any_policies);
void finish_access(const Access& a, json& out);

}  // namespace localaws::ddb
