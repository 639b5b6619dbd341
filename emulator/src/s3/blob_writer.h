// The one way S3 handlers write object bytes: PutObject, CopyObject, UploadPart(Copy), POST Object
// and CompleteMultipartUpload stream through a HashingWriter into a new blob, computing the MD5
// (for the ETag) and the asked checksum on the way; nothing is held in memory.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/crypto.h"
#include "http/body.h"
#include "s3/checksum.h"
#include "s3/cipher.h"
#include "storage/blob_store.h"

namespace localaws::s3 {

// Bytes written into a committed blob, with their digests.
struct Received {
  std::string blob_id;
  uint64_t size = 0;
  std::string md5;       // raw (empty when the writer computed none)
  Algo algo = Algo::kNone;
  std::string checksum;  // base64 of algo, when algo != kNone
};

// SSE-C: the customer key and the blob's (or segment's) nonce, raw.
struct Encryption {
  std::string key;
  std::string nonce;
};

class HashingWriter {
 public:
  enum class Fail { kNone, kTooBig, kIo };
  // with_md5: compute the MD5 (multipart completion builds its ETag from the parts' instead).
  HashingWriter(const storage::BlobStore& blobs, uint64_t max_size, Algo algo, bool with_md5 = true);
  // Appends bytes; false (and fail() says why) when they would pass max_size or cannot be stored.
  bool write(const char* data, size_t n);
  // Appends [offset, offset+length) of an open blob. Throws S3Error when it cannot be read/stored.
  void copy_from(const http::OpenFile& from, uint64_t offset, uint64_t length);
  // SSE-C: from now on the bytes are stored encrypted with key and nonce (the keystream starts at
  // the next byte); digests stay those of the plaintext. Calling it again starts a new segment.
  void encrypt_with(const Encryption& e);
  // Chooses (or replaces) the checksum computed; only before the first byte (POST Object reads
  // the x-amz-checksum-* fields that precede the file).
  void set_algo(Algo algo);
  Fail fail() const { return fail_; }
  uint64_t size() const { return writer_->size(); }
  // The raw MD5 and base64 checksum so far are final after this; the blob is committed.
  // Throws S3Error (InternalError) when the blob cannot be stored.
  Received commit();
  // The digests without committing (to check Content-MD5 / a claimed checksum first).
  const Received& digests();

 private:
  std::unique_ptr<storage::BlobStore::Writer> writer_;
  uint64_t max_size_;
  std::optional<Digest> md5_;
  std::optional<Checksummer> cs_;
  std::unique_ptr<AesCtr> cipher_;
  std::string scratch_;  // ciphertext of one write
  Fail fail_ = Fail::kNone;
  bool finished_ = false;
  Received r_;
};

}  // namespace localaws::s3
