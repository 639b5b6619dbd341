#include "s3/sse.h"

#include <nlohmann/json.hpp>

#include "common/crypto.h"
#include "common/strings.h"
#include "s3/cipher.h"
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {
constexpr const char* kSse = "x-amz-server-side-encryption";
constexpr const char* kKmsKey = "x-amz-server-side-encryption-aws-kms-key-id";
constexpr const char* kContext = "x-amz-server-side-encryption-context";
constexpr const char* kBucketKey = "x-amz-server-side-encryption-bucket-key-enabled";

std::string random_raw(size_t n) {
  std::string hex = random_hex(n), raw;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return raw;
}

bool is_kms(const std::string& algo) { return algo == "aws:kms" || algo == "aws:kms:dsse"; }

S3Error bad_arg(const std::string& message, const std::string& name, const std::string& value = "") {
  S3Error e("InvalidArgument", message);
  e.with("ArgumentName", name);
  if (!value.empty()) e.with("ArgumentValue", value);
  return e;
}

// The ARN S3 reports for a KMS key: bare key ids and aliases are qualified with the bucket's region
// and owner account; the account's AWS managed key (aws/s3) when none is named.
std::string kms_arn(const Bucket& b, const std::string& id) {
  std::string prefix = "arn:aws:kms:" + b.region + ":" + b.owner.account + ":";
  if (id.empty()) {
    // A stable key id per account and region, shaped like a KMS key id (a UUID).
    std::string h = sha256_hex("aws/s3:" + b.owner.account + ":" + b.region).substr(0, 32);
    return prefix + "key/" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20, 12);
  }
  if (starts_with(id, "arn:")) return id;
  if (starts_with(id, "alias/")) return prefix + id;
  return prefix + "key/" + id;
}

void check_context(const std::string& b64) {
  std::string text;
  auto fail = [&] {
    return bad_arg("The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding "
                   "JSON which represents a string-string map",
                   kContext, b64);
  };
  if (!base64_decode(trim(b64), text)) throw fail();
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) throw fail();
  for (auto& [k, v] : doc.items()) {
    if (!v.is_string()) throw fail();
  }
}
}  // namespace

std::optional<CustomerKey> customer_key(const http::Request& req, bool copy_source) {
  std::string prefix = copy_source ? "x-amz-copy-source-server-side-encryption-customer-"
                                   : "x-amz-server-side-encryption-customer-";
  auto* algo = req.header(prefix + "algorithm");
  auto* key = req.header(prefix + "key");
  auto* md5 = req.header(prefix + "key-md5");
  if (!algo && !key && !md5) return std::nullopt;
  std::string arg = copy_source ? "x-amz-copy-source-server-side-encryption" : kSse;
  if (!algo)
    throw bad_arg("Requests specifying Server Side Encryption with Customer provided keys must provide a valid "
                  "encryption algorithm.",
                  arg);
  if (trim(*algo) != "AES256")
    throw S3Error("InvalidEncryptionAlgorithmError",
                  "The encryption request you specified is not valid. Supported value: AES256.")
        .with("ArgumentName", prefix + "algorithm")
        .with("ArgumentValue", *algo);
  if (!key)
    throw bad_arg("Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate "
                  "secret key.",
                  arg);
  CustomerKey k;
  if (!base64_decode(trim(*key), k.key) || k.key.size() != kSseKeySize)
    throw bad_arg("The secret key was invalid for the specified algorithm.", arg);
  if (!md5)
    throw bad_arg("Requests specifying Server Side Encryption with Customer provided keys must provide the client "
                  "calculated MD5 of the secret key.",
                  arg);
  k.md5_b64 = base64_encode(md5_raw(k.key));
  if (trim(*md5) != k.md5_b64)
    throw bad_arg("The calculated MD5 hash of the key did not match the hash that was provided.", arg);
  return k;
}

NewSse new_object_sse(const Ctx& c) {
  NewSse s;
  s.ssec = customer_key(c.req, false);
  auto* algo = c.req.header(kSse);
  auto* key = c.req.header(kKmsKey);
  auto* context = c.req.header(kContext);
  auto* bucket_key = c.req.header(kBucketKey);
  s.named = algo || s.ssec;
  if (algo) {
    s.algo = trim(*algo);
    if (s.algo != "AES256" && !is_kms(s.algo))
      throw bad_arg("The encryption method specified is not supported", kSse, *algo);
    if (s.ssec)
      throw bad_arg("Server Side Encryption with Customer provided key is incompatible with the encryption method "
                    "specified",
                    kSse, *algo);
  }
  if ((key || context) && !is_kms(s.algo))
    throw bad_arg("Server Side Encryption with KMS managed key requires HTTP header x-amz-server-side-encryption : "
                  "aws:kms",
                  key ? kKmsKey : kContext);
  std::optional<bool> bk;
  if (bucket_key) {
    std::string v = to_lower(trim(*bucket_key));
    if (v != "true" && v != "false")
      throw bad_arg("Invalid value for header " + std::string(kBucketKey), kBucketKey, *bucket_key);
    bk = v == "true";
  }
  if (context) {
    check_context(*context);
    s.context = trim(*context);
  }
  auto def = bucket_sse(c, *c.bkt);
  if (s.ssec) {
    // Since April 2026 new buckets refuse SSE-C writes until PutBucketEncryption unblocks it.
    if (def && def->blocks_ssec()) throw S3Error("AccessDenied");
    return s;
  }
  if (s.algo.empty() && def) {
    s.algo = def->algo;
    if (is_kms(s.algo)) s.kms_key_id = def->kms_key_id;
  } else if (key) {
    s.kms_key_id = trim(*key);
    if (s.kms_key_id.empty()) throw bad_arg("KMS key id must not be empty", kKmsKey);
  }
  if (is_kms(s.algo)) {
    s.kms_key_id = kms_arn(*c.bkt, s.kms_key_id);
    // Without the header an object follows the bucket's S3 Bucket Key setting.
    s.bucket_key = bk.value_or(def && is_kms(def->algo) && def->bucket_key);
  }
  return s;
}

