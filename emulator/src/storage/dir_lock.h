// One process per data directory: an exclusive flock(2) on DATA_DIR/LOCK held for the process's
// life (as LevelDB's LOCK file). The kernel drops it when the process dies, kill -9 included, so
// a stale file never blocks a restart. The file holds the holder's pid, for the message.
#pragma once
#include <string>

namespace localaws::storage {

class DirLock {
 public:
  // Throws std::runtime_error naming the holder's pid when another process (or another
  // emulator in this process) holds the directory.
  explicit DirLock(const std::string& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace localaws::storage
