// The ranker's "did you mean" for command-line typos (ranker/suggest.h).
#include <catch2/catch.hpp>

#include "ranker/suggest.h"

TEST_CASE("suggest: edit distance", "[suggest]") {
  CHECK(ranker::edit_distance("", "") == 0);
  CHECK(ranker::edit_distance("", "serve") == 5);
  CHECK(ranker::edit_distance("serve", "") == 5);
  CHECK(ranker::edit_distance("kitten", "sitting") == 3);
  CHECK(ranker::edit_distance("sitting", "kitten") == 3);
  CHECK(ranker::edit_distance("flaw", "lawn") == 2);
  CHECK(ranker::edit_distance("--prot", "--port") == 2);
  CHECK(ranker::edit_distance("serv", "serve") == 1);
  CHECK(ranker::edit_distance("--bukcet", "--bucket") == 2);
}

TEST_CASE("suggest: the nearest flag or subcommand, or nothing", "[suggest]") {
  const std::vector<std::string> names = {"--bucket", "--shops-table", "--ratings-table", "--port", "init", "serve",
                                          "seed"};
  CHECK(ranker::nearest_name("--prot", names) == "--port");
  CHECK(ranker::nearest_name("--buckt", names) == "--bucket");
  CHECK(ranker::nearest_name("--shop-table", names) == "--shops-table");
  CHECK(ranker::nearest_name("serv", names) == "serve");
  CHECK(ranker::nearest_name("intt", names) == "init");
  CHECK(ranker::nearest_name("--verbose", names).empty());
  CHECK(ranker::nearest_name("8080", names).empty());
  CHECK(ranker::nearest_name("-x", names).empty());
}
