// aws-chunked decoding. The oracle is AWS's worked example in "Signature calculations for the
// Authorization header: Transferring payload in multiple chunks" (examplebucket, 66560 bytes
// of 'a' in chunks of 65536 and 1024; the seed and chunk signatures printed on that page), and
// the trailer-signature vector of AWS's common runtime tests (trailers first/second/third).
#include <catch2/catch.hpp>

#include <random>

#include "auth/authenticator.h"
#include "auth/chunked.h"
#include "auth/sigv4.h"
#include "auth_test_util.h"
#include "common/crypto.h"

using namespace localaws;
using localaws::testing::PiecewiseBody;

namespace {

const char* kSeed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
const char* kChunk1 = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
const char* kChunk2 = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497";
const char* kFinal = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9";
const char* kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const int64_t kExampleTime = 1369353600;  // 20130524T000000Z

std::string example_chunks(const std::string& sig2 = kChunk2, int tamper_at = -1) {
  std::string data2(1024, 'a');
  if (tamper_at >= 0) data2[tamper_at] = 'b';
  return "10000;chunk-signature=" + std::string(kChunk1) + "\r\n" + std::string(65536, 'a') + "\r\n" +
         "400;chunk-signature=" + sig2 + "\r\n" + data2 + "\r\n";
}

std::string example_body(const std::string& sig2 = kChunk2, int tamper_at = -1) {
  return example_chunks(sig2, tamper_at) + "0;chunk-signature=" + kFinal + "\r\n\r\n";
}

http::Request example_request(std::unique_ptr<http::Body> body, const std::string& seed = kSeed) {
  return testing::make_request(
      "PUT", "/examplebucket/chunkObject.txt",
      {{"Host", "s3.amazonaws.com"},
       {"x-amz-date", "20130524T000000Z"},
       {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders="
        "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;"
        "x-amz-storage-class,Signature=" + seed},
       {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
       {"Content-Encoding", "aws-chunked"},
       {"x-amz-decoded-content-length", "66560"},
       {"Content-Length", "66824"}},
      std::move(body));
}

auth::Accounts example_accounts() {
  auth::Accounts a;
  a.add({"AKIAIOSFODNN7EXAMPLE", kSecret, "111122223333", "", "", ""});
  return a;
}

auth::ChunkSigning example_signing(bool signed_trailer) {
  std::string key = auth::sigv4::derive_signing_key(kSecret, "20130524", "us-east-1", "s3");
  return {key, "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", kSeed, signed_trailer};
}

// Decodes `raw` fed in the given pieces; returns the error, the decoded bytes in `out`.
std::optional<http::BodyError> decode(const std::string& raw, std::optional<auth::ChunkSigning> signing,
                                      std::vector<std::string> trailers, std::optional<uint64_t> length,
                                      std::string& out, std::map<std::string, std::string>* got_trailers = nullptr,
                                      std::vector<size_t> pieces = {}) {
  auth::AwsChunkedBody body(std::make_unique<PiecewiseBody>(raw, std::move(pieces)), std::move(signing),
                            std::move(trailers), length);
  auto err = testing::drain(body, out);
  if (got_trailers) *got_trailers = body.trailers();
  return err;
}

}  // namespace

TEST_CASE("AWS's chunked upload example verifies, however the bytes are split", "[auth][chunked]") {
  auto accounts = example_accounts();
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  std::mt19937 rng(20130524);
  std::vector<std::vector<size_t>> splits = {{}, {1}, {2, 3, 5, 7}, {86, 65538, 86}, {89}, {65536 + 88}};
  for (int i = 0; i < 8; i++) {
    std::vector<size_t> random;
    for (int j = 0; j < 50; j++) random.push_back(std::uniform_int_distribution<size_t>(1, 9000)(rng));
    splits.push_back(random);
  }
  for (auto& pieces : splits) {
    INFO("pieces: " << pieces.size() << (pieces.empty() ? 0 : pieces[0]));
    auto req = example_request(std::make_unique<PiecewiseBody>(example_body(), pieces));
    auto r = a.authenticate(req, auth::ServiceKind::kS3, kExampleTime);
    REQUIRE_FALSE(r.error.has_value());
    CHECK(r.principal.account_id == "111122223333");
    CHECK(req.body->length() == 66560u);
    std::string out;
    auto err = testing::drain(*req.body, out);
    REQUIRE_FALSE(err.has_value());
    CHECK(out == std::string(66560, 'a'));
  }
}

TEST_CASE("a tampered chunk, chunk signature or seed is refused", "[auth][chunked]") {
  auto accounts = example_accounts();
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  std::string bad_sig = kChunk2;
  bad_sig[5] = bad_sig[5] == '0' ? '1' : '0';
  for (auto raw : {example_body(kChunk2, 10), example_body(bad_sig)}) {
    for (std::vector<size_t> pieces : {std::vector<size_t>{}, std::vector<size_t>{1}}) {
      auto req = example_request(std::make_unique<PiecewiseBody>(raw, pieces));
      REQUIRE_FALSE(a.authenticate(req, auth::ServiceKind::kS3, kExampleTime).error.has_value());
      std::string out;
      auto err = testing::drain(*req.body, out);
      REQUIRE(err.has_value());
      CHECK(err->status == 403);
      CHECK(err->code == "SignatureDoesNotMatch");
    }
  }
  // The final, empty chunk carries a signature too.
  std::string bad_final = example_chunks() + "0;chunk-signature=" + std::string(64, 'f') + "\r\n\r\n";
  auto fin = example_request(std::make_unique<PiecewiseBody>(bad_final, std::vector<size_t>{}));
  REQUIRE_FALSE(a.authenticate(fin, auth::ServiceKind::kS3, kExampleTime).error.has_value());
  std::string fin_out;
  auto fin_err = testing::drain(*fin.body, fin_out);
  REQUIRE(fin_err.has_value());
  CHECK(fin_err->code == "SignatureDoesNotMatch");
  // Chunks signed in the right order but starting from another seed.
  std::string other_seed = kSeed;
  other_seed[0] = '5';
  auto req = example_request(std::make_unique<PiecewiseBody>(example_body(), std::vector<size_t>{}), other_seed);
  auto r = a.authenticate(req, auth::ServiceKind::kS3, kExampleTime);
  REQUIRE(r.error.has_value());
  CHECK(r.error->code == "SignatureDoesNotMatch");
  // Final chunk missing.
  auto cut = example_request(std::make_unique<PiecewiseBody>(example_chunks(), std::vector<size_t>{}));
  REQUIRE_FALSE(a.authenticate(cut, auth::ServiceKind::kS3, kExampleTime).error.has_value());
  std::string out;
  auto err = testing::drain(*cut.body, out);
  REQUIRE(err.has_value());
  CHECK(err->code == "IncompleteBody");
}

TEST_CASE("signed trailers: AWS's trailer signature vector", "[auth][chunked]") {
  auto signing = example_signing(true);
  const std::string kTrailerSig = "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c";
  CHECK(auth::sigv4::trailer_signature(signing.signing_key, signing.amz_date, signing.scope, kFinal,
                                       "first:1st\nsecond:2nd\nthird:3rd\n") == kTrailerSig);
  std::string raw = example_chunks() + "0;chunk-signature=" + kFinal + "\r\nfirst:1st\r\nsecond:2nd\r\nthird:3rd\r\n" +
                    "x-amz-trailer-signature:" + kTrailerSig + "\r\n\r\n";
  std::string out;
  std::map<std::string, std::string> trailers;
  for (std::vector<size_t> pieces : {std::vector<size_t>{}, std::vector<size_t>{1}, std::vector<size_t>{3, 1000}}) {
    auto err = decode(raw, signing, {"first", "second", "third"}, 66560, out, &trailers, pieces);
    REQUIRE_FALSE(err.has_value());
    CHECK(out.size() == 66560);
    CHECK(trailers == std::map<std::string, std::string>{{"first", "1st"}, {"second", "2nd"}, {"third", "3rd"}});
  }
  std::string tampered = raw;
  tampered.replace(tampered.find("2nd"), 3, "2ND");
  auto err = decode(tampered, signing, {}, 66560, out);
  REQUIRE(err.has_value());
  CHECK(err->code == "SignatureDoesNotMatch");
  std::string unsigned_trailer = example_chunks() + "0;chunk-signature=" + kFinal + "\r\nfirst:1st\r\n\r\n";
  err = decode(unsigned_trailer, signing, {}, 66560, out);
  REQUIRE(err.has_value());
  CHECK(err->code == "SignatureDoesNotMatch");
}

TEST_CASE("unsigned trailer bodies as boto3 and the JS SDK send them", "[auth][chunked]") {
  // Through the authenticator, in off mode: decoding happens in every mode.
  auth::Accounts accounts;
  auth::Authenticator off(accounts, auth::Mode::kOff);
  std::string raw = "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
  for (std::vector<size_t> pieces : {std::vector<size_t>{}, std::vector<size_t>{1}, std::vector<size_t>{4, 2}}) {
    auto req = testing::make_request(
        "PUT", "/bucket/key",
        {{"Host", "127.0.0.1:4566"},
         {"Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, "
                           "SignedHeaders=host, Signature=00"},
         {"x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
         {"Content-Encoding", "aws-chunked"},
         {"x-amz-trailer", "x-amz-checksum-crc32"},
         {"x-amz-decoded-content-length", "11"}},
        std::make_unique<PiecewiseBody>(raw, pieces));
    auto r = off.authenticate(req, auth::ServiceKind::kS3, 0);
    REQUIRE_FALSE(r.error.has_value());
    CHECK(r.principal.account_id == "000000000000");
    CHECK(req.body->length() == 11u);
    std::string out;
    REQUIRE_FALSE(testing::drain(*req.body, out).has_value());
    CHECK(out == "hello world");
    CHECK(req.body->trailers().at("x-amz-checksum-crc32") == "DUoRhQ==");
  }
  // Several data chunks, as the JS SDK sends larger bodies; UNSIGNED-PAYLOAD with
  // Content-Encoding: aws-chunked is decoded too.
  std::string multi = "3\r\nabc\r\n2\r\nde\r\n0\r\nx-amz-checksum-crc32c:abcd==\r\n\r\n";
  auto req = testing::make_request("PUT", "/bucket/key",
                                   {{"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
                                    {"Content-Encoding", "gzip, aws-chunked"},
                                    {"x-amz-decoded-content-length", "5"}},
                                   std::make_unique<PiecewiseBody>(multi, std::vector<size_t>{2}));
  REQUIRE_FALSE(off.authenticate(req, auth::ServiceKind::kS3, 0).error.has_value());
  std::string out;
  REQUIRE_FALSE(testing::drain(*req.body, out).has_value());
  CHECK(out == "abcde");
  CHECK(req.body->trailers().at("x-amz-checksum-crc32c") == "abcd==");
}

TEST_CASE("malformed aws-chunked framing is refused", "[auth][chunked]") {
  struct Bad {
    std::string raw;
    std::vector<std::string> trailers;
    std::optional<uint64_t> length;
    const char* code;
  };
  std::vector<Bad> bad = {
      {"zz\r\nhello\r\n0\r\n\r\n", {}, std::nullopt, "IncompleteBody"},          // not hex
      {";chunk-signature=x\r\n\r\n", {}, std::nullopt, "IncompleteBody"},        // no size
      {"5\r\nhelloX\r\n0\r\n\r\n", {}, std::nullopt, "IncompleteBody"},          // longer than declared
      {"5\r\nhell\r\n0\r\n\r\n", {}, std::nullopt, "IncompleteBody"},            // shorter than declared
      {"5\nhello\r\n0\r\n\r\n", {}, std::nullopt, "IncompleteBody"},             // bare LF
      {"5\r\nhel", {}, std::nullopt, "IncompleteBody"},                          // truncated data
      {"5\r\nhello\r\n0\r\n", {}, std::nullopt, "IncompleteBody"},               // no final CRLF
      {"5\r\nhello\r\n", {}, std::nullopt, "IncompleteBody"},                    // no final chunk
      {"5\r\nhello\r\n0\r\n\r\nmore", {}, std::nullopt, "IncompleteBody"},       // data after the end
      {std::string(5000, '1') + "\r\n", {}, std::nullopt, "IncompleteBody"},     // endless size line
      {"11111111111111111\r\n", {}, std::nullopt, "IncompleteBody"},             // size beyond 64 bits
      {"5\r\nhello\r\n0\r\n\r\n", {"x-amz-checksum-crc32"}, std::nullopt, "MalformedTrailerError"},
      {"5\r\nhello\r\n0\r\nno colon here\r\n\r\n", {}, std::nullopt, "MalformedTrailerError"},
      {"5\r\nhello\r\n0\r\n\r\n", {}, 6, "IncompleteBody"},                      // decoded length too big
      {"5\r\nhello\r\n0\r\n\r\n", {}, 4, "IncompleteBody"},                      // decoded length too small
  };
  for (auto& b : bad) {
    for (std::vector<size_t> pieces : {std::vector<size_t>{}, std::vector<size_t>{1}}) {
      INFO(b.raw.substr(0, 40) << " pieces " << pieces.size());
      std::string out;
      auto err = decode(b.raw, std::nullopt, b.trailers, b.length, out, nullptr, pieces);
      REQUIRE(err.has_value());
      CHECK(err->code == b.code);
      CHECK(err->status == 400);
    }
  }
  std::string out;
  CHECK_FALSE(decode("5\r\nhello\r\n0\r\n\r\n", std::nullopt, {}, 5, out).has_value());
  CHECK(out == "hello");
}

TEST_CASE("signed chunks other than the last must hold 8 KiB", "[auth][chunked]") {
  auto signing = example_signing(false);
  auto sign = [&](const std::string& prev, const std::string& data) {
    return auth::sigv4::chunk_signature(signing.signing_key, signing.amz_date, signing.scope, prev,
                                        sha256_hex(data));
  };
  std::string s1 = sign(kSeed, std::string(100, 'x'));
  std::string s2 = sign(s1, std::string(100, 'y'));
  std::string s3 = sign(s2, "");
  std::string small_then_more = "64;chunk-signature=" + s1 + "\r\n" + std::string(100, 'x') + "\r\n" +
                                "64;chunk-signature=" + s2 + "\r\n" + std::string(100, 'y') + "\r\n" +
                                "0;chunk-signature=" + s3 + "\r\n\r\n";
  std::string out;
  auto err = decode(small_then_more, signing, {}, 200, out);
  REQUIRE(err.has_value());
  CHECK(err->code == "InvalidChunkSizeError");
  // One small chunk is fine: it is the last one.
  std::string t1 = sign(kSeed, std::string(100, 'x'));
  std::string t2 = sign(t1, "");
  std::string single = "64;chunk-signature=" + t1 + "\r\n" + std::string(100, 'x') + "\r\n0;chunk-signature=" + t2 + "\r\n\r\n";
  CHECK_FALSE(decode(single, signing, {}, 100, out).has_value());
  CHECK(out == std::string(100, 'x'));
}
