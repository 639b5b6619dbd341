// The ranker's tests of a sanitized build run with the sanitizer environment (the top-level
// CMakeLists.txt's LOCALAWS_SANITIZER_ENV), a plain build's without it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
constexpr bool kAsan = __has_feature(address_sanitizer);
#else
constexpr bool kAsan = false;
#endif

TEST_CASE("ranker tests run with the sanitizer environment of their build", "[build]") {
  const char* said = std::getenv("LOCALAWS_SANITIZED");
  REQUIRE(said != nullptr);
  CHECK(std::string(said) == (kAsan ? "1" : "0"));
  if (kAsan) CHECK(std::string(std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "").find("halt_on_error=1") != std::string::npos);
}
