// Server access logging: the request path appends one line per request to a bucket that has
// logging on (an in-memory buffer, no store write), and flush_access_logs() writes the buffered
// lines as log objects into the target buckets, in AWS's format
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html) and under AWS's key
// formats (SimplePrefix / PartitionedPrefix,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html#server-access-logging-overview).
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/accounts.h"
#include "http/request.h"
#include "http/response.h"

namespace localaws::s3 {

struct Env;
struct OpRow;

// Where a bucket's server access logs go (bucket_logging.cc reads it from the configuration).
struct LoggingTarget {
  std::string bucket, prefix;
  bool partitioned = false;    // PartitionedPrefix, else SimplePrefix
  bool delivery_time = false;  // PartitionDateSource DeliveryTime, else EventTime
};

class AccessLogs {
 public:
  // Appends the log line of a finished request to `bucket` when its logging is on. Looks the
  // bucket's configuration up in the store only the first time (then cached until forget()).
  void record(const Env& env, const http::Request& req, const http::Response& res, const auth::Principal& who,
              const std::string& bucket, const std::string& key, const OpRow* row, int64_t started_ms,
              int64_t now_ms);
  // Writes every buffered line as log objects (one per source bucket and partition); returns how
  // many objects were written. Lines whose target bucket is gone are dropped.
  size_t flush(const Env& env, int64_t now_ms);
  void forget(const std::string& bucket);  // its logging configuration changed
  void clear();                            // reset: nothing buffered, nothing cached

 private:
  struct Source {
    std::optional<LoggingTarget> target;
    std::string owner_id, account, region;
  };
  struct Line {
    std::string source;  // the logged bucket
    Source where;
    int64_t event_ms;
    std::string text;        // the fields up to the version id
    std::string request_id;  // for the host id field
    std::string tail;        // the fields after the host id
  };
  std::mutex mu_;
  std::unordered_map<std::string, Source> sources_;
  std::vector<Line> lines_;
  size_t dropped_ = 0;
};

// The lead wires this into the periodic sweep and POST /_localaws/lifecycle/run.
size_t flush_access_logs(Env& env, int64_t now_ms);

}  // namespace localaws::s3
