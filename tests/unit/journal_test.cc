// The request journal (server/journal.h): secrets redacted in place, filters, the cursor, and the
// bounds on entries, bytes and kept bodies.
#include <catch2/catch.hpp>

#include "server/journal.h"

using namespace localaws;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

JournalEntry entry(std::string op, int status = 200, std::string body = "") {
  JournalEntry e;
  e.service = "dynamodb";
  e.operation = std::move(op);
  e.status = status;
  e.body = std::move(body);
  return e;
}

}  // namespace

TEST_CASE("journal: signatures, tokens and customer keys are redacted, the rest kept", "[journal]") {
  Headers h = {
      {"host", "localhost:4566"},
      {"authorization", "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, "
                        "SignedHeaders=host;x-amz-date, Signature=0123456789abcdef"},
      {"x-amz-security-token", "session-secret"},
      {"x-amz-server-side-encryption-customer-key", "a2V5"},
      {"x-amz-date", "20240101T000000Z"},
  };
  std::string q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20240101&X-Amz-Signature=feedface&"
                  "X-Amz-Security-Token=tok&versionId=Signature=x";
  redact_secrets(h, q);
  CHECK(h[1].second == "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, "
                       "SignedHeaders=host;x-amz-date, Signature=REDACTED");
  CHECK(h[2].second == "REDACTED");
  CHECK(h[3].second == "REDACTED");
  CHECK(h[4].second == "20240101T000000Z");
  CHECK(h[0].second == "localhost:4566");
  // A parameter's value that merely contains "Signature=" is not a signature.
  CHECK(q == "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20240101&X-Amz-Signature=REDACTED&"
             "X-Amz-Security-Token=REDACTED&versionId=Signature=x");

  Headers v2 = {{"authorization", "AWS AKIDEXAMPLE:c2lnbmF0dXJl"}};
  std::string v2q = "AWSAccessKeyId=test&Signature=abc%2B&Expires=1";
  redact_secrets(v2, v2q);
  CHECK(v2[0].second == "AWS AKIDEXAMPLE:REDACTED");
  CHECK(v2q == "AWSAccessKeyId=test&Signature=REDACTED&Expires=1");
}

TEST_CASE("journal: filters, newest first window and the after cursor", "[journal]") {
  Journal j;
  for (int i = 0; i < 5; ++i) j.add(entry(i % 2 ? "GetItem" : "PutItem", i == 3 ? 400 : 200));
  JournalFilter f;
  f.operations = {"getitem"};
  auto page = j.find(f, 10);
  REQUIRE(page.entries.size() == 2);
  CHECK(page.entries[0].seq == 2);
  CHECK(page.latest_seq == 5);
  f = {};
  f.status_min = 400;
  page = j.find(f, 10);
  REQUIRE(page.entries.size() == 1);
  CHECK(page.entries[0].seq == 4);
  f = {};
  CHECK(j.find(f, 2).entries.front().seq == 4);  // the newest two
  f.after = 1;
  page = j.find(f, 2);  // the first two after the cursor
  CHECK(page.entries.front().seq == 2);
  CHECK(page.more);
  f.after = 3;
  page = j.find(f, 2);
  CHECK(page.entries.size() == 2);
  CHECK_FALSE(page.more);
  j.clear();
  j.add(entry("Scan"));
  CHECK(j.find({}, 10).entries.front().seq == 6);  // seqs go on after a clear
}

TEST_CASE("journal: old bodies go first, then old entries, within the bounds", "[journal]") {
  Journal j(100, 64 << 10, 10 << 10);
  for (int i = 0; i < 10; ++i) j.add(entry("PutItem", 200, std::string(2000, 'x')));
  auto all = j.find({}, 100).entries;
  REQUIRE(all.size() == 10);
  size_t kept = 0;
  for (auto& e : all) kept += e.body.size();
  CHECK(kept <= (10u << 10));
  CHECK(all.front().body_dropped);
  CHECK(all.front().body.empty());
  CHECK_FALSE(all.back().body_dropped);
  CHECK(all.back().body.size() == 2000);

  for (int i = 0; i < 100; ++i) {
    JournalEntry e = entry("GetItem");
    e.headers.emplace_back("x-pad", std::string(4000, 'p'));
    j.add(std::move(e));
  }
  CHECK(j.bytes() <= (64u << 10));
  auto left = j.find({}, 100).entries;
  CHECK(left.size() < 20);
  CHECK(left.back().seq == 110);
}

TEST_CASE("journal: a full ring replaces its oldest entries in order", "[journal]") {
  Journal j(4);
  for (int i = 0; i < 11; ++i) j.add(entry(i % 2 ? "GetItem" : "PutItem"));
  auto all = j.recent(10);
  REQUIRE(all.size() == 4);
  for (size_t i = 0; i < 4; ++i) CHECK(all[i].seq == 8 + i);
  JournalFilter f;
  f.after = 9;
  auto page = j.find(f, 10);
  REQUIRE(page.entries.size() == 2);
  CHECK(page.entries[0].seq == 10);
  CHECK(page.latest_seq == 11);
}
