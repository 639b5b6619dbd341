#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "common/time.h"

namespace localaws::log {

static std::atomic<Level> g_level{Level::kInfo};
static std::mutex g_mu;

void set_level(Level l) { g_level = l; }
Level level() { return g_level; }

bool parse_level(std::string_view s, Level& out) {
  if (s == "debug") out = Level::kDebug;
  else if (s == "info") out = Level::kInfo;
  else if (s == "warn") out = Level::kWarn;
  else if (s == "error") out = Level::kError;
  else if (s == "off") out = Level::kOff;
  else return false;
  return true;
}

void write(Level l, std::string_view m) {
  static const char* kNames[] = {"DEBUG", "INFO", "WARN", "ERROR", "OFF"};
  std::string line = iso8601_ms(now_ms()) + " " + kNames[static_cast<int>(l)] + " " + std::string(m) + "\n";
  std::lock_guard<std::mutex> lock(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace localaws::log
