// The S3 lifecycle sweep: applies every bucket's lifecycle rules at an instant of the emulator
// clock (expirations, delete markers, noncurrent versions, expired delete markers, aborted
// uploads, transitions). It reads candidates in seek-based pages and changes them in small write
// transactions, so a request waits at most one batch.
#pragma once
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "s3/store.h"

namespace localaws::s3 {

struct SweepOptions {
  size_t page = 500;            // rows read per page
  size_t batch = 100;           // actions per write transaction
  // Pause after each write transaction, so requests waiting for the writer lock get it before
  // the next batch (a mutex handed back at once mostly goes to the thread that released it).
  int64_t pause_us = 500;
  size_t detail_limit = 1000;   // actions listed one by one in the result
};

// Runs one sweep at now_ms and says what it did: counts per action and (up to detail_limit) each
// key and version id acted on.
nlohmann::json run_lifecycle_sweep(Store& store, int64_t now_ms, const SweepOptions& opts = {});

}  // namespace localaws::s3
