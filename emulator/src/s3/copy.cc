// CopyObject, and the copy source shared with UploadPartCopy. Copies stream file to file.
#include "common/strings.h"
#include "common/time.h"
#include "s3/handlers.h"
#include "s3/lifecycle.h"
#include "s3/rules.h"
#include "s3/sse.h"

namespace localaws::s3 {

CopySource open_copy_source(Ctx& c) {
  std::string src = *c.req.header("x-amz-copy-source");
  std::string version;
  bool by_version = false;
  if (auto q = src.find('?'); q != std::string::npos) {
    auto params = parse_query(src.substr(q + 1));
    if (params) {
      for (auto& [k, v] : *params) {
        if (k == "versionId") version = v, by_version = true;
      }
    }
    src = src.substr(0, q);
  }
  // Clients URL-encode the copy source; the server core keeps header values as sent.
  auto decoded = uri_decode(src);
  if (!decoded) throw S3Error("InvalidArgument", "Invalid copy source encoding").with("ArgumentName", "x-amz-copy-source");
  std::string path = *decoded;
  if (starts_with(path, "/")) path = path.substr(1);
  size_t slash = path.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == path.size())
    throw S3Error("InvalidArgument", "Invalid copy source object key")
        .with("ArgumentName", "x-amz-copy-source")
        .with("ArgumentValue", "x-amz-copy-source");
  std::string sb = path.substr(0, slash), sk = path.substr(slash + 1);
  if (by_version) check_version_id(version, "x-amz-copy-source");
  auto bucket = c.store().bucket(sb);
  if (!bucket) throw S3Error("NoSuchBucket").with("BucketName", sb);
  std::optional<Object> obj = version.empty() ? c.store().object(sb, sk) : c.store().find(sb, sk, version);
  if (!authorize(c, Op::kGetObject, &*bucket, obj ? &*obj : nullptr, by_version)) throw S3Error("AccessDenied");
  if (!obj) {
    // As GetObject: a missing source key is 404 only to a caller that may list its bucket.
    if (!may_list_bucket(c, *bucket)) throw S3Error("AccessDenied");
    if (!version.empty()) throw S3Error("NoSuchVersion").with("Key", sk).with("VersionId", version);
    throw S3Error("NoSuchKey").with("Key", sk);
  }
  if (obj->is_marker)
    throw S3Error("InvalidRequest", "The source of a copy request may not specifically refer to a delete marker by version id.");
  Conditions cond{c.req.header("x-amz-copy-source-if-match"), c.req.header("x-amz-copy-source-if-none-match"),
                  c.req.header("x-amz-copy-source-if-modified-since"),
                  c.req.header("x-amz-copy-source-if-unmodified-since")};
  // For copies every failed condition is a 412, including the ones a GET answers with 304.
  if (evaluate_conditions(cond, obj->etag, obj->last_modified_ms / 1000, c.now_ms / 1000) != CondResult::kProceed)
    throw S3Error("PreconditionFailed").with("Condition", "x-amz-copy-source-If-*");
  require_readable(*obj, c.now_ms);  // an archived source needs a restored copy (lifecycle.h)
  // An SSE-C source needs its key in the x-amz-copy-source-server-side-encryption-customer-* headers.
  auto key = key_for_read(c.req, obj->meta, true);
  auto file = c.env.blobs.open(obj->blob_id);
  if (!file) throw S3Error("InternalError", "The source object's data is missing");
  file = plaintext(std::move(file), obj->meta, key);
  bool versioned = bucket->versioning != Versioning::kNone || obj->version_id != "null";
  return {std::move(*obj), std::move(file), versioned, by_version};
}

namespace {
bool directive_is_replace(const http::Request& req, const char* header) {
  std::string d = req.header_or(header, "COPY");
  if (d != "COPY" && d != "REPLACE") throw S3Error("InvalidArgument", std::string("Unknown ") + header + " value: " + d);
  return d == "REPLACE";
}
}  // namespace

