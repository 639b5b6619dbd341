// What a handler answers: status, headers, and either a small in-memory body or a slice of an
// open file streamed by the server (object bytes are never loaded whole).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace localaws::http {

// An open file descriptor, closed when the last reference goes. Holding it keeps the bytes
// readable even if the blob is unlinked by a concurrent overwrite.
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  virtual ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }
  // pread loop; returns bytes read (short only at end of file) or -1 on error. Virtual so a view
  // of the file can transform its bytes (s3/cipher.h: SSE-C blobs are decrypted on the way out).
  virtual int64_t read_at(uint64_t offset, char* buf, size_t len) const;

 private:
  int fd_;
};

struct FileSlice {
  std::shared_ptr<OpenFile> file;
  uint64_t offset = 0;
  uint64_t length = 0;
};

// How much of a request body the request journal keeps (server/journal.h).
constexpr size_t kJournalBodyLimit = 64 << 10;

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::shared_ptr<FileSlice> file;  // when set, streamed instead of `body`
  // When true the server sends no body bytes (HEAD, 304) but keeps Content-Length as set.
  bool omit_body = false;
  // Close the connection after this response (unread request body left on the wire).
  bool close_connection = false;
  // Not sent: the operation name for the access log and the request journal.
  std::string operation;
  // Not sent: what the service tells the request journal (server/journal.h); the pipeline takes
  // the rest (query, headers) from the request itself.
  struct JournalNotes {
    std::string error_code;  // an error response's AWS code (S3's <Code>, DynamoDB's __type after '#')
    std::string bucket;      // S3: the bucket and key the request names (decoded)
    std::string key;
    std::string tables;      // DynamoDB: the table names the request names, comma-separated
    // A small request body the service read whole (DynamoDB JSON, S3 XML); the journal keeps
    // kJournalBodyLimit bytes of it, so more than one byte past that need not be kept here.
    std::string body;
  } journal;

  void set_header(const std::string& name, std::string value);  // replaces (case-insensitive)
  void add_header(const std::string& name, std::string value);
  const std::string* header(std::string_view name) const;      // case-insensitive
  void remove_header(std::string_view name);
};

}  // namespace localaws::http
