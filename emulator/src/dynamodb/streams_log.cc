// The write side of DynamoDB Streams: stream records written in the item change's transaction,
// shards and their rollover, enabling / disabling a table's stream, and the retention sweep.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
#include <atomic>
#include <chrono>
#include <cstdio>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/time.h"
#include "dynamodb/item_common.h"
#include "dynamodb/params.h"
#include "dynamodb/streams.h"
#include "dynamodb/value.h"

namespace localaws::ddb::streams {
using storage::Connection;

namespace {
std::atomic<const EmuClock*> g_clock{nullptr};
std::atomic<int64_t> g_shard_records{100000};
std::atomic<int64_t> g_shard_age_ms{0};

std::string new_shard_id(int64_t now) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(now));
  return std::string("shardId-") + buf + "-" + random_hex(4);
}

void insert_shard(Connection& c, const std::string& arn, const std::string& id, const std::optional<std::string>& parent,
                  int64_t start_seq, int64_t now) {
  auto& st = c.prepare(
      "INSERT INTO ddb_stream_shards(stream_arn, shard_id, parent_id, start_seq, end_seq, records, created_ms,"
      " trimmed_seq) VALUES(?,?,?,?,NULL,0,?,0)");
  st.bind(1, arn).bind(2, id);
  if (parent) st.bind(3, *parent);
  else st.bind_null(3);
  st.bind(4, start_seq).bind(5, now);
  st.run();
}

struct OpenShard {
  std::string id;
  int64_t records = 0, created_ms = 0;
};

std::optional<OpenShard> open_shard(Connection& c, const std::string& arn) {
  auto& st = c.prepare("SELECT shard_id, records, created_ms FROM ddb_stream_shards WHERE stream_arn=? AND end_seq IS NULL");
  st.bind_all(arn);
  if (!st.step()) return std::nullopt;
  OpenShard s{st.col_text(0), st.col_int(1), st.col_int(2)};
  st.reset();
  return s;
}

void close_shard(Connection& c, const std::string& arn, const std::string& shard, int64_t last_seq) {
  c.prepare("UPDATE ddb_stream_shards SET end_seq=? WHERE stream_arn=? AND shard_id=?").bind_all(last_seq, arn, shard).run();
}

// Same attributes with equal values (sets in any order, numbers already normalised).
bool same_item(const json& a, const json& b) {
  if (a == b) return true;
  if (a.size() != b.size()) return false;
  for (auto& [k, v] : a.items()) {
    auto it = b.find(k);
    if (it == b.end() || !values_equal(v, *it)) return false;
  }
  return true;
}

}  // namespace

void configure(const Options& o) {
  g_clock = o.clock;
  g_shard_records = o.shard_records > 0 ? o.shard_records : 100000;
  g_shard_age_ms = o.shard_age_ms;
}

int64_t now_ms() {
  const EmuClock* c = g_clock.load();
  if (c) return c->now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string seq_text(int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "1%020lld", static_cast<long long>(seq));
  return buf;
}

