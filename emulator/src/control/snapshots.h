// Named snapshots of all state (every service's rows and every blob), for fast per-test resets
// of a seeded world. Works at the storage level: SQLite's backup API plus hard links of the
// immutable blob files, so it covers every service at once.
#pragma once
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace localaws {
struct Runtime;
namespace control {

class Snapshots {
 public:
  explicit Snapshots(Runtime& rt);
  // Names are 1-64 characters of [A-Za-z0-9._-]; they never become paths (each snapshot lives
  // under a generated id).
  static bool valid_name(const std::string& name);
  // Saves (or replaces) the named snapshot.
  void save(const std::string& name);
  // Restores the named snapshot; false when there is none by that name.
  bool restore(const std::string& name);
  bool remove(const std::string& name);
  std::vector<std::string> names();

 private:
  std::string dir_for(const std::string& name);  // REQUIRES: mu_ held
  void write_index();                            // REQUIRES: mu_ held
  Runtime& rt_;
  std::mutex mu_;
  std::string root_;
  std::vector<std::pair<std::string, std::string>> index_;  // name -> generated id
};

}  // namespace control
}  // namespace localaws
