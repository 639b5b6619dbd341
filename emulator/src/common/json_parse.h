// JSON text to nlohmann::json, through simdjson when it can: the same value json::parse would
// give (numbers that fit 64 bits as integers, non-negative ones unsigned, the last of duplicate
// members kept), at a fraction of the cost. Anything simdjson refuses (invalid JSON or UTF-8,
// integers beyond 64 bits, deeper than 1024) goes to nlohmann's parser, so errors and edge
// cases are nlohmann's exactly.
#pragma once
#include <nlohmann/json.hpp>

#include <string_view>

namespace localaws {

// As nlohmann::json::parse(text, nullptr, false): a discarded value when text is not JSON.
nlohmann::json parse_json(std::string_view text);

}  // namespace localaws
