// Helpers shared by the handler families: replies, owners, metadata headers, body streaming.
#include <algorithm>

#include "auth/payload.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"
#include "http/body.h"
#include "s3/handlers.h"
#include "s3/meta_value.h"

namespace localaws::s3 {

namespace {
// Content headers stored with an object and returned on GET, in the order S3 sends them.
constexpr const char* kContentHeaders[] = {"content-type",     "content-encoding", "content-disposition",
                                           "content-language", "cache-control",    "expires"};
constexpr const char* kStorageClasses[] = {"STANDARD",   "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
                                           "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS",
                                           "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE"};
constexpr size_t kMaxUserMetadata = 2048;

// "gzip, aws-chunked" -> "gzip": aws-chunked is transfer framing, not part of the object.
std::string strip_aws_chunked(const std::string& v) {
  std::string out;
  for (auto& part : split(v, ',')) {
    std::string t = trim(part);
    if (t.empty() || iequals(t, "aws-chunked")) continue;
    if (!out.empty()) out += ",";
    out += t;
  }
  return out;
}

bool is_aws_chunked(const http::Request& req) {
  std::string sha = req.header_or("x-amz-content-sha256");
  return starts_with(sha, "STREAMING-") || to_lower(req.header_or("content-encoding")).find("aws-chunked") !=
                                               std::string::npos;
}
}  // namespace

Owner owner_of(const auth::Principal& p) { return {p.canonical_user_id, p.display_name, p.account_id}; }

void reply_xml(Ctx& c, const XmlDoc& doc, int status) { reply_xml_text(c, doc.str(), status); }

void reply_xml_text(Ctx& c, std::string body, int status) {
  c.res.status = status;
  c.res.body = std::move(body);
  c.res.set_header("Content-Type", "application/xml");
}

void raise(St st, const Ctx& c) {
  switch (st) {
    case St::kOk: return;
    case St::kNoSuchBucket: throw S3Error("NoSuchBucket").with("BucketName", c.bucket);
    case St::kNoSuchKey: throw S3Error("NoSuchKey").with("Key", c.key);
    case St::kNoSuchUpload: {
      auto* id = c.req.query_param("uploadId");
      throw S3Error("NoSuchUpload").with("UploadId", id ? *id : "");
    }
    case St::kExists: throw S3Error("BucketAlreadyExists").with("BucketName", c.bucket);
    case St::kNotEmpty: throw S3Error("BucketNotEmpty").with("BucketName", c.bucket);
    case St::kPreconditionFailed:
      throw S3Error("PreconditionFailed").with("Condition", c.req.has_header("if-match") ? "If-Match" : "If-None-Match");
    case St::kNoSuchVersion: {
      auto* v = c.req.query_param("versionId");
      throw S3Error("NoSuchVersion").with("Key", c.key).with("VersionId", v ? *v : "");
    }
    case St::kLocked: throw S3Error("AccessDenied", "Access Denied because object protected by object lock.");
    case St::kIsMarker:
      throw S3Error("MethodNotAllowed").with("Method", c.req.method).with("ResourceType", "DeleteMarker");
    case St::kInvalidState: throw S3Error("InvalidBucketState");
    case St::kConflict: throw S3Error("ConditionalRequestConflict");
  }
}

std::string quote_etag(const std::string& md5_raw) { return "\"" + to_hex(md5_raw) + "\""; }

std::string param_or(const Ctx& c, const char* name) {
  auto* v = c.req.query_param(name);
  return v ? *v : "";
}

bool url_encoding(const Ctx& c) {
  std::string encoding = param_or(c, "encoding-type");
  if (!encoding.empty() && encoding != "url")
    throw S3Error("InvalidArgument", "Invalid Encoding Method specified in Request")
        .with("ArgumentName", "encoding-type")
        .with("ArgumentValue", encoding);
  return !encoding.empty();
}

size_t count_param(const Ctx& c, const char* name, size_t fallback, size_t cap) {
  auto* v = c.req.query_param(name);
  if (!v) return fallback;
  auto n = parse_u64(*v);
  // S3 reads these as 32-bit integers: a larger number is as wrong as a word.
  if (!n || *n > 2147483647)
    throw S3Error("InvalidArgument", std::string("Provided ") + name + " not an integer or within integer range")
        .with("ArgumentName", name)
        .with("ArgumentValue", *v);
  return static_cast<size_t>(std::min<uint64_t>(*n, cap));
}

void check_key(const std::string& key) {
  if (key.size() > 1024) throw S3Error("KeyTooLongError").with("Size", std::to_string(key.size())).with("MaxSizeAllowed", "1024");
}

Pairs parse_tagging_header(const std::string& value) {
  auto q = parse_query(value);
  if (!q) throw S3Error("InvalidArgument", "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.");
  return *q;
}

void validate_tags(const Pairs& tags) {
  if (tags.size() > 10) throw S3Error("BadRequest", "Object tags cannot be greater than 10");
  for (size_t i = 0; i < tags.size(); i++) {
    auto& [k, v] = tags[i];
    if (k.empty() || k.size() > 128) throw S3Error("InvalidTag", "The TagKey you have provided is invalid");
    if (v.size() > 256) throw S3Error("InvalidTag", "The TagValue you have provided is too long, max 256");
    if (!valid_utf8(k) || !valid_utf8(v)) throw S3Error("InvalidTag", "The TagKey you have provided is invalid");
    for (size_t j = 0; j < i; j++) {
      if (tags[j].first == k) throw S3Error("InvalidTag", "Cannot provide multiple Tags with the same key");
    }
  }
}

ObjectMeta meta_from_headers(const http::Request& req) {
  ObjectMeta m;
  for (const char* h : kContentHeaders) {
    auto* v = req.header(h);
    if (!v) continue;
    std::string val = std::string(h) == "content-encoding" ? strip_aws_chunked(*v) : *v;
    if (!val.empty()) m.headers.emplace_back(h, val);
  }
  size_t meta_size = 0;
  for (auto& [k, v] : req.headers) {
    if (!starts_with(k, "x-amz-meta-")) continue;
    std::string name = k.substr(11);
    std::string value = stored_meta_value(v);
    // The limit counts the UTF-8 bytes of every name and (decoded) value.
    meta_size += name.size() + value.size();
    auto it = std::find_if(m.user.begin(), m.user.end(), [&](auto& p) { return p.first == name; });
    if (it != m.user.end()) it->second += "," + value;  // repeated headers join as HTTP says
    else m.user.emplace_back(name, value);
  }
  if (meta_size > kMaxUserMetadata) {
    throw S3Error("MetadataTooLarge").with("Size", std::to_string(meta_size)).with("MaxSizeAllowed", "2048");
  }
  if (auto* sc = req.header("x-amz-storage-class")) {
    if (std::find_if(std::begin(kStorageClasses), std::end(kStorageClasses), [&](const char* s) { return *sc == s; }) ==
        std::end(kStorageClasses))
      throw S3Error("InvalidStorageClass").with("StorageClassRequested", *sc);
    m.storage_class = *sc;
  }
  if (auto* t = req.header("x-amz-tagging")) {
    m.tags = parse_tagging_header(*t);
    validate_tags(m.tags);
  }
  return m;
}

void checksum_headers(const ObjectMeta& m, http::Response& res) {
  if (m.checksum_algo.empty()) return;
  auto algo = parse_algo(m.checksum_algo);
  if (!algo) return;
  res.set_header(algo_header(*algo), m.checksum_value);
  res.set_header("x-amz-checksum-type", m.checksum_type);
}

void object_headers(const Object& o, http::Response& res) {
  res.set_header("ETag", o.etag);
  res.set_header("Last-Modified", http_date(o.last_modified_ms / 1000));
  res.set_header("Accept-Ranges", "bytes");
  // Stored under lower-case names; sent as S3 spells them.
  static const std::pair<const char*, const char*> kSpelling[] = {
      {"content-type", "Content-Type"},         {"content-encoding", "Content-Encoding"},
      {"content-disposition", "Content-Disposition"}, {"content-language", "Content-Language"},
      {"cache-control", "Cache-Control"},       {"expires", "Expires"}};
  bool has_type = false;
  for (auto& [k, v] : o.meta.headers) {
    const char* name = k.c_str();
    for (auto& [lower, spelled] : kSpelling) {
      if (k == lower) name = spelled;
    }
    res.set_header(name, v);
    if (k == "content-type") has_type = true;
  }
  if (!has_type) res.set_header("Content-Type", "binary/octet-stream");
  for (auto& [k, v] : o.meta.user) res.set_header("x-amz-meta-" + k, returned_meta_value(v));
  if (o.meta.storage_class != "STANDARD") res.set_header("x-amz-storage-class", o.meta.storage_class);
  if (!o.meta.tags.empty()) res.set_header("x-amz-tagging-count", std::to_string(o.meta.tags.size()));
  if (!o.meta.part_sizes.empty()) res.set_header("x-amz-mp-parts-count", std::to_string(o.meta.part_sizes.size()));
}

ChecksumRequest checksum_request(const http::Request& req) {
  ChecksumRequest want;
  int headers = 0;
  for (Algo a : kAllAlgos) {
    auto* v = req.header(algo_header(a));
    if (!v) continue;
    headers++;
    want.algo = a;
    want.expected = *v;
    std::string raw;
    if (!base64_decode(*v, raw) || raw.size() != algo_raw_size(a))
      throw S3Error("InvalidRequest", "Value for " + algo_header(a) + " header is invalid.");
  }
  if (headers > 1)
    throw S3Error("InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  if (auto* tr = req.header("x-amz-trailer")) {
    std::string name = to_lower(trim(*tr));
    if (starts_with(name, "x-amz-checksum-")) {
      auto a = parse_algo(name.substr(15));
      if (!a) throw S3Error("InvalidRequest", "The value specified in the x-amz-trailer header is not supported");
      if (headers > 0)
        throw S3Error("InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
      want.algo = *a;
      want.in_trailer = true;
    }
  }
  if (auto* sdk = req.header("x-amz-sdk-checksum-algorithm")) {
    auto a = parse_algo(*sdk);
    if (!a) throw S3Error("InvalidRequest", "Value for x-amz-sdk-checksum-algorithm header is invalid.");
    if (want.algo == Algo::kNone)
      throw S3Error("InvalidRequest",
                    "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer "
                    "headers were found.");
    if (*a != want.algo)
      throw S3Error("InvalidRequest", "Value for x-amz-sdk-checksum-algorithm header is invalid.");
  }
  return want;
}

void body_failed(Ctx& c, const http::BodyError& e) {
  c.res.close_connection = true;
  S3Error err(e.code, e.message);
  err.status = e.status;
  if (e.code == "XAmzContentSHA256Mismatch") {
    if (auto* v = dynamic_cast<auth::Sha256VerifyingBody*>(c.req.body.get())) {
      err.with("ClientComputedContentSHA256", c.req.header_or("x-amz-content-sha256"));
      err.with("S3ComputedContentSHA256", v->computed_hex());
    }
  }
  throw err;
}

const Object& loaded_object(const Ctx& c) {
  const std::string* vid = c.req.query_param("versionId");
  if (!c.obj) {
    if (vid) throw S3Error("NoSuchVersion").with("Key", c.key).with("VersionId", *vid);
    throw S3Error("NoSuchKey").with("Key", c.key);
  }
  if (c.obj->is_marker) {
    // The latest version is a delete marker: 404 as if missing; a marker named by its id: 405.
    S3Error e = vid ? S3Error("MethodNotAllowed").with("Method", c.req.method).with("ResourceType", "DeleteMarker")
                    : S3Error("NoSuchKey").with("Key", c.key);
    e.header("x-amz-delete-marker", "true").header("x-amz-version-id", c.obj->version_id);
    if (vid) e.header("Last-Modified", http_date(c.obj->last_modified_ms / 1000)).header("Allow", "DELETE");
    throw e;
  }
  return *c.obj;
}

void check_version_id(const std::string& id, const char* what) {
  if (id.empty()) throw S3Error("InvalidArgument", "Version id cannot be the empty string").with("ArgumentName", what);
  if (id != "null" && !version_seq(id))
    throw S3Error("InvalidArgument", "Invalid version id specified").with("ArgumentName", what).with("ArgumentValue", id);
}

void version_header(const Ctx& c, const Object& o, http::Response& res) {
  if (o.version_id != "null" || (c.bkt && c.bkt->versioning != Versioning::kNone))
    res.set_header("x-amz-version-id", o.version_id);
}

void verify_body_integrity(const http::Request& req, const std::string& body) {
  if (auto* h = req.header("content-md5")) {
    std::string want;
    if (!base64_decode(trim(*h), want) || want.size() != 16) throw S3Error("InvalidDigest");
    if (want != md5_raw(body)) throw S3Error("BadDigest");
    return;
  }
  for (Algo a : kAllAlgos) {
    auto* h = req.header(algo_header(a));
    if (!h) continue;
    Checksummer cs(a);
    cs.update(body.data(), body.size());
    if (base64_encode(cs.final()) != trim(*h))
      throw S3Error("BadDigest", std::string("The ") + algo_name(a) + " you specified did not match the calculated checksum.");
    return;
  }
  throw S3Error("InvalidRequest", "Missing required header for this request: Content-MD5");
}

std::string read_small_body(Ctx& c, size_t limit) {
  std::string body;
  if (auto e = http::read_all(*c.req.body, limit, body)) body_failed(c, *e);
  // The request journal keeps configuration bodies (the console turns them into CLI arguments).
  c.res.journal.body.assign(body, 0, http::kJournalBodyLimit + 1);
  return body;
}

Received receive_body(Ctx& c, uint64_t max_size, const ChecksumRequest& want, const Encryption* enc) {
  auto& req = c.req;
  std::optional<uint64_t> len = req.body->length();
  bool chunked = is_aws_chunked(req);
  if (chunked) {
    auto* d = req.header("x-amz-decoded-content-length");
    if (!d) throw S3Error("MissingContentLength");
    len = parse_u64(*d);
    if (!len) throw S3Error("InvalidArgument", "x-amz-decoded-content-length is not a number");
  } else if (!req.has_header("content-length")) {
    throw S3Error("MissingContentLength");
  }
  if (len && *len > max_size) {
    throw S3Error("EntityTooLarge").with("ProposedSize", std::to_string(*len)).with("MaxSizeAllowed",
                                                                                    std::to_string(max_size));
  }
  // Content-MD5 is checked for form before any byte is stored.
  std::string content_md5;
  if (auto* h = req.header("content-md5")) {
    if (!base64_decode(trim(*h), content_md5) || content_md5.size() != 16) throw S3Error("InvalidDigest");
  }

  HashingWriter writer(c.env.blobs, max_size, want.algo);
  if (enc) writer.encrypt_with(*enc);
  auto err = req.body->read([&](const char* data, size_t n) { return writer.write(data, n); });
  // Reading stopped early: what is left of the body is still on the wire.
  if (writer.fail() != HashingWriter::Fail::kNone) c.res.close_connection = true;
  if (writer.fail() == HashingWriter::Fail::kTooBig)
    throw S3Error("EntityTooLarge").with("MaxSizeAllowed", std::to_string(max_size));
  if (writer.fail() == HashingWriter::Fail::kIo)
    throw S3Error("InternalError", "The server could not store the object (disk full?)");
  if (err) body_failed(c, *err);
  const Received& r = writer.digests();
  if (!content_md5.empty() && content_md5 != r.md5) {
    throw S3Error("BadDigest").with("ExpectedDigest", to_hex(content_md5)).with("CalculatedDigest", base64_encode(r.md5));
  }
  if (r.algo != Algo::kNone) {
    std::string expected = want.expected;
    bool verify = !expected.empty() || want.in_trailer;
    if (want.in_trailer) {
      auto& tr = req.body->trailers();
      auto it = tr.find(algo_header(want.algo));
      if (it == tr.end())
        throw S3Error("InvalidRequest", "The x-amz-trailer header was sent but no trailing checksum was found.");
      expected = trim(it->second);
    }
    if (verify && expected != r.checksum) {
      throw S3Error("BadDigest", std::string("The ") + algo_name(want.algo) +
                                     " you specified did not match the calculated checksum.");
    }
  }
  return writer.commit();
}

Received copy_bytes(Ctx& c, const http::OpenFile& from, uint64_t offset, uint64_t length, Algo algo,
                    const Encryption* enc) {
  HashingWriter writer(c.env.blobs, kMaxPutSize, algo);
  if (enc) writer.encrypt_with(*enc);
  writer.copy_from(from, offset, length);
  return writer.commit();
}

}  // namespace localaws::s3
