#include "common/clock.h"

#include <cctype>

#include "common/time.h"

namespace localaws {

int64_t EmuClock::now_ms() const {
  int64_t f = frozen_at_.load();
  return f != kRunning ? f : localaws::now_ms() + offset_ms_.load();
}

void EmuClock::advance(int64_t ms) {
  int64_t f = frozen_at_.load();
  if (f != kRunning) frozen_at_.store(f + ms);
  offset_ms_.fetch_add(ms);
}

void EmuClock::set(int64_t epoch_ms) {
  offset_ms_.store(epoch_ms - localaws::now_ms());
  if (frozen()) frozen_at_.store(epoch_ms);
}

void EmuClock::freeze(bool on) {
  if (on == frozen()) return;
  if (on) {
    frozen_at_.store(now_ms());
  } else {
    offset_ms_.store(frozen_at_.load() - localaws::now_ms());
    frozen_at_.store(kRunning);
  }
}

void EmuClock::reset() {
  frozen_at_.store(kRunning);
  offset_ms_.store(0);
}

int64_t EmuClock::offset_ms() const { return now_ms() - localaws::now_ms(); }

std::optional<int64_t> parse_duration_ms(std::string_view s) {
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  int64_t total = 0;
  int components = 0;
  constexpr int64_t kMax = int64_t{1} << 50;  // ~35,000 years: no overflow below
  while (!s.empty()) {
    size_t i = 0;
    int64_t n = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      n = n * 10 + (s[i] - '0');
      if (n > kMax) return std::nullopt;
      i++;
    }
    if (i == 0) return std::nullopt;
    size_t j = i;
    while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) j++;
    std::string_view unit = s.substr(i, j - i);
    int64_t scale;
    if (unit == "ms") scale = 1;
    else if (unit.empty() || unit == "s") scale = 1000;
    else if (unit == "m") scale = 60'000;
    else if (unit == "h") scale = 3'600'000;
    else if (unit == "d") scale = 86'400'000;
    else if (unit == "w") scale = 7 * 86'400'000LL;
    else return std::nullopt;
    if (unit.empty() && (j != s.size() || components > 0)) return std::nullopt;  // bare seconds: alone
    components++;
    total += n * scale;
    if (total > kMax * 1000) return std::nullopt;
    s.remove_prefix(j);
  }
  return negative ? -total : total;
}

}  // namespace localaws
