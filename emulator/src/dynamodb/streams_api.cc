// The DynamoDB Streams API (X-Amz-Target DynamoDBStreams_20120810.*): ListStreams, DescribeStream,
// GetShardIterator, GetRecords.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html
#include "common/crypto.h"
#include "common/strings.h"
#include "dynamodb/params.h"
#include "dynamodb/streams.h"

namespace localaws::ddb::streams {
using storage::Connection;

namespace {

struct Stream {
  std::string arn, table_name, label, view_type, key_schema;
  int64_t created_ms = 0, next_seq = 1;
  bool disabled = false;
};

struct Shard {
  std::string id;
  std::optional<std::string> parent;
  int64_t start_seq = 0;
  std::optional<int64_t> end_seq;  // absent: open
  int64_t trimmed_seq = 0;
};

int64_t limit_param(const json& in, int64_t max, int64_t dflt) {
  auto v = opt_int(in, "Limit");
  if (!v) return dflt;
  if (*v < 1) throw DdbError::constraint(std::to_string(*v), "limit", "Member must have value greater than or equal to 1");
  if (*v > max)
    throw DdbError::constraint(std::to_string(*v), "limit", "Member must have value less than or equal to " + std::to_string(max));
  return *v;
}

const std::string& required_string(const json& in, const char* key, const char* field) {
  const std::string* s = opt_string(in, key);
  if (!s)
    throw DdbError::validation(std::string("1 validation error detected: Value null at '") + field +
                               "' failed to satisfy constraint: Member must not be null");
  return *s;
}

void check_arn(const std::string& arn, const char* field) {
  if (arn.size() < 37 || arn.size() > 1024)
    throw DdbError::constraint(arn, field, "Member must have length between 37 and 1024");
}

// The stream, in the caller's account and region; ResourceNotFoundException otherwise.
Stream must_find_stream(Connection& c, const Ctx& ctx, const std::string& arn) {
  auto& st = c.prepare(
      "SELECT table_name, label, view_type, key_schema, created_ms, next_seq, disabled_ms FROM ddb_streams"
      " WHERE stream_arn=? AND account=? AND region=?");
  st.bind_all(arn, ctx.account, ctx.region);
  if (!st.step()) throw DdbError::resource_not_found("Requested resource not found: Stream: " + arn + " not found");
  Stream s{arn, st.col_text(0), st.col_text(1), st.col_text(2), st.col_text(3), st.col_int(4), st.col_int(5), !st.col_null(6)};
  st.reset();
  return s;
}

Shard shard_from(storage::Statement& st) {
  Shard s;
  s.id = st.col_text(0);
  if (!st.col_null(1)) s.parent = st.col_text(1);
  s.start_seq = st.col_int(2);
  if (!st.col_null(3)) s.end_seq = st.col_int(3);
  s.trimmed_seq = st.col_int(4);
  return s;
}

std::optional<Shard> find_shard(Connection& c, const std::string& arn, const std::string& id) {
  auto& st = c.prepare(
      "SELECT shard_id, parent_id, start_seq, end_seq, trimmed_seq FROM ddb_stream_shards WHERE stream_arn=? AND shard_id=?");
  st.bind_all(arn, id);
  if (!st.step()) return std::nullopt;
  Shard s = shard_from(st);
  st.reset();
  return s;
}

// An iterator: where to read (records with seq >= pos) and when it was issued (emulator clock).
struct Iterator {
  std::string arn, shard;
  int64_t pos = 0, issued_ms = 0;
};

std::string encode(const Iterator& it) {
  json j = {{"a", it.arn}, {"s", it.shard}, {"p", it.pos}, {"t", it.issued_ms}};
  return base64_encode("localaws-shard-iterator:" + j.dump());
}

[[noreturn]] void invalid_iterator() { throw DdbError::validation("Invalid ShardIterator"); }

Iterator decode(const std::string& text) {
  std::string raw;
  static const std::string kTag = "localaws-shard-iterator:";
  if (!base64_decode(text, raw) || raw.rfind(kTag, 0) != 0) invalid_iterator();
  json j = json::parse(raw.substr(kTag.size()), nullptr, false);
  if (!j.is_object() || !j["a"].is_string() || !j["s"].is_string() || !j["p"].is_number_integer() ||
      !j["t"].is_number_integer())
    invalid_iterator();
  return {j["a"], j["s"], j["p"], j["t"]};
}

[[noreturn]] void trimmed() {
  throw DdbError("TrimmedDataAccessException",
                 "The operation attempted to read past the oldest stream record in a shard, or the sequence number "
                 "is older than the stream's 24-hour retention period");
}

}  // namespace

std::optional<std::string> iterator_stream_arn(const std::string& iterator) {
  try {
    return decode(iterator).arn;
  } catch (const DdbError&) {
    return std::nullopt;
  }
}

json list_streams(Ctx& ctx) {
  int64_t limit = limit_param(ctx.in, 100, 100);
  const std::string* table = opt_string(ctx.in, "TableName");
  if (table) check_table_name(*table, "tableName", 3);
  const std::string* after = opt_string(ctx.in, "ExclusiveStartStreamArn");
  if (after) check_arn(*after, "exclusiveStartStreamArn");
  return ctx.db.read([&](Connection& c) {
    std::string sql = "SELECT stream_arn, table_name, label FROM ddb_streams WHERE account=? AND region=?";
    if (table) sql += " AND table_name=?";
    if (after) sql += " AND stream_arn>?";
    sql += " ORDER BY stream_arn LIMIT ?";
    auto& st = c.prepare(sql);
    int i = 1;
    st.bind(i++, ctx.account);
    st.bind(i++, ctx.region);
    if (table) st.bind(i++, *table);
    if (after) st.bind(i++, *after);
    st.bind(i++, limit + 1);
    json list = json::array();
    while (st.step()) list.push_back({{"StreamArn", st.col_text(0)}, {"TableName", st.col_text(1)}, {"StreamLabel", st.col_text(2)}});
    json out = json::object();
    if (static_cast<int64_t>(list.size()) > limit) {
      list.erase(list.begin() + limit, list.end());
      out["LastEvaluatedStreamArn"] = list.back()["StreamArn"];
    }
    out["Streams"] = list;
    return out;
  });
}

json describe_stream(Ctx& ctx) {
  const std::string arn = required_string(ctx.in, "StreamArn", "streamArn");
  check_arn(arn, "streamArn");
  int64_t limit = limit_param(ctx.in, 100, 100);
  const std::string* after = opt_string(ctx.in, "ExclusiveStartShardId");
  if (after && (after->size() < 28 || after->size() > 65))
    throw DdbError::constraint(*after, "exclusiveStartShardId", "Member must have length between 28 and 65");
  return ctx.db.read([&](Connection& c) {
    Stream s = must_find_stream(c, ctx, arn);
    // Shards in creation order (parents before children); the id breaks ties.
    std::string sql =
        "SELECT shard_id, parent_id, start_seq, end_seq, trimmed_seq FROM ddb_stream_shards WHERE stream_arn=?";
    if (after) sql += " AND shard_id>?";
    sql += " ORDER BY shard_id LIMIT ?";
    auto& st = c.prepare(sql);
    int i = 1;
    st.bind(i++, arn);
    if (after) st.bind(i++, *after);
    st.bind(i++, limit + 1);
    json shards = json::array();
    while (st.step()) {
      Shard sh = shard_from(st);
      json range = {{"StartingSequenceNumber", seq_text(sh.start_seq)}};
      if (sh.end_seq) range["EndingSequenceNumber"] = seq_text(*sh.end_seq);
      json j = {{"ShardId", sh.id}, {"SequenceNumberRange", range}};
      if (sh.parent) j["ParentShardId"] = *sh.parent;
      shards.push_back(j);
    }
    json d = {{"StreamArn", arn},
              {"StreamLabel", s.label},
              {"StreamStatus", s.disabled ? "DISABLED" : "ENABLED"},
              {"StreamViewType", s.view_type},
              {"CreationRequestDateTime", static_cast<double>(s.created_ms) / 1000.0},
              {"TableName", s.table_name},
              {"KeySchema", json::parse(s.key_schema)}};
    if (static_cast<int64_t>(shards.size()) > limit) {
      shards.erase(shards.begin() + limit, shards.end());
      d["LastEvaluatedShardId"] = shards.back()["ShardId"];
    }
    d["Shards"] = shards;
    return json{{"StreamDescription", d}};
  });
}

json get_shard_iterator(Ctx& ctx) {
  const std::string arn = required_string(ctx.in, "StreamArn", "streamArn");
  check_arn(arn, "streamArn");
  const std::string shard_id = required_string(ctx.in, "ShardId", "shardId");
  if (shard_id.size() < 28 || shard_id.size() > 65)
    throw DdbError::constraint(shard_id, "shardId", "Member must have length between 28 and 65");
  std::string type = enum_param(ctx.in, "ShardIteratorType", "shardIteratorType",
                                {"TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"}, "");
  if (type.empty()) required_string(ctx.in, "ShardIteratorType", "shardIteratorType");
  const std::string* seq_in = opt_string(ctx.in, "SequenceNumber");
  bool by_seq = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
  std::optional<int64_t> seq;
  if (by_seq) {
    if (!seq_in) throw DdbError::validation("Must specify a sequence number for iterator type " + type);
    if (seq_in->size() < 21 || seq_in->size() > 40)
      throw DdbError::constraint(*seq_in, "sequenceNumber", "Member must have length between 21 and 40");
    seq = parse_seq(*seq_in);
    if (!seq) throw DdbError::validation("Invalid SequenceNumber: " + *seq_in);
  } else if (seq_in) {
    throw DdbError::validation("Sequence number can only be specified for iterator types AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER");
  }
  return ctx.db.read([&](Connection& c) {
    Stream s = must_find_stream(c, ctx, arn);
    auto sh = find_shard(c, arn, shard_id);
    if (!sh)
      throw DdbError::resource_not_found("Requested resource not found: Shard does not exist: " + shard_id);
    int64_t end = sh->end_seq ? *sh->end_seq : s.next_seq - 1;  // last sequence number so far
    Iterator it{arn, shard_id, 0, now_ms()};
    if (type == "TRIM_HORIZON") {
      it.pos = std::max(sh->start_seq, sh->trimmed_seq + 1);
    } else if (type == "LATEST") {
      it.pos = end + 1;
    } else {
      if (*seq < sh->start_seq || (sh->end_seq && *seq > *sh->end_seq) || *seq > end)
        throw DdbError::validation("Invalid SequenceNumber: " + *seq_in + " for shard " + shard_id +
                                   " (it is outside the shard's sequence number range)");
      if (*seq <= sh->trimmed_seq) trimmed();
      it.pos = type == "AT_SEQUENCE_NUMBER" ? *seq : *seq + 1;
    }
    return json{{"ShardIterator", encode(it)}};
  });
}

json get_records(Ctx& ctx) {
  const std::string text = required_string(ctx.in, "ShardIterator", "shardIterator");
  if (text.empty() || text.size() > 2048)
    throw DdbError::constraint(text, "shardIterator", "Member must have length between 1 and 2048");
  int64_t limit = limit_param(ctx.in, 1000, 1000);
  Iterator it = decode(text);
  int64_t now = now_ms();
  if (now - it.issued_ms > kIteratorLifetimeMs || now < it.issued_ms - kIteratorLifetimeMs)
    throw DdbError("ExpiredIteratorException", "Iterator expired. The iterator was created at time " +
                                                   std::to_string(it.issued_ms) + " while right now the time is " +
                                                   std::to_string(now));
  return ctx.db.read([&](Connection& c) {
    must_find_stream(c, ctx, it.arn);
    auto sh = find_shard(c, it.arn, it.shard);
    if (!sh) throw DdbError::resource_not_found("Requested resource not found: Shard does not exist: " + it.shard);
    if (it.pos <= sh->trimmed_seq) trimmed();
    auto& st = c.prepare(
        "SELECT seq, record FROM ddb_stream_records WHERE stream_arn=? AND shard_id=? AND seq>=? ORDER BY seq LIMIT ?");
    st.bind_all(it.arn, it.shard, it.pos, limit);
    json records = json::array();
    int64_t next = it.pos;
    while (st.step()) {
      next = st.col_int(0) + 1;
      records.push_back(json::parse(st.col_text(1)));
    }
    json out = {{"Records", records}};
    // A closed shard read to its end has no next iterator: the consumer moves to the child shards.
    if (!sh->end_seq || next <= *sh->end_seq) out["NextShardIterator"] = encode({it.arn, it.shard, next, now});
    return out;
  });
}

}  // namespace localaws::ddb::streams
