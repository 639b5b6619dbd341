// Put/Get/DeleteBucketEncryption: the bucket's default encryption. A bucket without a stored
// configuration (new, or after DeleteBucketEncryption) reports SSE-S3 as AWS does since January
// 2023, with SSE-C blocked as for buckets created since April 2026; --s3-defaults legacy reports
// none (ServerSideEncryptionConfigurationNotFoundError) and allows SSE-C.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html
#include "common/strings.h"
#include "s3/handlers.h"
#include "s3/sse.h"

namespace localaws::s3 {

namespace {
constexpr const char* kEncryption = "encryption";

// Stored as "algo\tkms key id\tbucket key (0/1)\tblocked".
std::string encode(const BucketSse& s) {
  return s.algo + "\t" + s.kms_key_id + "\t" + (s.bucket_key ? "1" : "0") + "\t" + s.blocked;
}

std::optional<BucketSse> decode(const std::string& v) {
  auto f = split(v, '\t');
  if (f.size() != 4) return std::nullopt;
  BucketSse s;
  s.algo = f[0];
  s.kms_key_id = f[1];
  s.bucket_key = f[2] == "1";
  s.blocked = f[3];
  return s;
}

std::string config_xml(const BucketSse& s) {
  XmlDoc doc("ServerSideEncryptionConfiguration");
  auto rule = doc.root.child("Rule");
  auto def = rule.child("ApplyServerSideEncryptionByDefault");
  def.add("SSEAlgorithm", s.algo);
  if (!s.kms_key_id.empty()) def.add("KMSMasterKeyID", s.kms_key_id);
  rule.add_bool("BucketKeyEnabled", s.bucket_key);
  if (!s.blocked.empty()) rule.child("BlockedEncryptionTypes").add("EncryptionType", s.blocked);
  return doc.str();
}

std::optional<bool> parse_bool(const std::string& v) {
  if (v == "true") return true;
  if (v == "false") return false;
  return std::nullopt;
}
}  // namespace

std::optional<BucketSse> bucket_sse(const Ctx& c, const Bucket& b) { return bucket_sse(c.env.opts, b); }

std::optional<BucketSse> bucket_sse(const Options& opts, const Bucket& b) {
  if (auto* v = b.get(kEncryption)) {
    if (auto s = decode(*v)) return s;
  }
  if (opts.legacy_defaults) return std::nullopt;
  BucketSse s;
  s.blocked = "SSE-C";
  return s;
}

void get_bucket_encryption(Ctx& c) {
  auto s = bucket_sse(c, *c.bkt);
  if (!s) throw S3Error("ServerSideEncryptionConfigurationNotFoundError").with("BucketName", c.bucket);
  c.res.status = 200;
  c.res.body = config_xml(*s);
  c.res.set_header("Content-Type", "application/xml");
}

void put_bucket_encryption(Ctx& c) {
  std::string body = read_small_body(c, 64 * 1024);
  pugi::xml_document doc;
  auto malformed = [] { return S3Error("MalformedXML"); };
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != "ServerSideEncryptionConfiguration")
    throw malformed();
  auto root = doc.document_element();
  auto rules = root.children("Rule");
  size_t count = std::distance(rules.begin(), rules.end());
  if (count != 1) throw malformed();
  auto rule = root.child("Rule");
  BucketSse s;
  auto prev = bucket_sse(c, *c.bkt);
  s.blocked = prev ? prev->blocked : "";  // kept unless the rule names BlockedEncryptionTypes
  auto def = rule.child("ApplyServerSideEncryptionByDefault");
  if (!def) throw malformed();
  auto algo = child_text(def, "SSEAlgorithm");
  if (!algo) throw malformed();
  s.algo = trim(*algo);
  if (s.algo != "AES256" && s.algo != "aws:kms" && s.algo != "aws:kms:dsse") throw malformed();
  if (auto key = child_text(def, "KMSMasterKeyID")) {
    s.kms_key_id = trim(*key);
    if (s.algo == "AES256")
      throw S3Error("InvalidArgument",
                    "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
          .with("ArgumentName", "ApplyServerSideEncryptionByDefault");
    if (s.kms_key_id.empty()) throw malformed();
  }
  if (auto bk = child_text(rule, "BucketKeyEnabled")) {
    auto v = parse_bool(trim(*bk));
    if (!v) throw malformed();
    s.bucket_key = *v;
  }
  if (auto blocked = rule.child("BlockedEncryptionTypes")) {
    std::string type;
    for (auto t : blocked.children("EncryptionType")) {
      std::string v = trim(t.text().get());
      if (v != "SSE-C" && v != "NONE") throw malformed();
      if (!type.empty() && type != v)
        throw S3Error("InvalidArgument", "BlockedEncryptionTypes cannot contain NONE together with another type")
            .with("ArgumentName", "BlockedEncryptionTypes");
      type = v;
    }
    s.blocked = type.empty() ? "NONE" : type;
  }
  // ---- checks end ----
  raise(c.store().set_bucket_config(c.bucket, kEncryption, encode(s)), c);
}

void delete_bucket_encryption(Ctx& c) { remove_config(c, kEncryption); }

}  // namespace localaws::s3
