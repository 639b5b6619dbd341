// "Did you mean ...?" for mistyped command-line flags and subcommands: the candidate nearest to a
// word by edit distance. (The app shares no code with the emulator, which has its own.)
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ranker {

// The Levenshtein distance: the fewest one-byte insertions, deletions and substitutions that turn
// a into b (case-sensitive; a transposition is two edits).
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to word if it is at most max(2, word.size() / 3) edits away and fewer
// edits than word has bytes; ties go to the earlier candidate. "" when none is that close.
std::string nearest_name(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ranker
