// What every DynamoDB operation handler receives, and the handler table's signature.
#pragma once
#include <string>

#include "dynamodb/error.h"
#include "storage/sqlite.h"

namespace localaws {
struct Runtime;
}

namespace localaws::ddb {

class TableCache;

struct Ctx {
  Runtime& rt;
  storage::Database& db;
  std::string account;  // the principal's account: tables are per account ...
  std::string region;   // ... and per region (the request's signing region)
  json& in;             // the request body
  TableCache* tables = nullptr;  // the service's cache of tables (store::find_table), if any
  // When the caller sends the response (the service, not PartiQL's reuse of handlers), a handler
  // may render the body itself around stored bytes (GetItem, Query, Scan) into raw_body: it is
  // then sent instead of the returned json.
  bool may_render = false;
  std::string raw_body = {};
  std::string arn_prefix() const { return "arn:aws:dynamodb:" + region + ":" + account + ":table/"; }
};

// One function per operation, all alike: read ctx.in, return the response body.
using Handler = json (*)(Ctx&);

// tables.cc
json create_table(Ctx&);
json describe_table(Ctx&);
json list_tables(Ctx&);
json delete_table(Ctx&);
json update_table(Ctx&);
json tag_resource(Ctx&);
json untag_resource(Ctx&);
json list_tags_of_resource(Ctx&);
json describe_limits(Ctx&);
json describe_endpoints(Ctx&);
// A new TableId: a random (version 4) UUID.
std::string new_table_id();
// items.cc
json put_item(Ctx&);
json get_item(Ctx&);
json delete_item(Ctx&);
json update_item(Ctx&);
// read_ops.cc
json query(Ctx&);
json scan(Ctx&);
// transactions.cc
json transact_write_items(Ctx&);
json transact_get_items(Ctx&);
// ttl.cc
json update_time_to_live(Ctx&);
json describe_time_to_live(Ctx&);
// batch.cc
json batch_get_item(Ctx&);
json batch_write_item(Ctx&);

}  // namespace localaws::ddb
