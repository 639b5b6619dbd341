// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: each statement is parsed
// (partiql/parser.cc), translated to the equivalent request (partiql/translate.cc) and run by the
// ordinary handler (Query, Scan, GetItem, PutItem, UpdateItem, DeleteItem, TransactGetItems,
// TransactWriteItems), so conditions, updates, indexes, streams and TTL behave exactly as there.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html
#include "common/crypto.h"
#include "dynamodb/params.h"
#include "dynamodb/partiql/ast.h"
#include "dynamodb/partiql/ops.h"
#include "dynamodb/partiql/translate.h"
#include "dynamodb/store.h"
#include "dynamodb/value.h"

namespace localaws::ddb {
namespace {

using partiql::Request;
using partiql::Statement;

constexpr size_t kMaxStatementLength = 8192;
constexpr size_t kMaxBatch = 25;
constexpr size_t kMaxTransaction = 100;

[[noreturn]] void null_member(const std::string& field) {
  throw DdbError::validation("1 validation error detected: Value null at '" + field +
                             "' failed to satisfy constraint: Member must not be null");
}

// Statement and Parameters of one request member (the request itself, a batch entry, a
// transaction entry), parsed.
Statement parse_member(json& m, const std::string& field) {
  const std::string* text = opt_string(m, "Statement");
  if (!text) null_member(field + "statement");
  if (text->empty() || text->size() > kMaxStatementLength)
    throw DdbError::constraint(*text, field + "statement", "Member must have length between 1 and 8192");
  json params = json::array();
  if (const json* p = opt_array(m, "Parameters")) {
    if (p->empty())
      throw DdbError::constraint("[]", field + "parameters", "Member must have length greater than or equal to 1");
    params = *p;
    for (auto& v : params) validate_value(v);
  }
  return partiql::parse(*text, params);
}

Table find(Ctx& ctx, const std::string& name) {
  return ctx.db.read([&](storage::Connection& c) { return store::must_find_table(c, ctx, name); });
}

json run(Ctx& ctx, Handler h, json body) {
  Ctx sub{ctx.rt, ctx.db, ctx.account, ctx.region, body, ctx.tables};
  return h(sub);
}

Handler handler_of(Request::Op op) {
  switch (op) {
    case Request::Op::kQuery: return query;
    case Request::Op::kScan: return scan;
    case Request::Op::kGet: return get_item;
    case Request::Op::kPut: return put_item;
    case Request::Op::kUpdate: return update_item;
    case Request::Op::kDelete: return delete_item;
  }
  return scan;
}

constexpr const char* kDuplicateMessage = "Duplicate primary key exists in table";

// Runs one translated write; an INSERT whose key exists is DuplicateItemException.
json run_write(Ctx& ctx, const Statement& st, const Request& r) {
  try {
    return run(ctx, handler_of(r.op), r.body);
  } catch (const DdbError& e) {
    if (st.kind == Statement::Kind::kInsert && e.type() == "ConditionalCheckFailedException")
      throw DdbError("DuplicateItemException", kDuplicateMessage);
    throw;
  }
}

// NextToken: the page's LastEvaluatedKey, opaque to the client.
std::string next_token(const json& last_key) { return base64_encode(last_key.dump()); }
json start_key(const std::string& token) {
  std::string text;
  json key;
  if (base64_decode(token, text)) key = json::parse(text, nullptr, false);
  if (!key.is_object()) throw DdbError::validation("Invalid NextToken");
  return key;
}

// BatchStatementError codes are the exception names without "Exception" (ValidationError).
json batch_error(const DdbError& e) {
  std::string code = e.type();
  if (code == "ValidationException") code = "ValidationError";
  else if (code.size() > 9 && code.compare(code.size() - 9, 9, "Exception") == 0) code.resize(code.size() - 9);
  json err = {{"Code", code}, {"Message", e.message()}};
  if (e.extra().contains("Item")) err["Item"] = e.extra().at("Item");
  return err;
}

}  // namespace

json execute_statement(Ctx& ctx) {
  Statement st = parse_member(ctx.in, "");
  std::string capacity = enum_param(ctx.in, "ReturnConsumedCapacity", "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, "NONE");
  std::string on_failure = enum_param(ctx.in, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure",
                                      {"ALL_OLD", "NONE"}, "NONE");
  auto limit = opt_int(ctx.in, "Limit");
  if (limit && *limit < 1)
    throw DdbError::constraint(std::to_string(*limit), "limit", "Member must have value greater than or equal to 1");
  const std::string* token = opt_string(ctx.in, "NextToken");
  bool consistent = opt_bool(ctx.in, "ConsistentRead").value_or(false);
  Table t = find(ctx, st.table);
  Request r = partiql::translate(st, t);
  if (capacity != "NONE") r.body["ReturnConsumedCapacity"] = capacity;
  if (st.kind != Statement::Kind::kSelect) {
    if (st.kind != Statement::Kind::kInsert) r.body["ReturnValuesOnConditionCheckFailure"] = on_failure;
    json res = run_write(ctx, st, r);
    json out = {{"Items", json::array()}};
    if (res.contains("ConsumedCapacity")) out["ConsumedCapacity"] = res["ConsumedCapacity"];
    return out;
  }
  if (limit) r.body["Limit"] = *limit;
  if (consistent) r.body["ConsistentRead"] = true;
  if (token) r.body["ExclusiveStartKey"] = start_key(*token);
  json res = run(ctx, handler_of(r.op), r.body);
  json out = {{"Items", res["Items"]}};
  if (res.contains("LastEvaluatedKey")) {
    out["NextToken"] = next_token(res["LastEvaluatedKey"]);
    out["LastEvaluatedKey"] = res["LastEvaluatedKey"];
  }
  if (res.contains("ConsumedCapacity")) out["ConsumedCapacity"] = res["ConsumedCapacity"];
  return out;
}

json batch_execute_statement(Ctx& ctx) {
  const json* list = opt_array(ctx.in, "Statements");
  if (!list) null_member("statements");
  if (list->empty() || list->size() > kMaxBatch)
    throw DdbError::constraint("[...]", "statements", "Member must have length between 1 and 25");
  std::string capacity = enum_param(ctx.in, "ReturnConsumedCapacity", "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, "NONE");
  // Request-level checks first: every statement text present and of a valid length.
  size_t n = 0;
  for (auto& m : ctx.in["Statements"]) {
    ++n;
    if (!m.is_object()) throw DdbError::serialization("Unexpected value type in payload");
    const std::string* text = opt_string(m, "Statement");
    std::string field = "statements." + std::to_string(n) + ".member.statement";
    if (!text) null_member(field);
    if (text->empty() || text->size() > kMaxStatementLength)
      throw DdbError::constraint(*text, field, "Member must have length between 1 and 8192");
  }
  json responses = json::array();
  json consumed = json::array();
  for (auto& m : ctx.in["Statements"]) {
    json entry = json::object();
    try {
      Statement st = parse_member(m, "");
      entry["TableName"] = st.table;
      Table t = find(ctx, st.table);
      Request r = partiql::translate(st, t, true);
      if (capacity != "NONE") r.body["ReturnConsumedCapacity"] = capacity;
      json res;
      if (st.kind == Statement::Kind::kSelect) {
        if (opt_bool(m, "ConsistentRead").value_or(false)) r.body["ConsistentRead"] = true;
        res = run(ctx, handler_of(r.op), r.body);
        if (res.contains("Item")) entry["Item"] = res["Item"];
      } else {
        if (st.kind != Statement::Kind::kInsert)
          r.body["ReturnValuesOnConditionCheckFailure"] =
              enum_param(m, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure",
                         {"ALL_OLD", "NONE"}, "NONE");
        res = run_write(ctx, st, r);
      }
      if (res.contains("ConsumedCapacity")) consumed.push_back(res["ConsumedCapacity"]);
    } catch (const DdbError& e) {
      entry["Error"] = batch_error(e);
    }
    responses.push_back(entry);
  }
  json out = {{"Responses", responses}};
  if (capacity != "NONE") out["ConsumedCapacity"] = consumed;
  return out;
}

json execute_transaction(Ctx& ctx) {
  const json* list = opt_array(ctx.in, "TransactStatements");
  if (!list) null_member("transactStatements");
  if (list->empty() || list->size() > kMaxTransaction)
    throw DdbError::constraint("[...]", "transactStatements", "Member must have length between 1 and 100");
  std::string capacity = enum_param(ctx.in, "ReturnConsumedCapacity", "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, "NONE");
  std::vector<Statement> statements;
  json items = json::array();
  size_t reads = 0, n = 0;
  for (auto& m : ctx.in["TransactStatements"]) {
    ++n;
    if (!m.is_object()) throw DdbError::serialization("Unexpected value type in payload");
    Statement st = parse_member(m, "transactStatements." + std::to_string(n) + ".member.");
    Table t = find(ctx, st.table);
    Request r = partiql::translate(st, t, true);
    if (st.kind == Statement::Kind::kSelect) {
      ++reads;
      items.push_back(json{{"Get", r.body}});
    } else {
      const char* kind = r.op == Request::Op::kPut ? "Put" : r.op == Request::Op::kUpdate ? "Update" : "Delete";
      std::string on_failure = enum_param(m, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure",
                                          {"ALL_OLD", "NONE"}, "NONE");
      if (on_failure != "NONE") r.body["ReturnValuesOnConditionCheckFailure"] = on_failure;
      items.push_back(json{{kind, r.body}});
    }
    statements.push_back(std::move(st));
  }
  if (reads && reads != statements.size())
    throw DdbError::validation("Transaction statements must be either all reads or all writes");
  json body = {{"TransactItems", items}};
  if (capacity != "NONE") body["ReturnConsumedCapacity"] = capacity;
  if (reads) return run(ctx, transact_get_items, body);
  if (const std::string* token = opt_string(ctx.in, "ClientRequestToken")) body["ClientRequestToken"] = *token;
  try {
    json out = run(ctx, transact_write_items, body);
    return out;
  } catch (const DdbError& e) {
    if (e.type() != "TransactionCanceledException") throw;
    json reasons = e.extra().at("CancellationReasons");
    for (size_t i = 0; i < reasons.size() && i < statements.size(); ++i) {
      if (statements[i].kind == Statement::Kind::kInsert && reasons[i]["Code"] == "ConditionalCheckFailed")
        reasons[i] = {{"Code", "DuplicateItem"}, {"Message", kDuplicateMessage}};
    }
    throw DdbError::transaction_canceled(reasons);
  }
}

}  // namespace localaws::ddb
