// How shops are ranked: a Bayesian average of star ratings. Every shop starts as if it had
// kPriorVotes votes of kPriorMean stars, so one 5-star vote does not beat fifty 4.8s:
//   score = (kPriorVotes * kPriorMean + stars_total) / (kPriorVotes + votes)
// The prior is a constant (not the live mean of all shops) so that a shop's score depends only on
// its own votes: it is stored with the shop and a DynamoDB index sorted by it serves "top shops".
#pragma once
#include <cstdint>
#include <string>

namespace ranker {

constexpr double kPriorMean = 3.0;
constexpr int64_t kPriorVotes = 5;

// REQUIRES: votes >= 0 and stars_total in [votes, 5 * votes].
double bayesian_score(int64_t votes, int64_t stars_total);
// The plain mean of the stars, 0 with no votes.
double average_rating(int64_t votes, int64_t stars_total);
// A DynamoDB number with fixed precision, so equal scores compare equal in the index.
std::string score_number(double score);

}  // namespace ranker
