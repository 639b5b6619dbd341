// "Did you mean ...?": the candidate nearest to a mistyped name (a command-line flag), by edit
// distance.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace localaws {

// The Levenshtein distance: the fewest one-byte insertions, deletions and substitutions that turn
// a into b (case-sensitive; "prot" -> "port" is 2, a transposition being two substitutions).
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to word when it is close enough to be a typo of it: at most
// max(2, word.size() / 3) edits, and fewer edits than word has bytes (so "-x" suggests nothing
// just because every two-byte name is two edits away). Ties go to the earlier candidate. Returns
// "" when none is close enough.
std::string nearest_name(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace localaws
