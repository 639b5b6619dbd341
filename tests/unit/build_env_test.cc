// A sanitizer run that really is one: a sanitized build's tests run with the sanitizer
// environment (CMakeLists.txt LOCALAWS_SANITIZER_ENV, through the `env` launcher), a plain
// build's without it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "common/build_info.h"

TEST_CASE("sanitizer environment matches the build", "[build]") {
  const char* said = std::getenv("LOCALAWS_SANITIZED");
  REQUIRE(said != nullptr);  // every test of this build gets the variable
  CHECK(std::string(said) == (localaws::kSanitizedBuild ? "1" : "0"));
  if (localaws::kSanitizedBuild) {
    const char* asan = std::getenv("ASAN_OPTIONS");
    REQUIRE(asan != nullptr);
    CHECK(std::string(asan).find("halt_on_error=1") != std::string::npos);
    CHECK(std::getenv("UBSAN_OPTIONS") != nullptr);
  }
}
