// The ranker's pure logic: Bayesian ranking, image sniffing, settings.
#include <catch2/catch.hpp>
#include <map>

#include "ranker/image.h"
#include "ranker/ranking.h"
#include "ranker/settings.h"

using Catch::Detail::Approx;

TEST_CASE("ranking: one 5-star vote does not beat fifty 4.8s", "[ranking]") {
  double one_five = ranker::bayesian_score(1, 5);
  double fifty = ranker::bayesian_score(50, 240);  // fifty votes averaging 4.8
  CHECK(fifty > one_five);
  CHECK(ranker::average_rating(1, 5) > ranker::average_rating(50, 240));
}

TEST_CASE("ranking: the prior pulls toward the prior mean and fades with votes", "[ranking]") {
  CHECK(ranker::bayesian_score(0, 0) == Approx(ranker::kPriorMean));
  CHECK(ranker::bayesian_score(1, 5) == Approx((5 * 3.0 + 5) / 6));
  CHECK(ranker::bayesian_score(1000, 5000) == Approx(5.0).epsilon(0.01));
  CHECK(ranker::bayesian_score(1, 1) < ranker::kPriorMean);
  CHECK(ranker::average_rating(0, 0) == 0.0);
  CHECK(ranker::average_rating(4, 18) == Approx(4.5));
  CHECK(ranker::score_number(3.0) == "3.000000");
}

TEST_CASE("image: sniffed by magic bytes, not by name", "[image]") {
  using namespace std::string_literals;
  CHECK(ranker::sniff_image("\xFF\xD8\xFF\xE0rest"s)->mime == "image/jpeg");
  CHECK(ranker::sniff_image("\x89PNG\r\n\x1A\n...."s)->extension == "png");
  CHECK(ranker::sniff_image("RIFF\x10\0\0\0WEBPVP8 "s)->mime == "image/webp");
  CHECK_FALSE(ranker::sniff_image("RIFF\x10\0\0\0WAVEfmt "s));
  CHECK_FALSE(ranker::sniff_image("GIF89a......"));
  CHECK_FALSE(ranker::sniff_image("<svg xmlns=...>"));
  CHECK_FALSE(ranker::sniff_image("\xFF\xD8"s));  // too short
  CHECK_FALSE(ranker::sniff_image(""));
}

TEST_CASE("settings: defaults, RANKER_* variables and the default bucket name", "[settings]") {
  auto env = [](std::map<std::string, std::string> m) {
    return [m](const std::string& n) -> std::optional<std::string> {
      auto it = m.find(n);
      return it == m.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  aws::Credentials creds{"AKIDEXAMPLE", "s", ""};
  auto d = ranker::settings_from_env(env({}), creds);
  CHECK(d.bucket.rfind("coffeeshopranker-", 0) == 0);
  CHECK(d.bucket.size() == std::string("coffeeshopranker-").size() + 12);
  CHECK(d.bucket == ranker::default_bucket_name(creds));  // stable for one key
  CHECK(d.bucket != ranker::default_bucket_name({"OTHERKEY", "s", ""}));
  CHECK(ranker::default_bucket_name({}) == "coffeeshopranker-local");
  CHECK(d.shops_table == "ranker-shops");
  CHECK(d.port == 8080);
  auto s = ranker::settings_from_env(env({{"RANKER_BUCKET", "b"}, {"RANKER_SHOPS_TABLE", "s"}, {"RANKER_PORT", "0"},
                                          {"RANKER_PUBLIC_URL_BASE", "http://cdn/"}}),
                                     creds);
  CHECK(s.bucket == "b");
  CHECK(s.shops_table == "s");
  CHECK(s.port == 0);
  CHECK(s.public_url_base == "http://cdn");
  CHECK_THROWS_AS(ranker::settings_from_env(env({{"RANKER_PORT", "99999"}}), creds), aws::ConfigError);
}
