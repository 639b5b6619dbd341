// A scratch directory for one test, removed with everything in it at the end.
#pragma once
#include <filesystem>

#include "common/crypto.h"

namespace localaws::testing {

struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("localaws-unit-" + random_hex(6));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace localaws::testing
