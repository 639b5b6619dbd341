// The time-to-live sweep, run by the service's background thread (service.cc).
#pragma once
#include <cstddef>
#include <cstdint>

#include "dynamodb/store.h"

namespace localaws::ddb {

// Deletes every item whose TTL attribute (on tables with TTL enabled) is before now_s, together
// with its index rows. Returns how many were deleted.
size_t sweep_expired_items(storage::Database& db, int64_t now_s);

}  // namespace localaws::ddb