std::string kms_key_arn(const Bucket& b, const std::string& id) { return kms_arn(b, id); }

std::string NewSse::apply(ObjectMeta& m) const {
  m.sse_algo = algo;
  m.kms_key_id = kms_key_id;
  m.kms_context = context;
  m.bucket_key = bucket_key;
  m.ssec_key_md5.clear();
  m.ssec_nonce.clear();
  if (!ssec) return "";
  std::string nonce = random_raw(kSseNonceSize);
  m.ssec_key_md5 = ssec->md5_b64;
  m.ssec_nonce = base64_encode(nonce);
  return nonce;
}

bool etag_is_md5(const ObjectMeta& m) { return m.ssec_key_md5.empty() && !is_kms(m.sse_algo); }

std::string new_etag(const ObjectMeta& m, const std::string& md5_raw) {
  if (etag_is_md5(m)) return quote_etag(md5_raw);
  return "\"" + random_hex(16) + "\"";
}

void sse_headers(const ObjectMeta& m, http::Response& res, bool with_context, bool with_customer) {
  if (!m.sse_algo.empty()) res.set_header(kSse, m.sse_algo);
  if (is_kms(m.sse_algo)) {
    res.set_header(kKmsKey, m.kms_key_id);
    if (m.bucket_key) res.set_header(kBucketKey, "true");
    if (with_context && !m.kms_context.empty()) res.set_header(kContext, m.kms_context);
  }
  if (!m.ssec_key_md5.empty() && with_customer) {
    res.set_header("x-amz-server-side-encryption-customer-algorithm", "AES256");
    res.set_header("x-amz-server-side-encryption-customer-key-MD5", m.ssec_key_md5);
  }
}

void reject_sse_header_on_read(const http::Request& req) {
  if (auto* v = req.header(kSse))
    throw bad_arg("x-amz-server-side-encryption header is not supported for this operation.", kSse, *v);
}

std::optional<CustomerKey> key_for_read(const http::Request& req, const ObjectMeta& m, bool copy_source) {
  auto k = customer_key(req, copy_source);
  if (m.ssec_key_md5.empty()) {
    if (k) throw S3Error("InvalidRequest", "The encryption parameters are not applicable to this object.");
    return std::nullopt;
  }
  if (!k)
    throw S3Error("InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct "
                                    "parameters must be provided to retrieve the object.");
  if (k->md5_b64 != m.ssec_key_md5) throw S3Error("AccessDenied");
  return k;
}

std::shared_ptr<http::OpenFile> plaintext(std::shared_ptr<http::OpenFile> raw, const ObjectMeta& m,
                                          const std::optional<CustomerKey>& k) {
  if (!k || m.ssec_key_md5.empty()) return raw;
  std::string nonces;
  base64_decode(m.ssec_nonce, nonces);
  std::vector<DecryptingFile::Segment> segs;
  size_t count = nonces.size() / kSseNonceSize;
  uint64_t start = 0;
  for (size_t i = 0; i < count; i++) {
    segs.push_back({start, nonces.substr(i * kSseNonceSize, kSseNonceSize)});
    if (i < m.part_sizes.size()) start += m.part_sizes[i];
  }
  if (segs.empty()) segs.push_back({0, std::string(kSseNonceSize, '\0')});  // unreadable meta: garbage, not a crash
  return std::make_shared<DecryptingFile>(std::move(raw), k->key, std::move(segs));
}

std::optional<CustomerKey> upload_key(const http::Request& req, const Upload& u, bool required) {
  auto k = customer_key(req, false);
  if (u.meta.ssec_key_md5.empty()) {
    if (k)
      throw S3Error("InvalidRequest", "The multipart upload initiate did not request encryption. Subsequent part "
                                      "requests must not include encryption parameters.");
    return std::nullopt;
  }
  if (!k) {
    if (!required) return std::nullopt;
    throw S3Error("InvalidRequest", "The multipart upload initiate requested encryption. Subsequent part requests "
                                    "must include the appropriate encryption parameters.");
  }
  if (k->md5_b64 != u.meta.ssec_key_md5)
    throw S3Error("InvalidRequest", "The provided encryption parameters did not match the ones used originally.");
  return k;
}

std::string part_nonce(const Upload& u, const std::string& part_etag) {
  std::string upload_nonce;
  base64_decode(u.meta.ssec_nonce, upload_nonce);
  Digest d(Digest::Kind::kSha256);
  d.update(upload_nonce + "\n" + part_etag);
  return d.final().substr(0, kSseNonceSize);
}

std::string encode_nonces(const std::string& raw) { return base64_encode(raw); }

}  // namespace localaws::s3
