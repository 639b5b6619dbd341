// Who may act on a table or stream: the resource-based policy check that runs before every
// handler (resource_policy.h: authorize). localaws has no IAM identity policies, so a caller of
// the owning account may do anything its table's policy does not explicitly deny; a caller of
// another account needs an Allow for the action (and no Deny).
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-cross-account-access.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-iam-actions.html
#include <set>

#include "auth/accounts.h"
#include "auth/policy.h"
#include "auth/policy_keys.h"
#include "common/strings.h"
#include "dynamodb/resource_policy.h"
#include "dynamodb/streams.h"

namespace localaws::ddb {

namespace {

// The operations other accounts may call with a table or stream ARN ("cross-account support").
const std::set<std::string_view> kCrossAccount = {
    "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem",
    "TransactGetItems", "TransactWriteItems", "DescribeTable", "UpdateTable", "DeleteTable",
    "DescribeStream", "GetShardIterator", "GetRecords"};

// The operations that name one table in TableName (a name, or the table's ARN).
const std::set<std::string_view> kTableNameOps = {
    "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "DescribeTable", "UpdateTable",
    "DeleteTable", "DescribeTimeToLive", "UpdateTimeToLive", "CreateBackup", "DescribeContinuousBackups",
    "UpdateContinuousBackups", "DescribeContributorInsights", "UpdateContributorInsights",
    "DescribeKinesisStreamingDestination", "EnableKinesisStreamingDestination",
    "DisableKinesisStreamingDestination", "UpdateKinesisStreamingDestination", "DescribeTableReplicaAutoScaling",
    "UpdateTableReplicaAutoScaling"};

// The operations whose ResourceArn is the resource.
const std::set<std::string_view> kResourceArnOps = {"TagResource", "UntagResource", "ListTagsOfResource",
                                                    "PutResourcePolicy", "GetResourcePolicy",
                                                    "DeleteResourcePolicy"};

// One action the request performs on one resource.
struct Ref {
  std::string action;      // dynamodb:GetItem
  std::string account;     // the resource's owner
  std::string policy_arn;  // the table or stream whose policy decides
  std::string resource;    // what the action is on: the table, one of its indexes, the stream
};

class Resolver {
 public:
  Resolver(Ctx& ctx, std::string caller) : ctx_(ctx), caller_(std::move(caller)) {}

  // A TableName member: a name of the caller's table, or a table ARN (replaced by the name).
  // Returns the ARN it held, if any.
  std::optional<std::string> table(json& slot, const std::string& action, const std::string& index = "") {
    if (!slot.is_string()) return std::nullopt;  // the handler reports it
    std::string v = slot.get<std::string>(), account = caller_, name = v;
    std::optional<std::string> arn;
    if (starts_with(v, "arn:")) {
      auto a = parse_ddb_arn(v);
      if (!a || a->is_stream() || !a->index.empty()) return std::nullopt;  // not a table name: the handler says so
      if (a->region != ctx_.region) throw DdbError::resource_not_found();
      account = a->account, name = a->table, arn = v;
      slot = name;
    }
    std::string table_arn = "arn:aws:dynamodb:" + ctx_.region + ":" + account + ":table/" + name;
    refs_.push_back({action, account, table_arn, index.empty() ? table_arn : table_arn + "/index/" + index});
    return arn;
  }

  // A table or stream ARN that stays as it is (ResourceArn, StreamArn).
  void arn(const std::string& text, const std::string& action) {
    auto a = parse_ddb_arn(text);
    if (!a || !a->index.empty() || a->region != ctx_.region) return;  // the handler refuses it
    refs_.push_back({action, a->account, a->is_stream() ? a->text : a->table_arn(), a->text});
  }

  const std::vector<Ref>& refs() const { return refs_; }