std::optional<int64_t> parse_seq(const std::string& s) {
  if (s.size() != 21 || s[0] != '1') return std::nullopt;
  int64_t v = 0;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    if (v > (INT64_MAX - 9) / 10) return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool enabled(const Table& t) {
  auto it = t.meta.find("StreamSpecification");
  return it != t.meta.end() && it->value("StreamEnabled", false) && t.meta.contains("LatestStreamArn");
}

void record_change(Connection& c, const Table& t, const std::optional<json>& old_item,
                   const std::optional<json>& new_item, bool by_ttl) {
  if (!enabled(t) || (!old_item && !new_item)) return;
  if (old_item && new_item && same_item(*old_item, *new_item)) return;  // a write that changes nothing
  const std::string arn = t.meta["LatestStreamArn"];
  const std::string view = t.meta["StreamSpecification"].value("StreamViewType", "KEYS_ONLY");
  auto& st = c.prepare("SELECT next_seq, region FROM ddb_streams WHERE stream_arn=?");
  st.bind_all(arn);
  if (!st.step()) return;  // cannot happen: enable() writes the row with the meta
  int64_t seq = st.col_int(0);
  std::string region = st.col_text(1);
  st.reset();
  int64_t now = now_ms();
  auto shard = open_shard(c, arn);
  if (!shard || shard->records >= g_shard_records.load() ||
      (g_shard_age_ms.load() > 0 && now - shard->created_ms >= g_shard_age_ms.load())) {
    // Rollover: the open shard closes at the last record and a child shard takes the next one.
    std::optional<std::string> parent;
    if (shard) {
      close_shard(c, arn, shard->id, seq - 1);
      parent = shard->id;
    }
    shard = OpenShard{new_shard_id(now), 0, now};
    insert_shard(c, arn, shard->id, parent, seq, now);
  }
  const json& any = new_item ? *new_item : *old_item;
  json d = {{"ApproximateCreationDateTime", now / 1000}, {"Keys", key_attributes(t, any)},
            {"SequenceNumber", seq_text(seq)}, {"StreamViewType", view}};
  size_t size = item_size(d["Keys"]);
  if (new_item && (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES")) {
    d["NewImage"] = *new_item;
    size += item_size(*new_item);
  }
  if (old_item && (view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES")) {
    d["OldImage"] = *old_item;
    size += item_size(*old_item);
  }
  d["SizeBytes"] = size;
  json r = {{"eventID", random_hex(16)},
            {"eventName", !old_item ? "INSERT" : !new_item ? "REMOVE" : "MODIFY"},
            {"eventVersion", "1.1"},
            {"eventSource", "aws:dynamodb"},
            {"awsRegion", region},
            {"dynamodb", d}};
  if (by_ttl) r["userIdentity"] = {{"PrincipalId", "dynamodb.amazonaws.com"}, {"Type", "Service"}};
  c.prepare("INSERT INTO ddb_stream_records(stream_arn, shard_id, seq, created_ms, record) VALUES(?,?,?,?,?)")
      .bind_all(arn, shard->id, seq, now, r.dump())
      .run();
  c.prepare("UPDATE ddb_stream_shards SET records=records+1 WHERE stream_arn=? AND shard_id=?").bind_all(arn, shard->id).run();
  c.prepare("UPDATE ddb_streams SET next_seq=? WHERE stream_arn=?").bind_all(seq + 1, arn).run();
}

std::optional<Spec> read_spec(const json& in) {
  auto it = in.find("StreamSpecification");
  if (it == in.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) throw DdbError::serialization("Unexpected value type in payload");
  auto on = opt_bool(*it, "StreamEnabled");
  if (!on)
    throw DdbError::validation("1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null");
  Spec s;
  s.enabled = *on;
  s.view_type = enum_param(*it, "StreamViewType", "streamSpecification.streamViewType",
                           {"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"}, "");
  if (s.enabled && s.view_type.empty())
    throw DdbError::validation("One or more parameter values were invalid: StreamViewType is required when StreamEnabled is true");
  if (!s.enabled && !s.view_type.empty())
    throw DdbError::validation("One or more parameter values were invalid: Stream view type cannot be specified when StreamEnabled is false");
  return s;
}

void enable(Connection& c, const Ctx& ctx, Table& t, const std::string& view_type) {
  int64_t now = now_ms();
  std::string label, arn;
  for (int64_t ms = now;; ++ms) {  // a label is a millisecond time: two streams in one ms get the next
    label = iso8601_ms(ms);
    if (!label.empty() && label.back() == 'Z') label.pop_back();
    arn = ctx.arn_prefix() + t.name + "/stream/" + label;
    auto& st = c.prepare("SELECT 1 FROM ddb_streams WHERE stream_arn=?");
    st.bind_all(arn);
    bool taken = st.step();
    st.reset();
    if (!taken) break;
  }
  c.prepare(
       "INSERT INTO ddb_streams(stream_arn, table_id, table_name, account, region, label, view_type, key_schema,"
       " created_ms, next_seq, disabled_ms) VALUES(?,?,?,?,?,?,?,?,?,1,NULL)")
      .bind_all(arn, t.id, t.name, ctx.account, ctx.region, label, view_type, t.meta["KeySchema"].dump(), now)
      .run();
  insert_shard(c, arn, new_shard_id(now), std::nullopt, 1, now);
  t.meta["StreamSpecification"] = {{"StreamEnabled", true}, {"StreamViewType", view_type}};
  t.meta["LatestStreamArn"] = arn;
  t.meta["LatestStreamLabel"] = label;
}

void disable(Connection& c, Table& t) {
  if (!t.meta.contains("LatestStreamArn")) return;
  const std::string arn = t.meta["LatestStreamArn"];
  auto& st = c.prepare("SELECT next_seq FROM ddb_streams WHERE stream_arn=? AND disabled_ms IS NULL");
  st.bind_all(arn);
  if (st.step()) {
    int64_t next = st.col_int(0);
    st.reset();
    if (auto shard = open_shard(c, arn)) close_shard(c, arn, shard->id, next - 1);
    c.prepare("UPDATE ddb_streams SET disabled_ms=? WHERE stream_arn=?").bind_all(now_ms(), arn).run();
  }
  t.meta.erase("StreamSpecification");
}

void describe_into(const Table& t, json& d) {
  if (enabled(t)) d["StreamSpecification"] = t.meta["StreamSpecification"];
  if (t.meta.contains("LatestStreamArn")) {
    d["LatestStreamArn"] = t.meta["LatestStreamArn"];
    d["LatestStreamLabel"] = t.meta["LatestStreamLabel"];
  }
}

size_t trim(storage::Database& db, int64_t now) {
  constexpr int64_t kBatch = 1000;  // records per write transaction: short locks for other writers
  const int64_t cutoff = now - kRetentionMs;
  size_t deleted = 0;
  while (true) {
    int64_t n = db.write([&](Connection& c) {
      struct Victim {
        std::string arn, shard;
        int64_t seq;
      };
      std::vector<Victim> v;
      auto& st = c.prepare("SELECT stream_arn, shard_id, seq FROM ddb_stream_records WHERE created_ms<? LIMIT ?");
      st.bind_all(cutoff, kBatch);
      while (st.step()) v.push_back({st.col_text(0), st.col_text(1), st.col_int(2)});
      st.reset();
      for (auto& x : v) {
        c.prepare("DELETE FROM ddb_stream_records WHERE stream_arn=? AND shard_id=? AND seq=?").bind_all(x.arn, x.shard, x.seq).run();
        c.prepare("UPDATE ddb_stream_shards SET trimmed_seq=MAX(trimmed_seq, ?) WHERE stream_arn=? AND shard_id=?")
            .bind_all(x.seq, x.arn, x.shard)
            .run();
      }
      return static_cast<int64_t>(v.size());
    });
    deleted += static_cast<size_t>(n);
    if (n < kBatch) break;
  }
  db.write([&](Connection& c) {
    // Closed shards older than the retention whose records are all gone, then disabled streams
    // with no shard left.
    c.prepare(
         "DELETE FROM ddb_stream_shards WHERE end_seq IS NOT NULL AND created_ms<? AND NOT EXISTS (SELECT 1 FROM"
         " ddb_stream_records r WHERE r.stream_arn=ddb_stream_shards.stream_arn AND r.shard_id=ddb_stream_shards.shard_id)")
        .bind_all(cutoff)
        .run();
    c.prepare(
         "DELETE FROM ddb_streams WHERE disabled_ms IS NOT NULL AND disabled_ms<? AND NOT EXISTS (SELECT 1 FROM"
         " ddb_stream_shards s WHERE s.stream_arn=ddb_streams.stream_arn)")
        .bind_all(cutoff)
        .run();
  });
  return deleted;
}

}  // namespace localaws::ddb::streams
