// Minimal leveled logging to stderr (one line per call, thread-safe).
#pragma once
#include <string>
#include <string_view>

namespace localaws::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

void set_level(Level level);
Level level();
// Parses "debug|info|warn|error|off"; nullopt-like false on anything else.
bool parse_level(std::string_view s, Level& out);
void write(Level level, std::string_view message);

inline void debug(std::string_view m) { if (level() <= Level::kDebug) write(Level::kDebug, m); }
inline void info(std::string_view m) { if (level() <= Level::kInfo) write(Level::kInfo, m); }
inline void warn(std::string_view m) { if (level() <= Level::kWarn) write(Level::kWarn, m); }
inline void error(std::string_view m) { if (level() <= Level::kError) write(Level::kError, m); }

}  // namespace localaws::log
