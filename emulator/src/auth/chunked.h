// The aws-chunked body encoding S3 clients use for streaming uploads:
//
//   <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
//   [<trailer name>:<value>\r\n ...][x-amz-trailer-signature:<sig>\r\n]\r\n
//
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
// sigv4-streaming-trailers.html. The decoder is a push state machine: bytes may arrive split
// anywhere (inside a size line, a signature, a CRLF), and only one line is ever buffered, never
// chunk data. When signing is given every chunk signature is verified, chained from the seed
// signature of the request, and so is the trailer signature.
//
// Trailers (x-amz-checksum-crc32 and friends) are parsed and exposed with lower-case names, but
// their VALUES are not checked here: the S3 service computes the CRC32/CRC32C/SHA1/SHA256/
// CRC64NVME of the decoded bytes while storing them and compares it with trailers() after
// read() has succeeded (S3's BadDigest / InvalidRequest errors are its to give).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "http/body.h"

namespace localaws::auth {

// What chained chunk signatures need from the request's own signature.
struct ChunkSigning {
  std::string signing_key;  // raw derived key
  std::string amz_date;     // the request's X-Amz-Date
  std::string scope;        // date/region/service/aws4_request
  std::string seed_signature;
  bool signed_trailer = false;  // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
};

class AwsChunkedDecoder {
 public:
  // signing: verify chunk signatures (nullopt: unsigned chunks, signatures ignored if present).
  // expected_trailers: lower-case names announced in x-amz-trailer; each must arrive.
  // decoded_length: x-amz-decoded-content-length when sent; the decoded size must equal it.
  AwsChunkedDecoder(std::optional<ChunkSigning> signing, std::vector<std::string> expected_trailers,
                    std::optional<uint64_t> decoded_length);

  // Decodes `len` raw bytes, passing data to sink. Returns the first error (framing, signature,
  // length, or BodyError::aborted() when sink refused); after an error the decoder is dead.
  std::optional<http::BodyError> feed(const char* data, size_t len, const http::Sink& sink);
  // The raw stream ended. Returns an error unless the final chunk and trailers were complete.
  std::optional<http::BodyError> finish();

  const std::map<std::string, std::string>& trailers() const { return trailers_; }
  uint64_t decoded_bytes() const { return decoded_; }

  // Lines longer than this (size lines, trailer lines) are malformed.
  static constexpr size_t kMaxLine = 4096;
  // Signed chunks other than the last must hold at least this many bytes (S3's rule).
  static constexpr uint64_t kMinSignedChunk = 8192;

 private:
  enum class State { kSizeLine, kData, kDataCr, kDataLf, kTrailerLine, kDone, kFailed };
  std::optional<http::BodyError> fail(http::BodyError e);
  std::optional<http::BodyError> on_size_line();
  std::optional<http::BodyError> on_chunk_end();
  std::optional<http::BodyError> on_trailer_line();
  std::optional<http::BodyError> on_trailers_done();
  std::optional<http::BodyError> verify_chunk(const std::string& data_sha256_hex);

  std::optional<ChunkSigning> signing_;
  std::vector<std::string> expected_trailers_;
  std::optional<uint64_t> decoded_length_;
  State state_ = State::kSizeLine;
  std::string line_;
  uint64_t remaining_ = 0;     // data bytes left in the current chunk
  uint64_t chunk_size_ = 0;
  uint64_t decoded_ = 0;
  bool previous_was_short_ = false;  // a signed chunk under kMinSignedChunk that was not last
  std::string chunk_signature_;      // claimed signature of the current chunk
  std::string previous_signature_;
  std::unique_ptr<Digest> chunk_hash_;
  std::map<std::string, std::string> trailers_;
  std::string canonical_trailers_;  // "name:value\n" in arrival order, for the trailer signature
  std::string trailer_signature_;
  size_t trailer_bytes_ = 0;
};

// A Body that decodes an aws-chunked raw body while it streams. length() is the decoded
// length (x-amz-decoded-content-length); trailers() is complete once read() returned nullopt.
class AwsChunkedBody : public http::Body {
 public:
  AwsChunkedBody(std::unique_ptr<http::Body> raw, std::optional<ChunkSigning> signing,
                 std::vector<std::string> expected_trailers, std::optional<uint64_t> decoded_length);
  std::optional<http::BodyError> read(const http::Sink& sink) override;
  std::optional<uint64_t> length() const override { return decoded_length_; }
  const std::map<std::string, std::string>& trailers() const override { return decoder_.trailers(); }

 private:
  std::unique_ptr<http::Body> raw_;
  std::optional<uint64_t> decoded_length_;
  AwsChunkedDecoder decoder_;
};

}  // namespace localaws::auth
