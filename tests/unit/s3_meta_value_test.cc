// User metadata values: RFC 2047 decoding when stored, encoding when returned (s3/meta_value.h).
#include <catch2/catch.hpp>

#include "s3/meta_value.h"

using localaws::s3::returned_meta_value;
using localaws::s3::stored_meta_value;

TEST_CASE("s3 metadata values are stored as UTF-8 with encoded words decoded", "[s3][metadata]") {
  struct Case {
    std::string sent, stored;
  };
  const Case cases[] = {
      {"plain ascii", "plain ascii"},
      {"caf\xc3\xa9", "caf\xc3\xa9"},                        // UTF-8 bytes kept
      {"caf\xe9", "caf\xc3\xa9"},                            // ISO-8859-1 byte read as such
      {"=?UTF-8?B?Y2Fmw6k=?=", "caf\xc3\xa9"},               // B word
      {"=?utf-8?q?caf=C3=A9_noir?=", "caf\xc3\xa9 noir"},    // Q word, '_' is a space
      {"=?ISO-8859-1?Q?caf=E9?=", "caf\xc3\xa9"},            // other charset
      {"a =?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?= b", "a \xc3\xa9\xc3\xa9 b"},  // space between words dropped
      {"=?UTF-8?B?not base64!?=", "=?UTF-8?B?not base64!?="},  // malformed: kept as sent
      {"=?KOI8-R?B?w6k=?=", "=?KOI8-R?B?w6k=?="},            // charset S3 does not decode
      {"=?UTF-8?Q?bad=Z1?=", "=?UTF-8?Q?bad=Z1?="},
      {"a =? b", "a =? b"},                                  // no word at all
  };
  for (auto& c : cases) {
    INFO(c.sent);
    CHECK(stored_meta_value(c.sent) == c.stored);
  }
}

TEST_CASE("s3 metadata values with non-ASCII characters are returned as one B word", "[s3][metadata]") {
  CHECK(returned_meta_value("plain") == "plain");
  CHECK(returned_meta_value("") == "");
  CHECK(returned_meta_value("caf\xc3\xa9") == "=?UTF-8?B?Y2Fmw6k=?=");
  // round trip
  CHECK(stored_meta_value(returned_meta_value("\xe2\x82\xac 5")) == "\xe2\x82\xac 5");
}