 private:
  Ctx& ctx_;
  std::string caller_;
  std::vector<Ref> refs_;
};

// Every table and stream the request names, with the actions it needs on them.
void collect(Resolver& r, Ctx& ctx, std::string_view op, Access& access) {
  json& in = ctx.in;
  const std::string action = "dynamodb:" + std::string(op);
  auto index = [&] { return in.contains("IndexName") && in["IndexName"].is_string() ? in["IndexName"].get<std::string>() : ""; };
  if (kTableNameOps.count(op) && in.contains("TableName")) {
    r.table(in["TableName"], action, op == "Query" || op == "Scan" ? index() : "");
  } else if ((op == "BatchGetItem" || op == "BatchWriteItem") && in.contains("RequestItems") && in["RequestItems"].is_object()) {
    // Keys that are table ARNs become names; the per-table requests are moved, not copied.
    json renamed = json::object();
    for (auto& [name, v] : in["RequestItems"].items()) {
      json slot = name;
      if (auto arn = r.table(slot, action)) access.batch_names[slot.get<std::string>()] = *arn;
      renamed[slot.get<std::string>()] = std::move(v);
    }
    in["RequestItems"] = std::move(renamed);
  } else if ((op == "TransactGetItems" || op == "TransactWriteItems") && in.contains("TransactItems") && in["TransactItems"].is_array()) {
    static const std::pair<const char*, const char*> kKinds[] = {{"Get", "dynamodb:GetItem"},
                                                                 {"ConditionCheck", "dynamodb:ConditionCheckItem"},
                                                                 {"Put", "dynamodb:PutItem"},
                                                                 {"Delete", "dynamodb:DeleteItem"},
                                                                 {"Update", "dynamodb:UpdateItem"}};
    for (auto& item : in["TransactItems"]) {
      for (auto& [kind, act] : kKinds) {
        if (item.is_object() && item.contains(kind) && item[kind].is_object() && item[kind].contains("TableName"))
          r.table(item[kind]["TableName"], act);
      }
    }
  } else if (kResourceArnOps.count(op) && in.contains("ResourceArn") && in["ResourceArn"].is_string()) {
    r.arn(in["ResourceArn"], action);
  } else if ((op == "DescribeStream" || op == "GetShardIterator") && in.contains("StreamArn") && in["StreamArn"].is_string()) {
    r.arn(in["StreamArn"], action);
  } else if (op == "GetRecords" && in.contains("ShardIterator") && in["ShardIterator"].is_string()) {
    if (auto arn = streams::iterator_stream_arn(in["ShardIterator"])) r.arn(*arn, action);
  }
}

[[noreturn]] void denied(const auth::Principal& who, const Ref& r, bool by_deny) {
  throw DdbError("AccessDeniedException",
                 "User: " + who.arn() + " is not authorized to perform: " + r.action + " on resource: " + r.resource +
                     (by_deny ? " with an explicit deny in a resource-based policy"
                              : " because no resource-based policy allows the " + r.action + " action"));
}

// PutResourcePolicy of a document that would deny its caller the next PutResourcePolicy needs
// ConfirmRemoveSelfResourceAccess. An invalid document is left to the handler to refuse.
void check_lockout(const Ctx& ctx, const auth::PolicyRequest& req) {
  if (ctx.in.value("ConfirmRemoveSelfResourceAccess", false) != false || !ctx.in.value("Policy", json()).is_string())
    return;
  auto target = parse_ddb_arn(req.resource);
  if (!target) return;
  std::string policy;
  try {
    policy = canonical_policy(ctx.in["Policy"].get<std::string>(), *target);
  } catch (const DdbError&) {
    return;
  }
  if (auth::evaluate_policy(policy, req) == auth::Effect::kDeny)
    throw DdbError("AccessDeniedException", "The new resource policy will not allow you to update the resource policy in the future.");
}

}  // namespace

Access authorize(Ctx& ctx, std::string_view op, const auth::Principal& who, const http::Request& req, int64_t now_ms,
                 bool any_policies) {
  Access access;
  Resolver r(ctx, who.account_id);
  collect(r, ctx, op, access);
  if (r.refs().empty()) return access;
  const std::string owner = r.refs().front().account;
  for (auto& ref : r.refs()) {
    if (ref.account != owner)
      throw DdbError::validation("localaws: one request may only name the tables of one account");
  }
  if (owner != who.account_id) {
    if (!kCrossAccount.count(op))
      throw DdbError::validation("This action is only supported by accounts that match the resource owner\u2019s account.");
    ctx.account = owner;
  }
  // The owner's own request, and no policy anywhere: nothing to evaluate (the common case;
  // PutResourcePolicy still checks that the new policy does not lock its caller out).
  if (!any_policies && owner == who.account_id && op != "PutResourcePolicy") return access;
  auth::PolicyRequest pr{{false, who.account_id, who.canonical_user_id}, "", "",
                         auth::global_keys(req, who, now_ms, ctx.region, owner)};
  // One read for every resource's policy (none while no policy was ever attached).
  std::vector<std::optional<policies::Stored>> stored(r.refs().size());
  if (any_policies) {
    ctx.db.read([&](storage::Connection& c) {
      for (size_t i = 0; i < stored.size(); ++i) stored[i] = policies::find(c, r.refs()[i].policy_arn);
    });
  }
  for (size_t i = 0; i < r.refs().size(); ++i) {
    const Ref& ref = r.refs()[i];
    auth::Effect effect = auth::Effect::kNone;
    pr.action = ref.action;
    pr.resource = ref.resource;
    if (stored[i] && stored[i]->policy) effect = auth::evaluate_policy(*stored[i]->policy, pr);
    if (effect == auth::Effect::kDeny) denied(who, ref, true);
    if (owner != who.account_id && effect != auth::Effect::kAllow) denied(who, ref, false);
    if (op == "PutResourcePolicy") check_lockout(ctx, pr);
  }
  return access;
}

void finish_access(const Access& a, json& out) {
  if (a.batch_names.empty() || !out.is_object()) return;
  for (const char* member : {"Responses", "UnprocessedKeys", "UnprocessedItems", "ItemCollectionMetrics"}) {
    auto it = out.find(member);
    if (it == out.end() || !it->is_object()) continue;
    json renamed = json::object();
    for (auto& [name, v] : it->items()) renamed[a.batch_names.value(name, name)] = v;
    *it = std::move(renamed);
  }
}

}  // namespace localaws::ddb
