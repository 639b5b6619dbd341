// PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy and CreateTable's ResourcePolicy
// (resource_policy.h). Who may call them is resource_access.cc's business.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutResourcePolicy.html
#include "common/strings.h"
#include "dynamodb/params.h"
#include "dynamodb/resource_policy.h"
#include "dynamodb/store.h"
#include "server/runtime.h"

namespace localaws::ddb {

namespace {

const char* const kInvalid = "One or more parameter values were invalid: ";
const char* const kNoPolicy = "Resource-based policy not found for the provided ResourceArn: ";

DdbError policy_not_found(const std::string& msg) { return {"PolicyNotFoundException", kNoPolicy + msg}; }

// ResourceArn: a table or stream ARN of the caller's account and region.
DdbArn target_arn(const Ctx& ctx) {
  const std::string* s = opt_string(ctx.in, "ResourceArn");
  if (!s)
    throw DdbError::validation(
        "1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null");
  if (!starts_with(*s, "arn:")) throw DdbError::validation(std::string(kInvalid) + "ARNs must start with 'arn:': " + *s);
  auto a = parse_ddb_arn(*s);
  if (a && !a->index.empty())
    throw DdbError::validation(std::string(kInvalid) +
                               "Invalid resource arn provided, only table or stream is accepted. Provided resource arn: " + *s);
  if (!a && starts_with(*s, "arn:aws:dynamodb:") && s->find(":table/") != std::string::npos)
    throw DdbError::validation(std::string(kInvalid) + "Provided Arn is not a DynamoDB resource " + *s);
  if (!a || a->region != ctx.region) throw DdbError::validation(std::string(kInvalid) + "Invalid resource Arn: " + *s);
  return *a;
}

// The id of the table the resource belongs to (its rows go with it). A stream outlives its table
// for its retention; with table_needed it must still have one.
std::string target_table_id(storage::Connection& c, const Ctx& ctx, const DdbArn& a, bool table_needed) {
  auto t = store::find_table(c, ctx, a.table);
  if (!a.is_stream()) {
    if (!t) throw DdbError::resource_not_found("Requested resource not found: Table: " + a.table + " not found");
    return t->id;
  }
  auto& st = c.prepare("SELECT table_id FROM ddb_streams WHERE stream_arn=? AND account=? AND region=?");
  st.bind_all(a.text, ctx.account, ctx.region);
  bool found = st.step();
  std::string id = found ? st.col_text(0) : "";
  st.reset();
  if (!found)
    throw DdbError::resource_not_found("Requested resource not found: Stream: " + a.stream_label +
                                       " not found for Table: " + a.table);
  if (table_needed && (!t || t->id != id))
    throw DdbError::resource_not_found("Requested resource not found: Table: " + a.table + " not found");
  return id;
}

// ExpectedRevisionId against the current row: NO_POLICY wants none, any other value that one.
void check_expected(const Ctx& ctx, const std::optional<policies::Stored>& cur, const std::string& table) {
  const std::string* want = opt_string(ctx.in, "ExpectedRevisionId");
  if (!want) return;
  if (*want == "NO_POLICY") {
    if (cur && cur->policy)
      throw policy_not_found("Requested policy update expecting none to be present for table " + table +
                             ", but a policy exists with revision id " + cur->revision + ".");
    return;
  }
  if (!cur)
    throw policy_not_found("Requested update for policy with revision id " + *want + ", but table " + table +
                           " has no associated policy.");
  if (cur->revision != *want)
    throw policy_not_found("Requested update for policy with revision id " + *want +
                           ", but the policy associated to target table " + table + " has revision id " +
                           cur->revision + ".");
}

}  // namespace

json put_resource_policy(Ctx& ctx) {
  DdbArn target = target_arn(ctx);
  const std::string* text = opt_string(ctx.in, "Policy");
  if (!text)
    throw DdbError::validation(
        "1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null");
  opt_bool(ctx.in, "ConfirmRemoveSelfResourceAccess");  // its type; the lockout check is resource_access.cc's
  std::string policy = canonical_policy(*text, target);
  int64_t now = ctx.rt.clock.now_ms();
  // Checking ends here (but for the lookups in the transaction); the one change follows.
  return ctx.db.write([&](storage::Connection& c) {
    std::string table_id = target_table_id(c, ctx, target, true);
    auto cur = policies::find(c, target.text);
    check_expected(ctx, cur, target.table);
    // An equivalent document (the same canonical form) changes nothing: same revision.
    if (cur && cur->policy == policy) return json{{"RevisionId", cur->revision}};
    std::string revision = policies::next_revision(cur, now);
    policies::save(c, target.text, table_id, policy, revision);
    return json{{"RevisionId", revision}};
  });
}

json get_resource_policy(Ctx& ctx) {
  DdbArn target = target_arn(ctx);
  return ctx.db.read([&](storage::Connection& c) {
    target_table_id(c, ctx, target, false);
    auto cur = policies::find(c, target.text);
    if (!cur || !cur->policy) throw policy_not_found(target.text);
    return json{{"Policy", policy_for_reading(*cur->policy)}, {"RevisionId", cur->revision}};
  });
}

// Idempotent: without a policy it answers {} (or, once one was deleted, the deletion's revision).
json delete_resource_policy(Ctx& ctx) {
  DdbArn target = target_arn(ctx);
  int64_t now = ctx.rt.clock.now_ms();
  return ctx.db.write([&](storage::Connection& c) {
    std::string table_id = target_table_id(c, ctx, target, true);
    auto cur = policies::find(c, target.text);
    check_expected(ctx, cur, target.table);
    if (!cur) return json::object();
    if (!cur->policy) return json{{"RevisionId", cur->revision}};
    policies::save(c, target.text, table_id, std::nullopt, policies::next_revision(cur, now));
    return json{{"RevisionId", cur->revision}};
  });
}

std::optional<std::string> create_table_policy(const Ctx& ctx, const std::string& table) {
  const std::string* text = opt_string(ctx.in, "ResourcePolicy");
  if (!text) return std::nullopt;
  std::string arn = ctx.arn_prefix() + table;
  return canonical_policy(*text, DdbArn{arn, ctx.region, ctx.account, table, "", ""});
}

void attach_created_policy(storage::Connection& c, const Ctx& ctx, const std::string& table,
                           const std::string& table_id, const std::string& policy) {
  policies::save(c, ctx.arn_prefix() + table, table_id, policy,
                 policies::next_revision(std::nullopt, ctx.rt.clock.now_ms()));
}

}  // namespace localaws::ddb
