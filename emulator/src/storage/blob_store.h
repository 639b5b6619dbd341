// Content-addressed-by-nothing blob files: every blob gets a generated id and lives at
// <root>/blobs/<id[0:2]>/<id[2:4]>/<id>. Keys, names and paths from requests never reach the
// filesystem. Writes go to <root>/tmp first and are renamed into place on commit, so a crash
// never leaves a partial blob under a live name.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/response.h"

namespace localaws::storage {

class BlobStore {
 public:
  // Creates <root>/blobs and <root>/tmp. With fsync, commits fsync the file and its directory.
  BlobStore(std::filesystem::path root, bool fsync);

  class Writer {
   public:
    ~Writer();  // removes the temp file unless committed
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    // Appends bytes. Returns false on an I/O error (disk full); the writer is then unusable.
    bool write(const char* data, size_t len);
    uint64_t size() const { return size_; }
    // Moves the finished file to its final name. Returns the blob id, or nullopt on I/O error.
    // REQUIRES: called at most once.
    std::optional<std::string> commit();

   private:
    friend class BlobStore;
    Writer(const BlobStore& store, std::string id, int fd, std::filesystem::path tmp);
    const BlobStore& store_;
    std::string id_;
    int fd_;
    std::filesystem::path tmp_;
    uint64_t size_ = 0;
    bool committed_ = false;
    bool failed_ = false;
  };

  // A new writer with a fresh id. Throws std::runtime_error when no temp file can be created.
  std::unique_ptr<Writer> create() const;
  // The blob opened for reading, or nullptr when it does not exist or `id` is not a blob id.
  std::shared_ptr<http::OpenFile> open(const std::string& id) const;
  std::optional<uint64_t> size_of(const std::string& id) const;
  // Unlinks a blob; missing blobs are ignored. Open readers keep their bytes.
  void remove(const std::string& id) const;
  // Removes every temp file and every blob for which is_live(id) is false. Returns how many
  // blobs were removed.
  size_t sweep(const std::function<bool(const std::string&)>& is_live) const;
  // Copies every blob into <dest>/ (hard links where possible) / back; for snapshots.
  void copy_all_to(const std::filesystem::path& dest) const;
  void replace_all_from(const std::filesystem::path& src) const;

  const std::filesystem::path& root() const { return root_; }
  static bool valid_id(const std::string& id);

 private:
  std::filesystem::path path_of(const std::string& id) const;
  // The same path as a string, built without std::filesystem's component parsing (GET path).
  std::string file_of(const std::string& id) const;
  void sync_dir(const std::filesystem::path& dir) const;
  std::filesystem::path root_;
  std::string blobs_;  // root_/"blobs/", as a string
  bool fsync_;
};

}  // namespace localaws::storage
