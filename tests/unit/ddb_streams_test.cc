// DynamoDB Streams pieces without a server: sequence number text, StreamSpecification
// validation, and the records record_change() writes in the caller's transaction.
#include <catch2/catch.hpp>

#include "dynamodb/store.h"
#include "dynamodb/streams.h"

using namespace localaws;
using namespace localaws::ddb;

TEST_CASE("ddb streams: sequence numbers are fixed-width increasing digit strings", "[ddb]") {
  CHECK(streams::seq_text(1) == "100000000000000000001");
  CHECK(streams::seq_text(42).size() == 21);
  CHECK(streams::seq_text(9) < streams::seq_text(10));  // text order is numeric order
  CHECK(streams::parse_seq(streams::seq_text(123456789)) == 123456789);
  CHECK_FALSE(streams::parse_seq("200000000000000000001"));
  CHECK_FALSE(streams::parse_seq("10000000000000000000a"));
  CHECK_FALSE(streams::parse_seq("1"));
}

namespace {
std::string spec_error(const char* text) {
  try {
    streams::read_spec(json::parse(text));
    return "ok";
  } catch (const DdbError& e) {
    return e.type();
  }
}
}  // namespace

TEST_CASE("ddb streams: StreamSpecification validation", "[ddb]") {
  CHECK(spec_error(R"({})") == "ok");
  CHECK(spec_error(R"({"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}})") == "ok");
  CHECK(spec_error(R"({"StreamSpecification":{"StreamEnabled":false}})") == "ok");
  CHECK(spec_error(R"({"StreamSpecification":{"StreamEnabled":true}})") == "ValidationException");
  CHECK(spec_error(R"({"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"ALL"}})") == "ValidationException");
  CHECK(spec_error(R"({"StreamSpecification":{"StreamViewType":"KEYS_ONLY"}})") == "ValidationException");
  CHECK(spec_error(R"({"StreamSpecification":"yes"})") == "SerializationException");
}

TEST_CASE("ddb streams: records follow item changes, no-ops write none", "[ddb]") {
  storage::Database db("", false);
  store::migrate(db);
  Table t;
  t.name = "t";
  t.id = "tid";
  t.hash_key = "pk";
  t.hash_type = "S";
  t.meta = json::parse(R"({"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"OLD_IMAGE"},
      "LatestStreamArn":"arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x","LatestStreamLabel":"x"})");
  const std::string arn = t.meta["LatestStreamArn"];
  db.write([&](storage::Connection& c) {
    c.prepare("INSERT INTO ddb_streams VALUES(?,?,?,?,?,?,?,?,0,1,NULL)")
        .bind_all(arn, t.id, t.name, "000000000000", "us-east-1", "x", "OLD_IMAGE", t.meta["KeySchema"].dump())
        .run();
  });
  json a = json::parse(R"({"pk":{"S":"a"},"v":{"N":"1"}})");
  json b = json::parse(R"({"pk":{"S":"a"},"v":{"N":"2"}})");
  db.write([&](storage::Connection& c) {
    store::put_item(c, t, {"a", ""}, a, 10);
    store::put_item(c, t, {"a", ""}, a, 10);  // no change: no record
    store::put_item(c, t, {"a", ""}, b, 10);
    store::delete_item(c, t, {"a", ""}, /*by_ttl=*/true);
    store::delete_item(c, t, {"a", ""});  // nothing to delete: no record
  });
  std::vector<json> recs;
  db.read([&](storage::Connection& c) {
    auto& st = c.prepare("SELECT record FROM ddb_stream_records ORDER BY seq");
    while (st.step()) recs.push_back(json::parse(st.col_text(0)));
  });
  REQUIRE(recs.size() == 3);
  CHECK(recs[0]["eventName"] == "INSERT");
  CHECK_FALSE(recs[0]["dynamodb"].contains("OldImage"));
  CHECK(recs[1]["eventName"] == "MODIFY");
  CHECK(recs[1]["dynamodb"]["OldImage"] == a);
  CHECK_FALSE(recs[1]["dynamodb"].contains("NewImage"));
  CHECK(recs[2]["eventName"] == "REMOVE");
  CHECK(recs[2]["userIdentity"]["Type"] == "Service");
  CHECK(recs[2]["dynamodb"]["Keys"] == json::parse(R"({"pk":{"S":"a"}})"));
  CHECK(recs[0]["dynamodb"]["SequenceNumber"] < recs[1]["dynamodb"]["SequenceNumber"]);
}
