// ImportTable's source formats (import_formats.cc): CSV with RFC 4180 quoting, header lines and
// HeaderList, key attributes typed per AttributeDefinitions; DynamoDB JSON lines; decoding.
#include <catch2/catch.hpp>

#include "common/compression.h"
#include "dynamodb/exports.h"

using localaws::ddb::decode_source;
using localaws::ddb::ImportFormat;
using localaws::ddb::json;
using localaws::ddb::parse_records;
using localaws::ddb::Table;

namespace {
Table table() {
  Table t;
  t.name = "t";
  t.meta = json::parse(R"({"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "N"}, {"AttributeName": "g", "AttributeType": "S"}]})");
  t.hash_key = "id";
  t.hash_type = "N";
  return t;
}

// Each record as its item's JSON, or "error: <why>".
std::vector<std::string> records(const ImportFormat& f, const std::string& text) {
  std::vector<std::string> out;
  parse_records(f, table(), text, [&](json* item, const std::string& error) {
    out.push_back(item ? item->dump() : "error: " + error);
  });
  return out;
}
}  // namespace

TEST_CASE("CSV: header line, quotes, CRLF, typed keys, empty fields left out") {
  ImportFormat f;
  f.format = "CSV";
  auto r = records(f, "id,name,note\r\n1,\"Smith, \"\"Al\"\"\",\"two\nlines\"\r\n2,,x\n\n3,y\n");
  REQUIRE(r.size() == 3);
  CHECK(r[0] == R"({"id":{"N":"1"},"name":{"S":"Smith, \"Al\""},"note":{"S":"two\nlines"}})");
  CHECK(r[1] == R"({"id":{"N":"2"},"note":{"S":"x"}})");
  CHECK(r[2].rfind("error: The CSV line has 2 values but the header has 3", 0) == 0);
}

TEST_CASE("CSV: HeaderList makes the first line data; other delimiters") {
  ImportFormat f;
  f.format = "CSV";
  f.delimiter = '\t';
  f.header = {"id", "g"};
  auto r = records(f, "5\tgreen\n6\tblue");
  REQUIRE(r.size() == 2);
  CHECK(r[0] == R"({"g":{"S":"green"},"id":{"N":"5"}})");
  CHECK(r[1] == R"({"g":{"S":"blue"},"id":{"N":"6"}})");
}

TEST_CASE("DynamoDB JSON lines: items, blank lines skipped, bad lines reported") {
  ImportFormat f;
  auto r = records(f, "{\"Item\": {\"id\": {\"N\": \"1\"}}}\n\n  \nnot json\n{\"Keys\": {}}\n");
  REQUIRE(r.size() == 3);
  CHECK(r[0] == R"({"id":{"N":"1"}})");
  CHECK(r[1].rfind("error: ", 0) == 0);
  CHECK(r[2] == "error: The line has no Item object");
}

TEST_CASE("Sources decode per InputCompressionType") {
  std::string why;
  CHECK(decode_source("NONE", "abc", 100, &why) == std::optional<std::string>("abc"));
  auto gz = localaws::compression::compress(localaws::compression::Coding::kGzip, "hello\n");
  CHECK(decode_source("GZIP", gz, 100, &why) == std::optional<std::string>("hello\n"));
  CHECK(!decode_source("GZIP", "not gzip", 100, &why));
  CHECK(!decode_source("ZSTD", "not zstd", 100, &why));
  CHECK(why.find("ZSTD") != std::string::npos);
  CHECK(decode_source("ZSTD", "", 100, &why) == std::optional<std::string>(""));
}

TEST_CASE("Ion records: written as AWS maps the types, read back the same") {
  json item = json::parse(R"({"s": {"S": "a \"q\"\n\u00e9"}, "n": {"N": "103"}, "e": {"N": "1.5E3"},
    "b": {"B": "aGk="}, "t": {"BOOL": true}, "z": {"NULL": true}, "odd name": {"SS": ["x", "y"]},
    "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": ["AQ=="]}, "l": {"L": [{"S": "v"}, {"M": {"k": {"N": "-2"}}}]}})");
  std::string line = localaws::ddb::ion_record({{"Item", item}});
  CHECK(line.rfind("$ion_1_0 {Item:{", 0) == 0);
  CHECK(line.find("n:103.") != std::string::npos);
  CHECK(line.find("e:1.5d3") != std::string::npos);
  CHECK(line.find("b:{{aGk=}}") != std::string::npos);
  CHECK(line.find("'odd name':$dynamodb_SS::[\"x\",\"y\"]") != std::string::npos);
  std::string why;
  auto back = localaws::ddb::parse_ion_record(line, &why);
  REQUIRE(back);
  json expected = item;
  expected["e"] = {{"N", "1.5E3"}};
  CHECK((*back)["Item"] == expected);
  CHECK(!localaws::ddb::parse_ion_record("$ion_1_0 {Item:{a:\"unterminated}}", &why));
  CHECK(why.find("not valid Ion") != std::string::npos);
  auto escaped = localaws::ddb::parse_ion_record("{Item:{a:\"\\u00e9\\x41\\t\", /* c */ b:null.string}}", &why);
  REQUIRE(escaped);
  CHECK((*escaped)["Item"] == json::parse(R"({"a": {"S": "\u00e9A\t"}, "b": {"NULL": true}})"));
}
