#include "s3/blob_writer.h"

#include <algorithm>

#include "common/strings.h"
#include "s3/error.h"

namespace localaws::s3 {

HashingWriter::HashingWriter(const storage::BlobStore& blobs, uint64_t max_size, Algo algo, bool with_md5)
    : writer_(blobs.create()), max_size_(max_size) {
  if (with_md5) md5_.emplace(Digest::Kind::kMd5);
  if (algo != Algo::kNone) cs_.emplace(algo);
}

bool HashingWriter::write(const char* data, size_t n) {
  if (fail_ != Fail::kNone) return false;
  if (writer_->size() + n > max_size_) {
    fail_ = Fail::kTooBig;
    return false;
  }
  if (md5_) md5_->update(data, n);
  if (cs_) cs_->update(data, n);
  if (cipher_) {
    scratch_.assign(data, n);
    cipher_->apply(scratch_.data(), n);
    data = scratch_.data();
  }
  if (!writer_->write(data, n)) {
    fail_ = Fail::kIo;
    return false;
  }
  return true;
}

void HashingWriter::encrypt_with(const Encryption& e) {
  cipher_ = std::make_unique<AesCtr>(e.key, e.nonce);
}

void HashingWriter::set_algo(Algo algo) {
  cs_.reset();
  if (algo != Algo::kNone) cs_.emplace(algo);
}

void HashingWriter::copy_from(const http::OpenFile& from, uint64_t offset, uint64_t length) {
  std::string buf(static_cast<size_t>(std::min<uint64_t>(1 << 20, std::max<uint64_t>(length, 1))), '\0');
  uint64_t done = 0;
  while (done < length) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), length - done));
    int64_t n = from.read_at(offset + done, buf.data(), want);
    if (n <= 0) throw S3Error("InternalError", "The source object could not be read");
    if (!write(buf.data(), static_cast<size_t>(n))) {
      if (fail_ == Fail::kTooBig) throw S3Error("EntityTooLarge").with("MaxSizeAllowed", std::to_string(max_size_));
      throw S3Error("InternalError", "The object could not be stored (disk full?)");
    }
    done += static_cast<uint64_t>(n);
  }
}

const Received& HashingWriter::digests() {
  if (!finished_) {
    finished_ = true;
    r_.size = writer_->size();
    if (md5_) r_.md5 = md5_->final();
    if (cs_) {
      r_.algo = cs_->algo();
      r_.checksum = base64_encode(cs_->final());
    }
  }
  return r_;
}

Received HashingWriter::commit() {
  digests();
  auto id = writer_->commit();
  if (!id) throw S3Error("InternalError", "The object could not be stored (disk full?)");
  r_.blob_id = *id;
  return r_;
}

}  // namespace localaws::s3
