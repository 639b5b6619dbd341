// Time formats AWS uses: SigV4's basic ISO 8601, S3's ISO 8601 with milliseconds, HTTP dates.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace localaws {

using Clock = std::chrono::system_clock;

int64_t now_ms();
std::string iso8601_basic(int64_t epoch_s);       // 20150830T123600Z
std::string iso8601_ms(int64_t epoch_ms);         // 2015-08-30T12:36:00.000Z
std::string http_date(int64_t epoch_s);           // Sun, 30 Aug 2015 12:36:00 GMT
std::optional<int64_t> parse_iso8601_basic(std::string_view s);  // -> epoch seconds
std::optional<int64_t> parse_iso8601(std::string_view s);        // 2015-08-30T12:36:00(.000)Z
std::optional<int64_t> parse_http_date(std::string_view s);      // RFC 1123 (and RFC 850/asctime)

}  // namespace localaws
