#include <catch2/catch.hpp>

#include "common/clock.h"
#include "common/time.h"

using localaws::EmuClock;
using localaws::parse_duration_ms;

TEST_CASE("durations for POST /_localaws/clock", "[clock]") {
  CHECK(parse_duration_ms("30d") == 30 * 86'400'000LL);
  CHECK(parse_duration_ms("1h30m") == 5'400'000);
  CHECK(parse_duration_ms("1d12h") == 129'600'000);
  CHECK(parse_duration_ms("45s") == 45'000);
  CHECK(parse_duration_ms("1500ms") == 1'500);
  CHECK(parse_duration_ms("2w") == 14 * 86'400'000LL);
  CHECK(parse_duration_ms("90") == 90'000);  // bare seconds
  CHECK(parse_duration_ms("-1d") == -86'400'000);
  for (const char* bad : {"", "-", "d", "1x", "1d2", "1.5d", "1 d", "99999999999999999999d", "1d-2h"})
    CHECK_FALSE(parse_duration_ms(bad).has_value());
}

TEST_CASE("the emulator clock moves, freezes and returns to real time", "[clock]") {
  EmuClock c;
  auto near = [](int64_t a, int64_t b) { return std::llabs(a - b) < 5'000; };
  CHECK(c.is_real());
  CHECK(near(c.now_ms(), localaws::now_ms()));

  c.advance(86'400'000);
  CHECK_FALSE(c.is_real());
  CHECK(near(c.now_ms(), localaws::now_ms() + 86'400'000));
  CHECK(near(c.offset_ms(), 86'400'000));

  c.set(1'893'456'000'000);  // 2030-01-01
  CHECK(near(c.now_ms(), 1'893'456'000'000));

  c.freeze(true);
  CHECK(c.frozen());
  int64_t at = c.now_ms();
  CHECK(c.now_ms() == at);  // frozen: exactly the same reading
  c.advance(1'000);
  CHECK(c.now_ms() == at + 1'000);
  c.set(2'000'000'000'000);
  CHECK(c.now_ms() == 2'000'000'000'000);
  c.freeze(false);  // runs on from where it stood
  CHECK_FALSE(c.frozen());
  CHECK(near(c.now_ms(), 2'000'000'000'000));

  c.reset();
  CHECK(c.is_real());
  CHECK(near(c.now_ms(), localaws::now_ms()));
}
