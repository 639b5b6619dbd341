// The PartiQL operations (partiql_ops.cc), for the dispatch table in service.cc.
#pragma once
#include "dynamodb/context.h"

namespace localaws::ddb {

json execute_statement(Ctx&);
json batch_execute_statement(Ctx&);
json execute_transaction(Ctx&);

}  // namespace localaws::ddb