void copy_object(Ctx& c) {
  bool replace_meta = directive_is_replace(c.req, "x-amz-metadata-directive");
  bool replace_tags = directive_is_replace(c.req, "x-amz-tagging-directive");
  ObjectMeta requested = meta_from_headers(c.req);
  NewObjectAccess access = new_object_access(c);
  std::optional<Algo> algo;
  if (auto* a = c.req.header("x-amz-checksum-algorithm")) {
    algo = parse_algo(*a);
    if (!algo) throw S3Error("InvalidRequest", "Value for x-amz-checksum-algorithm header is invalid.");
  }
  NewLock lock = new_object_lock(c);
  NewSse sse = new_object_sse(c);  // the destination's: the source's encryption is not copied
  CopySource src = open_copy_source(c);
  WriteCond cond = write_cond(c);  // If-Match / If-None-Match on the destination, as PutObject
  // Copying a version over its key (restoring it) is a change; the current version onto itself is not.
  bool same = src.obj.bucket == c.bucket && src.obj.key == c.key && !src.by_version;
  if (same && !replace_meta && !c.req.has_header("x-amz-storage-class") && !algo && !sse.named)
    throw S3Error("InvalidRequest",
                  "This copy request is illegal because it is trying to copy an object to itself without changing the "
                  "object's metadata, storage class, website redirect location or encryption attributes.");
  if (src.obj.size > kMaxPutSize)
    throw S3Error("InvalidRequest", "The specified copy source is larger than the maximum allowable size for a copy "
                                    "source: 5368709120");
  ObjectMeta meta = replace_meta ? requested : src.obj.meta;
  if (!replace_meta && c.req.has_header("x-amz-storage-class")) meta.storage_class = requested.storage_class;
  meta.tags = replace_tags ? requested.tags : src.obj.meta.tags;
  meta.part_sizes.clear();
  meta.acl = access.acl;  // a copy never keeps the source's ACL
  meta.checksum_algo.clear();
  meta.checksum_value.clear();
  meta.checksum_type.clear();
  // Without x-amz-checksum-algorithm the copy keeps the source's algorithm (recomputed over the
  // whole object: a copy is one part), and a source without one gets S3's default CRC64NVME.
  if (!algo && !src.obj.meta.checksum_algo.empty()) algo = parse_algo(src.obj.meta.checksum_algo);
  if (!algo) algo = Algo::kCrc64Nvme;
  std::string nonce = sse.apply(meta);
  std::optional<Encryption> enc;
  if (sse.ssec) enc = Encryption{sse.ssec->key, nonce};
  // ---- checks end; the bytes are copied and the row switched ----
  Received r = copy_bytes(c, *src.file, 0, src.obj.size, algo.value_or(Algo::kNone), enc ? &*enc : nullptr);
  if (r.algo != Algo::kNone) {
    meta.checksum_algo = algo_name(r.algo);
    meta.checksum_value = r.checksum;
    meta.checksum_type = "FULL_OBJECT";
  }
  std::string etag = new_etag(meta, r.md5);
  Object o{c.bucket, c.key, r.size, etag, c.now_ms, r.blob_id, access.owner, std::move(meta)};
  lock.apply(o);
  raise(c.store().put_object(o, cond), c);
  if (src.versioned) c.res.set_header("x-amz-copy-source-version-id", src.obj.version_id);
  version_header(c, o, c.res);
  sse_headers(o.meta, c.res, true);
  XmlDoc doc("CopyObjectResult");
  doc.root.add("LastModified", iso8601_ms(o.last_modified_ms)).add("ETag", o.etag);
  if (!o.meta.checksum_algo.empty()) {
    doc.root.add("ChecksumType", o.meta.checksum_type).add("Checksum" + o.meta.checksum_algo, o.meta.checksum_value);
  }
  reply_xml(c, doc);
}

}  // namespace localaws::s3
