// The emulator clock: "now" for every data-plane timer (S3 lifecycle, object-lock retention and
// object timestamps, multipart abort rules, DynamoDB time to live and idempotency tokens). It is
// real time until a test moves it (POST /_localaws/clock); signature dates and the HTTP Date
// header always use real time, because clients sign with theirs. Thread-safe; one per server.
#pragma once
#include <atomic>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace localaws {

class EmuClock {
 public:
  int64_t now_ms() const;
  // Moves the clock by ms (negative moves it back); a frozen clock stays frozen at the new reading.
  void advance(int64_t ms);
  // From now on the clock reads epoch_ms, then runs on (or stays there when frozen).
  void set(int64_t epoch_ms);
  // Stops the clock at its current reading, or lets it run on from there.
  void freeze(bool on);
  // Back to real time.
  void reset();
  bool is_real() const { return offset_ms_.load() == 0 && !frozen(); }
  bool frozen() const { return frozen_at_.load() != kRunning; }
  int64_t offset_ms() const;  // reading minus real time

 private:
  static constexpr int64_t kRunning = std::numeric_limits<int64_t>::min();
  std::atomic<int64_t> offset_ms_{0};
  std::atomic<int64_t> frozen_at_{kRunning};
};

// "30d", "12h", "90m", "45s", "1500ms", or a bare number of seconds; several units may follow
// one another ("1d12h"), a leading '-' goes back. nullopt when malformed.
std::optional<int64_t> parse_duration_ms(std::string_view s);

}  // namespace localaws
