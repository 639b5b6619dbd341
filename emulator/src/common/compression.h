// HTTP content codings (RFC 9110 section 8.4): choosing a response coding from Accept-Encoding,
// and gzip / deflate bodies both ways (zlib). DynamoDB uses them: it compresses large responses
// and accepts compressed request bodies (docs/dynamodb.md, "Compression").
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace localaws::compression {

enum class Coding { kIdentity, kGzip, kDeflate };

// "identity", "gzip", "deflate".
const char* coding_name(Coding c);

// The coding to answer with, given a request's Accept-Encoding value (nullopt: no header).
// Only gzip and deflate are offered; identity is the fallback and is always sent when neither
// has q > 0. As measured on DynamoDB:
//  - codings are case-insensitive tokens, whitespace around elements and parameters is ignored,
//    unknown codings ("br", "x-gzip", "\"gzip\"") and empty elements are skipped;
//  - the first "q=" parameter of an element counts; q above 1 is 1, below 0 is 0, and an
//    unparsable q ("0.x") is ignored (q stays 1); a coding listed twice keeps its first q > 0;
//  - "*" gives its q to gzip and deflate when they are not named;
//  - the highest q wins; at equal q a named coding beats one given by "*", the one named first
//    wins between two named ones, gzip between two given by "*";
//  - identity never wins over a compression with q > 0 (DynamoDB ignores "identity;q=...").
Coding choose_response_coding(const std::optional<std::string_view>& accept_encoding);

// Compresses `data` as a gzip member (RFC 1952) or as a zlib stream (RFC 1950, HTTP's "deflate").
// kIdentity returns `data` unchanged.
std::string compress(Coding c, std::string_view data);

// Why a body could not be decoded.
struct DecodeError {
  bool too_large = false;  // the decoded bytes would exceed the cap
  std::string message;
};

// Decodes `data` into `out` (replaced), producing at most `max_out` bytes: gzip accepts several
// concatenated members (RFC 1952 2.2); deflate is exactly one zlib stream. Empty input, a
// truncated stream, a bad checksum and bytes after the end of the data are errors.
// Memory use is bounded by max_out whatever the input claims.
std::optional<DecodeError> decompress(Coding c, std::string_view data, size_t max_out, std::string& out);

// The codings of a Content-Encoding value, in the order they were applied ("identity" and empty
// elements dropped). nullopt when a coding is neither gzip, deflate nor identity; `unknown` then
// holds it.
std::optional<std::vector<Coding>> parse_content_encoding(std::string_view value, std::string* unknown = nullptr);

}  // namespace localaws::compression
