// Small string helpers shared by every protocol layer.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace localaws {

std::string to_lower(std::string_view s);
std::string trim(std::string_view s);
// Trims and folds internal runs of spaces to one, as SigV4 canonical header values require.
std::string collapse_spaces(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool starts_with(std::string_view s, std::string_view prefix);
std::vector<std::string> split(std::string_view s, char sep);

// Percent-decoding. With plus_as_space, '+' decodes to ' ' (query strings; S3 paths).
// Returns nullopt on a malformed escape ("%zz", truncated "%4").
std::optional<std::string> uri_decode(std::string_view s, bool plus_as_space = false);
// RFC 3986 unreserved characters pass; everything else becomes %XX (upper-case hex), as SigV4
// requires. With keep_slash, '/' passes unencoded (paths).
std::string uri_encode(std::string_view s, bool keep_slash = false);

// Query string "a=1&b&c=" -> [(a,1),(b,""),(c,"")], decoded. Malformed escapes -> nullopt.
using QueryParams = std::vector<std::pair<std::string, std::string>>;
std::optional<QueryParams> parse_query(std::string_view query);

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool valid_utf8(std::string_view s);

// Parses a whole unsigned decimal (no sign, no spaces). Returns nullopt on anything else or overflow.
std::optional<uint64_t> parse_u64(std::string_view s);
std::optional<int64_t> parse_i64(std::string_view s);

}  // namespace localaws
