// Facts about this build that tests check against their environment.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define LOCALAWS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LOCALAWS_ASAN 1
#endif
#endif

namespace localaws {

// Built with AddressSanitizer (the asan preset, or LOCALAWS_SANITIZE / LOCALAWS_FUZZ): tests of
// such a build must run with the sanitizer environment (LOCALAWS_SANITIZED=1, ASAN_OPTIONS ...).
#ifdef LOCALAWS_ASAN
constexpr bool kSanitizedBuild = true;
#else
constexpr bool kSanitizedBuild = false;
#endif

}  // namespace localaws
