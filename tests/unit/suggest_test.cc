// "Did you mean --port?": the edit distance and the choice of a suggestion (common/suggest.h).
#include <catch2/catch.hpp>

#include "common/suggest.h"

using namespace localaws;

TEST_CASE("edit_distance is the Levenshtein distance", "[suggest]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("", "port") == 4);
  CHECK(edit_distance("port", "") == 4);
  CHECK(edit_distance("port", "port") == 0);
  CHECK(edit_distance("kitten", "sitting") == 3);  // the textbook case: 2 substitutions, 1 insertion
  CHECK(edit_distance("sitting", "kitten") == 3);  // symmetric
  CHECK(edit_distance("flaw", "lawn") == 2);       // a deletion and an insertion, not 4 substitutions
  CHECK(edit_distance("--prot", "--port") == 2);   // a transposition is two edits
  CHECK(edit_distance("--data_dir", "--data-dir") == 1);
  CHECK(edit_distance("--in-memroy", "--in-memory") == 2);
  CHECK(edit_distance("--pot", "--port") == 1);
  CHECK(edit_distance("--portt", "--port") == 1);
  CHECK(edit_distance("--Port", "--port") == 1);  // case counts
  CHECK(edit_distance("abc", "xyz") == 3);
}

TEST_CASE("nearest_name suggests only names close enough to be a typo", "[suggest]") {
  const std::vector<std::string> flags = {"--help", "--host", "--port", "--data-dir", "--in-memory", "--tls",
                                          "--tls-port", "--tls-ca", "--threads", "--fsync"};
  CHECK(nearest_name("--prot", flags) == "--port");
  CHECK(nearest_name("--hots", flags) == "--host");  // host is 2 away, port 3
  CHECK(nearest_name("-port", flags) == "--port");
  CHECK(nearest_name("--data_dir", flags) == "--data-dir");
  CHECK(nearest_name("--datadir", flags) == "--data-dir");
  CHECK(nearest_name("--in-memroy", flags) == "--in-memory");
  CHECK(nearest_name("--tls-prt", flags) == "--tls-port");
  CHECK(nearest_name("--thread", flags) == "--threads");
  // Nothing close: no suggestion rather than a wild guess.
  CHECK(nearest_name("--verbose", flags).empty());
  CHECK(nearest_name("--bucket", flags).empty());
  CHECK(nearest_name("-x", flags).empty());
  CHECK(nearest_name("", flags).empty());
  CHECK(nearest_name("--prot", {}).empty());
  // Longer words allow more edits (a third of their length).
  CHECK(nearest_name("--max-conections", {"--max-connections"}) == "--max-connections");
  CHECK(nearest_name("--mxa-conections", {"--max-connections"}) == "--max-connections");  // 3 edits of 16
  CHECK(nearest_name("--xyz", {"--abc"}).empty());
  // Ties go to the earlier candidate.
  CHECK(nearest_name("--tlsx", {"--tls", "--tlsy"}) == "--tls");
  CHECK(nearest_name("--tlsx", {"--tlsy", "--tls"}) == "--tlsy");
}
