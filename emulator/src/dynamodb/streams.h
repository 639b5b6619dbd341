// DynamoDB Streams: the change log of stream-enabled tables, and the Streams API read side.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
//
//   ddb_streams(stream_arn)                   -> table, account, region, view type, label,
//                                                next_seq, disabled_ms (NULL while enabled)
//   ddb_stream_shards(stream_arn, shard_id)   -> parent_id, start_seq, end_seq (NULL: open),
//                                                records, created_ms, trimmed_seq
//   ddb_stream_records(stream_arn, shard_id, seq) -> created_ms, record (JSON)
//
// A record is written by record_change(), which store::put_item / store::delete_item call in the
// writer's transaction: records commit (and survive kill -9) exactly with their items. Sequence
// numbers are one counter per stream; each stream has one open shard, closed and replaced by a
// child shard after --stream-shard-records records or --stream-shard-seconds of age.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "dynamodb/context.h"
#include "dynamodb/store.h"

namespace localaws {
class EmuClock;
}

namespace localaws::ddb::streams {

// Process-wide settings, set once by the service before it serves requests.
struct Options {
  const EmuClock* clock = nullptr;  // nullptr: real time
  int64_t shard_records = 100000;   // records per shard before a child shard opens
  int64_t shard_age_ms = 0;         // age of a shard before a child opens on the next write; 0 = never
};
void configure(const Options& o);
int64_t now_ms();  // the emulator clock

constexpr int64_t kRetentionMs = 24LL * 3600 * 1000;
constexpr int64_t kIteratorLifetimeMs = 15LL * 60 * 1000;

bool enabled(const Table& t);
// Writes the stream record of one item change (old -> new; nullopt = absent) when the table's
// stream is enabled and the item really changed. by_ttl: a time-to-live deletion (userIdentity).
void record_change(storage::Connection& c, const Table& t, const std::optional<json>& old_item,
                   const std::optional<json>& new_item, bool by_ttl = false);

// CreateTable / UpdateTable: validates a StreamSpecification member; nullopt when absent.
struct Spec {
  bool enabled = false;
  std::string view_type;
};
std::optional<Spec> read_spec(const json& in);
// Opens a new stream for t (sets meta StreamSpecification / LatestStreamArn / LatestStreamLabel;
// the caller saves meta), or closes the current one.
void enable(storage::Connection& c, const Ctx& ctx, Table& t, const std::string& view_type);
void disable(storage::Connection& c, Table& t);
// The table members DescribeTable shows (StreamSpecification, LatestStreamArn, LatestStreamLabel).
void describe_into(const Table& t, json& d);

// Deletes records older than the retention, then empty expired shards and streams, in bounded
// transactions. Returns the number of records deleted.
size_t trim(storage::Database& db, int64_t now_ms);

// Streams API (streams_api.cc).
json list_streams(Ctx&);
json describe_stream(Ctx&);
json get_shard_iterator(Ctx&);
json get_records(Ctx&);
// The stream a ShardIterator reads (nullopt when it is not one of ours); resource_access.cc
// checks the stream's policy before GetRecords.
std::optional<std::string> iterator_stream_arn(const std::string& iterator);

// Sequence numbers on the wire: 21 digits, "1" then the counter zero-padded to 20.
std::string seq_text(int64_t seq);
std::optional<int64_t> parse_seq(const std::string& s);

}  // namespace localaws::ddb::streams
