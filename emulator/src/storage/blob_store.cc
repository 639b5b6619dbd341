#include "storage/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "common/crypto.h"

namespace fs = std::filesystem;

namespace localaws::storage {

BlobStore::BlobStore(fs::path root, bool fsync)
    : root_(std::move(root)), blobs_((root_ / "blobs").string() + "/"), fsync_(fsync) {
  fs::create_directories(root_ / "blobs");
  fs::create_directories(root_ / "tmp");
}

bool BlobStore::valid_id(const std::string& id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

fs::path BlobStore::path_of(const std::string& id) const { return fs::path(file_of(id)); }

std::string BlobStore::file_of(const std::string& id) const {
  std::string p;
  p.reserve(blobs_.size() + 6 + id.size());
  p.append(blobs_).append(id, 0, 2).append(1, '/').append(id, 2, 2).append(1, '/').append(id);
  return p;
}

void BlobStore::sync_dir(const fs::path& dir) const {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::unique_ptr<BlobStore::Writer> BlobStore::create() const {
  std::string id = unique_hex(16);
  fs::path tmp = root_ / "tmp" / (id + ".part");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create blob temp file: " + std::string(strerror(errno)));
  return std::unique_ptr<Writer>(new Writer(*this, id, fd, tmp));
}

BlobStore::Writer::Writer(const BlobStore& store, std::string id, int fd, fs::path tmp)
    : store_(store), id_(std::move(id)), fd_(fd), tmp_(std::move(tmp)) {}

BlobStore::Writer::~Writer() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) {
    std::error_code ec;
    fs::remove(tmp_, ec);
  }
}

bool BlobStore::Writer::write(const char* data, size_t len) {
  if (failed_ || fd_ < 0) return false;
  while (len > 0) {
    ssize_t n = ::write(fd_, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      failed_ = true;
      return false;
    }
    data += n;
    len -= static_cast<size_t>(n);
    size_ += static_cast<uint64_t>(n);
  }
  return true;
}

std::optional<std::string> BlobStore::Writer::commit() {
  if (failed_ || fd_ < 0) return std::nullopt;
  if (store_.fsync_ && ::fsync(fd_) != 0) return std::nullopt;
  ::close(fd_);
  fd_ = -1;
  fs::path dest = store_.path_of(id_);
  std::error_code ec;
  fs::create_directories(dest.parent_path(), ec);
  if (ec || ::rename(tmp_.c_str(), dest.c_str()) != 0) return std::nullopt;
  if (store_.fsync_) store_.sync_dir(dest.parent_path());
  committed_ = true;
  return id_;
}

std::shared_ptr<http::OpenFile> BlobStore::open(const std::string& id) const {
  if (!valid_id(id)) return nullptr;
  int fd = ::open(file_of(id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  return std::make_shared<http::OpenFile>(fd);
}

std::optional<uint64_t> BlobStore::size_of(const std::string& id) const {
  if (!valid_id(id)) return std::nullopt;
  struct stat st {};
  if (::stat(file_of(id).c_str(), &st) != 0) return std::nullopt;
  return static_cast<uint64_t>(st.st_size);
}

void BlobStore::remove(const std::string& id) const {
  if (!valid_id(id)) return;
  ::unlink(file_of(id).c_str());
}

size_t BlobStore::sweep(const std::function<bool(const std::string&)>& is_live) const {
  std::error_code ec;
  for (auto& e : fs::directory_iterator(root_ / "tmp", ec)) fs::remove(e.path(), ec);
  size_t removed = 0;
  for (auto it = fs::recursive_directory_iterator(root_ / "blobs", ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file()) continue;
    std::string id = it->path().filename().string();
    if (!valid_id(id) || !is_live(id)) {
      fs::remove(it->path(), ec);
      removed++;
    }
  }
  return removed;
}

void BlobStore::copy_all_to(const fs::path& dest) const {
  fs::create_directories(dest);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root_ / "blobs", ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (ec || !it->is_regular_file()) continue;
    fs::path to = dest / it->path().filename();
    std::error_code lec;
    fs::create_hard_link(it->path(), to, lec);  // blobs are immutable once committed
    if (lec) fs::copy_file(it->path(), to, fs::copy_options::overwrite_existing);
  }
}

void BlobStore::replace_all_from(const fs::path& src) const {
  std::error_code ec;
  fs::remove_all(root_ / "blobs", ec);
  fs::create_directories(root_ / "blobs");
  for (auto& e : fs::directory_iterator(src, ec)) {
    std::string id = e.path().filename().string();
    if (!valid_id(id)) continue;
    fs::path to = path_of(id);
    fs::create_directories(to.parent_path());
    std::error_code lec;
    fs::create_hard_link(e.path(), to, lec);
    if (lec) fs::copy_file(e.path(), to, fs::copy_options::overwrite_existing);
  }
}

}  // namespace localaws::storage
