#include "common/time.h"

#include <ctime>
#include <cstdio>
#include <cstring>

namespace localaws {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

// UTC calendar fields by arithmetic (gmtime_r takes the time-zone lock on every call, and a
// listing formats a date per entry). Days since 1970-01-01 map to the proleptic Gregorian calendar
// through 400-year eras of 146,097 days, counted from 0000-03-01 so that the leap day ends a year.
// tm_yday and tm_isdst are left 0 (no format here uses them).
static std::tm utc(int64_t s) {
  int64_t days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
  int64_t secs = s - days * 86400;
  std::tm tm{};
  tm.tm_hour = static_cast<int>(secs / 3600);
  tm.tm_min = static_cast<int>(secs % 3600 / 60);
  tm.tm_sec = static_cast<int>(secs % 60);
  tm.tm_wday = static_cast<int>((days % 7 + 11) % 7);  // 1970-01-01 was a Thursday (4)
  int64_t z = days + 719468;                           // days since 0000-03-01
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;                                     // day of the era, 0-146096
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // year of the era, 0-399
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              // day of the March year, 0-365
  int64_t mp = (5 * doy + 2) / 153;                                   // month from March, 0-11
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  tm.tm_mday = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  tm.tm_mon = static_cast<int>(month - 1);
  tm.tm_year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0) - 1900);
  return tm;
}

std::string iso8601_basic(int64_t epoch_s) {
  std::tm tm = utc(epoch_s);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Fixed-width decimal digits: listings format a date per entry, and strftime/snprintf cost
// more than the rest of the entry.
static void digits(char* out, int v, int n) {
  for (int i = n - 1; i >= 0; i--, v /= 10) out[i] = static_cast<char>('0' + v % 10);
}

std::string iso8601_ms(int64_t epoch_ms) {
  int64_t s = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  std::tm tm = utc(s);
  int year = tm.tm_year + 1900;
  if (year >= 0 && year <= 9999) {
    char out[25] = "0000-00-00T00:00:00.000Z";
    digits(out, year, 4);
    digits(out + 5, tm.tm_mon + 1, 2);
    digits(out + 8, tm.tm_mday, 2);
    digits(out + 11, tm.tm_hour, 2);
    digits(out + 14, tm.tm_min, 2);
    digits(out + 17, tm.tm_sec, 2);
    digits(out + 20, static_cast<int>(epoch_ms - s * 1000), 3);
    return std::string(out, 24);
  }
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(epoch_ms - s * 1000));
  return out;
}

std::string http_date(int64_t epoch_s) {
  std::tm tm = utc(epoch_s);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int year = tm.tm_year + 1900;
  if (year >= 0 && year <= 9999) {
    char out[30] = "Thu, 01 Jan 1970 00:00:00 GMT";
    std::memcpy(out, kDays[tm.tm_wday], 3);
    digits(out + 5, tm.tm_mday, 2);
    std::memcpy(out + 8, kMonths[tm.tm_mon], 3);
    digits(out + 12, year, 4);
    digits(out + 17, tm.tm_hour, 2);
    digits(out + 20, tm.tm_min, 2);
    digits(out + 23, tm.tm_sec, 2);
    return std::string(out, 29);
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

static std::optional<int64_t> from_tm(std::tm tm) {
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60)
    return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

std::optional<int64_t> parse_iso8601_basic(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  std::string str(s);
  std::tm tm{};
  const char* end = strptime(str.c_str(), "%Y%m%dT%H%M%SZ", &tm);
  if (!end || *end) return std::nullopt;
  return from_tm(tm);
}

std::optional<int64_t> parse_iso8601(std::string_view s) {
  std::string str(s);
  std::tm tm{};
  const char* end = strptime(str.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end) return std::nullopt;
  if (*end == '.') {
    end++;
    while (*end >= '0' && *end <= '9') end++;
  }
  if (std::strcmp(end, "Z") != 0 && std::strcmp(end, "+00:00") != 0) return std::nullopt;
  return from_tm(tm);
}

std::optional<int64_t> parse_http_date(std::string_view s) {
  std::string str(s);
  for (const char* fmt : {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %d %H:%M:%S %Y"}) {
    std::tm tm{};
    const char* end = strptime(str.c_str(), fmt, &tm);
    if (end && *end == '\0') return from_tm(tm);
  }
  // RFC 2822's numeric zone ("Wed, 02 Dec 2026 17:06:52 +0000"), as s3cmd sends x-amz-date in
  // its SigV2 mode.
  std::tm tm{};
  const char* end = strptime(str.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  int hh = 0, mm = 0;
  char sign = 0;
  if (end && std::sscanf(end, " %c%2d%2d", &sign, &hh, &mm) == 3 && (sign == '+' || sign == '-') &&
      std::strlen(end) == 6 && hh < 24 && mm < 60) {
    int64_t offset = (hh * 3600 + mm * 60) * (sign == '+' ? 1 : -1);
    auto t = from_tm(tm);
    if (!t) return std::nullopt;
    return *t - offset;
  }
  return std::nullopt;
}

}  // namespace localaws
