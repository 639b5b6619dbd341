// TransactWriteItems and TransactGetItems: every check, then every write, inside one SQLite write
// transaction (one snapshot for reads), so a transaction is all-or-nothing and serializable.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
#include <chrono>
#include <map>
#include <set>

#include "common/crypto.h"
#include "server/runtime.h"
#include "dynamodb/expr/eval.h"
#include "dynamodb/expr/update.h"
#include "dynamodb/expressions.h"
#include "dynamodb/item_common.h"
#include "dynamodb/params.h"
#include "dynamodb/value.h"

namespace localaws::ddb {
namespace {

constexpr size_t kMaxActions = 100;
constexpr size_t kMaxTransactionBytes = 4 * 1024 * 1024;

struct Action {
  enum class Kind { kCheck, kPut, kDelete, kUpdate } kind;
  std::string table;
  json* item = nullptr;  // Put
  json* key = nullptr;   // the others
  RequestExpressions ex;
  bool old_on_failure = false;
};

const json& transact_items(const json& in) {
  const json* items = opt_array(in, "TransactItems");
  if (!items)
    throw DdbError::validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
  if (items->empty() || items->size() > kMaxActions)
    throw DdbError::constraint("[...]", "transactItems", "Member must have length between 1 and 100");
  return *items;
}

void require_member(const json& a, const char* key, const std::string& field) {
  if (!opt_string(a, key))
    throw DdbError::validation("1 validation error detected: Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
}

std::vector<Action> parse_write_actions(json& in) {
  transact_items(in);
  std::vector<Action> actions;
  size_t bytes = 0;
  size_t n = 0;
  for (auto& entry : in["TransactItems"]) {
    ++n;
    if (!entry.is_object()) throw DdbError::serialization("Unexpected value type in payload");
    static const std::pair<const char*, Action::Kind> kKinds[] = {{"ConditionCheck", Action::Kind::kCheck},
                                                                  {"Put", Action::Kind::kPut},
                                                                  {"Delete", Action::Kind::kDelete},
                                                                  {"Update", Action::Kind::kUpdate}};
    Action a;
    json* body = nullptr;
    int found = 0;
    for (auto& [name, kind] : kKinds) {
      if (json* b = opt_object(entry, name)) {
        body = b;
        a.kind = kind;
        ++found;
      }
    }
    if (found != 1) throw DdbError::validation("TransactItems can only contain one of Check, Put, Update or Delete");
    std::string field = "transactItems." + std::to_string(n) + ".member.";
    a.table = table_name(*body);
    if (a.kind == Action::Kind::kPut) {
      a.item = &require_map(*body, "Item", "item");
      check_item_size(*a.item);
      bytes += item_size(*a.item);
    } else {
      a.key = &require_map(*body, "Key", "key");
      bytes += item_size(*a.key);
    }
    if (a.kind == Action::Kind::kCheck) require_member(*body, "ConditionExpression", field + "conditionCheck.conditionExpression");
    if (a.kind == Action::Kind::kUpdate) require_member(*body, "UpdateExpression", field + "update.updateExpression");
    a.ex = compile_expressions(*body, a.kind == Action::Kind::kUpdate ? kCondition | kUpdate : kCondition);
    // The 4 MB cap covers everything the actions carry: items, keys and expression values.
    if (const json* values = opt_object(*body, "ExpressionAttributeValues"))
      bytes += item_size(*values);
    a.old_on_failure = enum_param(*body, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure",
                                  {"ALL_OLD", "NONE"}, "NONE") == "ALL_OLD";
    actions.push_back(std::move(a));
  }
  if (bytes > kMaxTransactionBytes) throw DdbError::validation("Transaction request cannot be larger than 4 MB");
  return actions;
}

// ClientRequestToken: a successful transaction replayed within 10 minutes returns its first
// answer without writing again; the same token with another request is an error. Tokens live in
// the instance's database (ddb_transaction_tokens), on the emulator clock: two emulators share
// none, a reset clears them with the items, and they survive a restart within their window.
constexpr int64_t kTokenLifetimeMs = 10 * 60 * 1000;

std::optional<json> earlier_answer(storage::Connection& c, const std::string& key, const std::string& digest,
                                   int64_t now_ms) {
  c.prepare("DELETE FROM ddb_transaction_tokens WHERE expires_ms < ?").bind(1, now_ms).run();
  auto& st = c.prepare("SELECT digest, response FROM ddb_transaction_tokens WHERE token = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  if (st.col_text(0) != digest)
    throw DdbError("IdempotentParameterMismatchException",
                   "The request uses the same client token as a previous, but non-identical request.");
  return json::parse(st.col_text(1));
}

void remember_answer(storage::Connection& c, const std::string& key, const std::string& digest, const json& response,
                     int64_t now_ms) {
  c.prepare("INSERT OR REPLACE INTO ddb_transaction_tokens(token, digest, response, expires_ms) VALUES(?, ?, ?, ?)")
      .bind(1, key)
      .bind(2, digest)
      .bind(3, response.dump())
      .bind(4, now_ms + kTokenLifetimeMs)
      .run();
}

json capacity_list(const std::map<std::string, double>& units, const char* split_key, const std::string& mode) {
  json list = json::array();
  for (auto& [table, u] : units) {
    json c = {{"TableName", table}, {"CapacityUnits", u}, {split_key, u}};
    if (mode == "INDEXES") c["Table"] = {{"CapacityUnits", u}, {split_key, u}};
    list.push_back(c);
  }
  return list;
}

}  // namespace

json transact_write_items(Ctx& ctx) {
  std::vector<Action> actions = parse_write_actions(ctx.in);
  std::string capacity = enum_param(ctx.in, "ReturnConsumedCapacity", "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, "NONE");
  std::string token_key, digest;
  if (const std::string* token = opt_string(ctx.in, "ClientRequestToken")) {
    if (token->empty() || token->size() > 36)
      throw DdbError::constraint(*token, "clientRequestToken", "Member must have length between 1 and 36");
    token_key = ctx.account + "/" + ctx.region + "/" + *token;
    digest = sha256_hex(ctx.in.dump());
  }
  const int64_t now = ctx.rt.clock.now_ms();

  return ctx.db.write([&](storage::Connection& c) {
    if (!token_key.empty())
      if (auto earlier = earlier_answer(c, token_key, digest, now)) return *earlier;
    std::map<std::string, Table> tables;
    std::set<std::string> seen;
    struct Planned {
      ItemKey key;
      std::optional<json> old;
      std::optional<json> next;  // the item to write; nullopt: delete (or nothing, for a check)
    };
    std::vector<Planned> plan;
    json reasons = json::array();
    bool failed = false;
    std::map<std::string, double> units;
    for (auto& a : actions) {
      auto it = tables.find(a.table);
      if (it == tables.end()) it = tables.emplace(a.table, store::must_find_table(c, ctx, a.table)).first;
      const Table& t = it->second;
      Planned p;
      p.key = a.item ? key_from_item(t, *a.item) : key_from_key(t, *a.key);
      if (!seen.insert(t.id + '\0' + p.key.hk + '\0' + p.key.rk).second)
        throw DdbError::validation("Transaction request cannot include multiple operations on one item");
      p.old = store::get_item(c, t, p.key);
      json reason = {{"Code", "None"}};
      static const json kEmpty = json::object();
      if (a.ex.condition && !expr::evaluate(*a.ex.condition, p.old ? *p.old : kEmpty)) {
        reason = {{"Code", "ConditionalCheckFailed"}, {"Message", "The conditional request failed"}};
        if (a.old_on_failure && p.old) reason["Item"] = *p.old;
      } else if (a.kind == Action::Kind::kPut) {
        p.next = *a.item;
      } else if (a.kind == Action::Kind::kUpdate) {
        try {
          updated_paths(t, *a.ex.update);
          json next = expr::apply_update(*a.ex.update, p.old ? *p.old : *a.key);
          check_item_size(next, /*after_update=*/true);
          p.next = std::move(next);
        } catch (const DdbError& e) {
          reason = {{"Code", "ValidationError"}, {"Message", e.message()}};
        }
      }
      failed = failed || reason["Code"] != "None";
      reasons.push_back(reason);
      size_t size = std::max(p.old ? item_size(*p.old) : 0, p.next ? item_size(*p.next) : 0);
      units[t.name] += 2 * write_units(size);  // transactional writes cost double
      plan.push_back(std::move(p));
    }
    if (failed) throw DdbError::transaction_canceled(reasons);
    // Checking ends here: every action passed, so every write happens.
    for (size_t i = 0; i < actions.size(); ++i) {
      const Table& t = tables.at(actions[i].table);
      Planned& p = plan[i];
      if (p.next) store::put_item(c, t, p.key, *p.next, item_size(*p.next));
      else if (actions[i].kind == Action::Kind::kDelete && p.old) store::delete_item(c, t, p.key);
    }
    json result = json::object();
    if (capacity != "NONE") result["ConsumedCapacity"] = capacity_list(units, "WriteCapacityUnits", capacity);
    if (!token_key.empty()) remember_answer(c, token_key, digest, result, now);
    return result;
  });
}

json transact_get_items(Ctx& ctx) {
  transact_items(ctx.in);
  struct Get {
    std::string table;
    json* key;
    RequestExpressions ex;
  };
  std::vector<Get> gets;
  for (auto& entry : ctx.in["TransactItems"]) {
    if (!entry.is_object()) throw DdbError::serialization("Unexpected value type in payload");
    json* body = opt_object(entry, "Get");
    if (!body) throw DdbError::validation("1 validation error detected: Value null at 'transactItems.member.get' failed to satisfy constraint: Member must not be null");
    Get g{table_name(*body), &require_map(*body, "Key", "key"), compile_expressions(*body, kProjection)};
    gets.push_back(std::move(g));
  }
  std::string capacity = enum_param(ctx.in, "ReturnConsumedCapacity", "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, "NONE");
  return ctx.db.read([&](storage::Connection& c) {
    std::map<std::string, Table> tables;
    std::set<std::string> seen;
    std::map<std::string, double> units;
    json responses = json::array();
    for (auto& g : gets) {
      auto it = tables.find(g.table);
      if (it == tables.end()) it = tables.emplace(g.table, store::must_find_table(c, ctx, g.table)).first;
      const Table& t = it->second;
      ItemKey k = key_from_key(t, *g.key);
      if (!seen.insert(t.id + '\0' + k.hk + '\0' + k.rk).second)
        throw DdbError::validation("Transaction request cannot include multiple operations on one item");
      auto item = store::get_item(c, t, k);
      units[t.name] += 2 * read_units(item ? item_size(*item) : 0, true);
      json r = json::object();
      if (item) r["Item"] = g.ex.projection ? expr::project(*item, *g.ex.projection) : *item;
      responses.push_back(r);
    }
    json out = {{"Responses", responses}};
    if (capacity != "NONE") out["ConsumedCapacity"] = capacity_list(units, "ReadCapacityUnits", capacity);
    return out;
  });
}

}  // namespace localaws::ddb
