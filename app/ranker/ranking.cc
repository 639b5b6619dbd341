#include "ranker/ranking.h"

#include <cstdio>

namespace ranker {

double bayesian_score(int64_t votes, int64_t stars_total) {
  return (kPriorVotes * kPriorMean + static_cast<double>(stars_total)) / static_cast<double>(kPriorVotes + votes);
}

double average_rating(int64_t votes, int64_t stars_total) {
  return votes == 0 ? 0.0 : static_cast<double>(stars_total) / static_cast<double>(votes);
}

std::string score_number(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", score);
  return buf;
}

}  // namespace ranker
