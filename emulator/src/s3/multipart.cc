// Multipart uploads: Create, UploadPart(Copy), Complete, Abort, ListParts, ListMultipartUploads.
// Completion concatenates the parts' blobs into one blob by streaming, so GET, ranges and copies
// treat multipart objects like any other.
#include <algorithm>

#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"
#include "http/body.h"
#include "s3/cipher.h"
#include "s3/handlers.h"
#include "s3/lifecycle.h"
#include "s3/sse.h"

namespace localaws::s3 {

namespace {
constexpr uint64_t kMinPartSize = 5ull << 20;  // 5 MiB, every part but the last

std::string upload_id_param(const Ctx& c) {
  auto* v = c.req.query_param("uploadId");
  return v ? *v : "";
}

Upload require_upload(Ctx& c) {
  auto u = c.store().upload(c.bucket, c.key, upload_id_param(c));
  if (!u) throw S3Error("NoSuchUpload").with("UploadId", upload_id_param(c));
  return *u;
}

int part_number_param(const Ctx& c) {
  auto* v = c.req.query_param("partNumber");
  auto n = v ? parse_u64(*v) : std::nullopt;
  if (!n || *n < 1 || *n > 10000)
    throw S3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive")
        .with("ArgumentName", "partNumber")
        .with("ArgumentValue", v ? *v : "");
  return static_cast<int>(*n);
}

std::string strip_quotes(std::string s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

void add_initiator_owner(XmlNode r, const Owner& o) {
  r.child("Initiator").add("ID", o.id);
  r.child("Owner").add("ID", o.id);
}

std::optional<Algo> upload_algo(const Upload& u) {
  if (u.meta.checksum_algo.empty()) return std::nullopt;
  return parse_algo(u.meta.checksum_algo);
}

// The object checksum a CompleteMultipartUpload claims (x-amz-checksum-<algo>), checked against
// the upload's algorithm and type (x-amz-checksum-type).
struct CompleteChecksum {
  std::string value;  // as sent; empty when none
};

CompleteChecksum complete_checksum(const http::Request& req, const Upload& u, std::optional<Algo> algo) {
  CompleteChecksum out;
  if (auto* t = req.header("x-amz-checksum-type")) {
    std::string want = algo ? u.meta.checksum_type : "FULL_OBJECT";
    if (trim(*t) != "FULL_OBJECT" && trim(*t) != "COMPOSITE")
      throw S3Error("InvalidRequest", "Value for x-amz-checksum-type header is invalid.");
    if (trim(*t) != want)
      throw S3Error("InvalidRequest", "The upload was created using the " + want + " checksum mode. The complete "
                                      "request must use the same checksum mode.");
  }
  for (Algo a : kAllAlgos) {
    auto* v = req.header(algo_header(a));
    if (!v) continue;
    Algo expected = algo.value_or(Algo::kCrc64Nvme);
    if (a != expected)
      throw S3Error("InvalidRequest", std::string("Checksum Type mismatch occurred, expected checksum Type: ") +
                                          to_lower(algo_name(expected)) + ", actual checksum Type: " +
                                          to_lower(algo_name(a)));
    out.value = trim(*v);
  }
  return out;
}
}  // namespace

void create_multipart_upload(Ctx& c) {
  Upload u;
  u.meta = meta_from_headers(c.req);
  u.meta.acl = new_object_access(c).acl;
  // Explicit x-amz-object-lock-* headers are kept for the completed version; a bucket default
  // retention counts from completion instead.
  if (c.req.header("x-amz-object-lock-mode") || c.req.header("x-amz-object-lock-legal-hold") ||
      c.req.header("x-amz-object-lock-retain-until-date")) {
    new_object_lock(c).apply(u);
  }
  if (auto* a = c.req.header("x-amz-checksum-algorithm")) {
    auto algo = parse_algo(*a);
    if (!algo) throw S3Error("InvalidRequest", "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
    std::string type = c.req.header_or("x-amz-checksum-type", default_checksum_type(*algo));
    if (std::string why = checksum_type_error(*algo, type); !why.empty()) throw S3Error("InvalidRequest", why);
    u.meta.checksum_algo = algo_name(*algo);
    u.meta.checksum_type = type;
  } else if (c.req.header("x-amz-checksum-type")) {
    // Without an algorithm the completed object gets S3's default CRC64NVME (FULL_OBJECT).
    throw S3Error("InvalidRequest", "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm "
                                    "header.");
  }
  NewSse sse = new_object_sse(c);
  sse.apply(u.meta);  // SSE-C: the upload's nonce, from which each part's is derived
  u.id = base64_encode(random_hex(24));
  for (auto& ch : u.id) {
    if (ch == '+') ch = '.';  // upload ids go into query strings unencoded by some clients
    if (ch == '/') ch = '_';
    if (ch == '=') ch = '-';
  }
  u.bucket = c.bucket;
  u.key = c.key;
  u.initiated_ms = c.now_ms;
  u.owner = owner_of(c.who);
  raise(c.store().create_upload(u), c);
  abort_headers(*c.bkt, c.key, u.initiated_ms, c.res);  // lifecycle.h
  if (!u.meta.checksum_algo.empty()) {
    c.res.set_header("x-amz-checksum-algorithm", u.meta.checksum_algo);
    c.res.set_header("x-amz-checksum-type", u.meta.checksum_type);
  }
  sse_headers(u.meta, c.res, true);
  XmlDoc doc("InitiateMultipartUploadResult");
  doc.root.add("Bucket", c.bucket).add("Key", c.key).add("UploadId", u.id);
  reply_xml(c, doc);
}

namespace {
void upload_part(Ctx& c, bool copy) {
  int number = part_number_param(c);
  Upload u = require_upload(c);
  auto algo = upload_algo(u);
  // SSE-C: the upload's key again; the part is encrypted with a nonce derived from its ETag,
  // which is then random (as for SSE-KMS), never the MD5.
  auto key = upload_key(c.req, u);
  std::string etag = etag_is_md5(u.meta) ? "" : new_etag(u.meta, "");
  std::optional<Encryption> enc;
  if (key) enc = Encryption{key->key, part_nonce(u, etag)};
  Received r;
  bool copy_versioned = false;
  std::string copy_version;
  if (copy) {
    CopySource src = open_copy_source(c);
    copy_versioned = src.versioned;
    copy_version = src.obj.version_id;
    uint64_t offset = 0, length = src.obj.size;
    if (auto* range = c.req.header("x-amz-copy-source-range")) {
      std::string s = trim(*range);
      size_t dash = s.find('-');
      auto a = starts_with(s, "bytes=") && dash != std::string::npos ? parse_u64(s.substr(6, dash - 6)) : std::nullopt;
      auto b = a ? parse_u64(s.substr(dash + 1)) : std::nullopt;
      if (!a || !b || *b < *a)
        throw S3Error("InvalidArgument", "The x-amz-copy-source-range value must be of the form bytes=first-last where "
                                         "first and last are the zero-based offsets of the first and last bytes to copy")
            .with("ArgumentName", "x-amz-copy-source-range")
            .with("ArgumentValue", *range);
      if (*b >= src.obj.size)
        throw S3Error("InvalidArgument",
                      "Range specified is not valid for source object of size: " + std::to_string(src.obj.size))
            .with("ArgumentName", "x-amz-copy-source-range")
            .with("ArgumentValue", *range);
      offset = *a;
      length = *b - *a + 1;
    }
    if (length > kMaxPutSize) throw S3Error("EntityTooLarge").with("MaxSizeAllowed", std::to_string(kMaxPutSize));
    r = copy_bytes(c, *src.file, offset, length, algo.value_or(Algo::kCrc64Nvme), enc ? &*enc : nullptr);
  } else {
    if (!u.lock_mode.empty() || has_default_retention(*c.bkt)) require_integrity(c, "Put Part");
    ChecksumRequest want = checksum_request(c.req);
    if (algo && want.algo != Algo::kNone && want.algo != *algo)
      throw S3Error("InvalidRequest", std::string("Checksum Type mismatch occurred, expected checksum Type: ") +
                                          to_lower(algo_name(*algo)) + ", actual checksum Type: " +
                                          to_lower(algo_name(want.algo)));
    if (algo && want.algo == Algo::kNone && u.meta.checksum_type == "COMPOSITE")
      throw S3Error("InvalidRequest", std::string("Checksum Type mismatch occurred, expected checksum Type: ") +
                                          to_lower(algo_name(*algo)) + ", actual checksum Type: null");
    // Computed when the client sent none: the upload's (FULL_OBJECT, combined at completion) or,
    // for an upload without an algorithm, S3's default CRC64NVME.
    if (want.algo == Algo::kNone) want.algo = algo.value_or(Algo::kCrc64Nvme);
    r = receive_body(c, kMaxPutSize, want, enc ? &*enc : nullptr);
  }
  // ---- checks end; the part row switches here ----
  if (etag.empty()) etag = quote_etag(r.md5);
  Part p{number, r.size, etag, r.blob_id, c.now_ms, r.checksum};
  raise(c.store().put_part(u.id, p), c);
  sse_headers(u.meta, c.res);
  if (copy) {
    if (copy_versioned) c.res.set_header("x-amz-copy-source-version-id", copy_version);
    XmlDoc doc("CopyPartResult");
    doc.root.add("ETag", p.etag).add("LastModified", iso8601_ms(p.last_modified_ms));
    if (algo) doc.root.add(algo_xml(*algo), p.checksum);
    reply_xml(c, doc);
  } else {
    c.res.set_header("ETag", p.etag);
    if (r.algo != Algo::kNone) c.res.set_header(algo_header(r.algo), r.checksum);
  }
}

}  // namespace

void upload_part(Ctx& c) { upload_part(c, false); }
void upload_part_copy(Ctx& c) { upload_part(c, true); }

namespace {
// The part list a CompleteMultipartUpload body names ("n:etag," each), to tell a repeated
// completion from a different one.
std::string parts_signature(pugi::xml_node root) {
  std::string sig;
  for (auto p : root.children("Part")) {
    sig += trim(child_text(p, "PartNumber").value_or("")) + ":" + strip_quotes(child_text(p, "ETag").value_or("")) + ",";
  }
  return sig;
}

void reply_completed(Ctx& c, const Object& o) {
  version_header(c, o, c.res);
  expiration_header(*c.bkt, o, c.res);  // lifecycle.h
  sse_headers(o.meta, c.res, false, false);
  XmlDoc out("CompleteMultipartUploadResult");
  out.root.add("Location", c.req.origin() + "/" + uri_encode(c.bucket) + "/" + uri_encode(c.key, true))
      .add("Bucket", c.bucket)
      .add("Key", c.key)
      .add("ETag", o.etag);
  if (!o.meta.checksum_algo.empty()) {
    out.root.add("Checksum" + o.meta.checksum_algo, o.meta.checksum_value).add("ChecksumType", o.meta.checksum_type);
  }
  reply_xml(c, out);
}

// The upload is gone: completed with these same parts, S3 answers what the completion answered
// (same ETag, version id); anything else is NoSuchUpload.
void reply_repeated(Ctx& c, const std::string* read_body) {
  auto done = c.store().completed_upload(c.bucket, c.key, upload_id_param(c));
  if (!done) throw S3Error("NoSuchUpload").with("UploadId", upload_id_param(c));
  std::string body = read_body ? *read_body : read_small_body(c, 4 * 1024 * 1024);
  pugi::xml_document doc;
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != "CompleteMultipartUpload")
    throw S3Error("MalformedXML");
  if (parts_signature(doc.document_element()) != done->parts)
    throw S3Error("NoSuchUpload").with("UploadId", upload_id_param(c));
  reply_completed(c, done->obj);
}
}  // namespace

void complete_multipart_upload(Ctx& c) {
  auto found = c.store().upload(c.bucket, c.key, upload_id_param(c));
  if (!found) return reply_repeated(c, nullptr);
  Upload u = std::move(*found);
  auto algo = upload_algo(u);
  std::string body = read_small_body(c, 4 * 1024 * 1024);
  // Completed or aborted by another request while this one's body arrived: a conditional
  // completion lost the race (S3: 409), a plain one answers as a repeated completion.
  if (!c.store().upload(c.bucket, c.key, u.id)) {
    if (c.req.has_header("if-none-match") || c.req.has_header("if-match")) throw S3Error("ConditionalRequestConflict");
    return reply_repeated(c, &body);
  }
  pugi::xml_document doc;
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != "CompleteMultipartUpload")
    throw S3Error("MalformedXML");
  struct Wanted {
    int number;
    std::string etag;
    std::string checksum;
  };
  std::vector<Wanted> wanted;
  for (auto p : doc.document_element().children("Part")) {
    auto n = parse_u64(trim(child_text(p, "PartNumber").value_or("")));
    auto e = child_text(p, "ETag");
    if (!n || !e) throw S3Error("MalformedXML");
    std::string cs = algo ? trim(child_text(p, algo_xml(*algo).c_str()).value_or("")) : "";
    wanted.push_back({static_cast<int>(*n), strip_quotes(*e), cs});
  }
  if (wanted.empty()) throw S3Error("MalformedXML");
  bool composite_type = algo && u.meta.checksum_type == "COMPOSITE";
  for (auto& w : wanted) {
    if (composite_type && w.checksum.empty())
      throw S3Error("InvalidRequest", "The upload was created using a " + to_lower(algo_name(*algo)) +
                                          " checksum. The complete request must include the checksum for each part. "
                                          "It was missing for part " + std::to_string(w.number) + " in the request.");
  }
  CompleteChecksum claimed = complete_checksum(c.req, u, algo);
  for (size_t i = 1; i < wanted.size(); i++) {
    if (wanted[i].number <= wanted[i - 1].number) throw S3Error("InvalidPartOrder").with("UploadId", u.id);
  }
  auto stored = c.store().parts(u.id);
  std::vector<Part> chosen;
  for (size_t i = 0; i < wanted.size(); i++) {
    auto it = std::find_if(stored.begin(), stored.end(), [&](const Part& p) { return p.number == wanted[i].number; });
    if (it == stored.end() || strip_quotes(it->etag) != wanted[i].etag ||
        (!wanted[i].checksum.empty() && wanted[i].checksum != it->checksum))
      throw S3Error("InvalidPart").with("UploadId", u.id).with("PartNumber", std::to_string(wanted[i].number))
          .with("ETag", wanted[i].etag);
    if (i + 1 < wanted.size() && it->size < kMinPartSize)
      throw S3Error("EntityTooSmall")
          .with("ProposedSize", std::to_string(it->size))
          .with("MinSizeAllowed", std::to_string(kMinPartSize))
          .with("PartNumber", std::to_string(it->number))
          .with("ETag", it->etag);
    chosen.push_back(*it);
  }
  // Open every part before writing anything: a concurrent abort cannot take bytes from an open file.
  std::vector<std::shared_ptr<http::OpenFile>> files;
  for (auto& p : chosen) {
    auto f = c.env.blobs.open(p.blob_id);
    if (!f) throw S3Error("InvalidPart").with("UploadId", u.id).with("PartNumber", std::to_string(p.number));
    files.push_back(std::move(f));
  }
  // The object's checksum from the parts' (composite: a digest of theirs; full object: their CRCs
  // combined). An upload without an algorithm gets CRC64NVME: combined when every part has one,
  // else computed while the parts are concatenated.
  Algo obj_algo = algo.value_or(Algo::kCrc64Nvme);
  std::string obj_type = algo ? u.meta.checksum_type : "FULL_OBJECT";
  std::string obj_checksum;
  bool stream = false;
  if (obj_type == "COMPOSITE") {
    Checksummer digest(obj_algo);
    for (auto& p : chosen) {
      std::string raw;
      base64_decode(p.checksum, raw);
      digest.update(raw.data(), raw.size());
    }
    obj_checksum = base64_encode(digest.final()) + "-" + std::to_string(chosen.size());
  } else {
    std::string full;
    for (size_t i = 0; i < chosen.size() && !stream; i++) {
      std::string raw;
      if (!base64_decode(chosen[i].checksum, raw) || raw.size() != algo_raw_size(obj_algo)) stream = true;
      else full = i == 0 ? raw : crc_combine(obj_algo, full, raw, chosen[i].size);
    }
    if (!stream) obj_checksum = base64_encode(full);
  }
  if (!claimed.value.empty() && !stream && claimed.value != obj_checksum &&
      claimed.value != obj_checksum.substr(0, obj_checksum.find('-')))
    throw S3Error("BadDigest", "The " + to_lower(algo_name(obj_algo)) +
                                   " you specified did not match the calculated checksum.");
  // SSE-C parts stay as they were encrypted (one segment each). AWS asks for the key for a
  // full-object checksum; the plaintext is read only for a default checksum the parts lack.
  bool ssec = !u.meta.ssec_key_md5.empty();
  auto key = upload_key(c.req, u, ssec && algo && u.meta.checksum_type == "FULL_OBJECT");
  if (ssec && stream && !key) stream = false;  // no key, no plaintext: the object gets no checksum
  WriteCond cond = write_cond(c);  // put.cc
  // ---- checks end; the parts are concatenated into one blob and the row switched ----
  HashingWriter writer(c.env.blobs, UINT64_MAX, stream ? obj_algo : Algo::kNone, false);
  Digest etag_md5(Digest::Kind::kMd5);
  ObjectMeta meta = u.meta;
  if (obj_type == "COMPOSITE") {  // GetObjectAttributes lists them
    for (auto& p : chosen) meta.part_checksums.push_back(p.checksum);
  }
  std::string nonces;
  for (size_t i = 0; i < chosen.size(); i++) {
    std::string raw_md5;
    std::string hex = strip_quotes(chosen[i].etag);
    for (size_t k = 0; k + 1 < hex.size(); k += 2) raw_md5.push_back(static_cast<char>(std::stoi(hex.substr(k, 2), nullptr, 16)));
    etag_md5.update(raw_md5);
    if (ssec) {
      std::string nonce = part_nonce(u, chosen[i].etag);
      nonces += nonce;
      if (stream) {  // decrypted for the checksum, encrypted again with the same keystream
        writer.encrypt_with({key->key, nonce});
        writer.copy_from(DecryptingFile(files[i], key->key, {{0, nonce}}), 0, chosen[i].size);
      } else {
        writer.copy_from(*files[i], 0, chosen[i].size);
      }
    } else {
      writer.copy_from(*files[i], 0, chosen[i].size);
    }
    meta.part_sizes.push_back(chosen[i].size);
  }
  if (ssec) meta.ssec_nonce = encode_nonces(nonces);
  std::string n = std::to_string(chosen.size());
  if (stream) {
    obj_checksum = writer.digests().checksum;
    if (!claimed.value.empty() && claimed.value != obj_checksum)
      throw S3Error("BadDigest", "The " + to_lower(algo_name(obj_algo)) +
                                     " you specified did not match the calculated checksum.");
  }
  Received r = writer.commit();
  if (!obj_checksum.empty()) {
    meta.checksum_algo = algo_name(obj_algo);
    meta.checksum_value = obj_checksum;
    meta.checksum_type = obj_type;
  } else {
    meta.checksum_algo.clear();
    meta.checksum_type.clear();
  }
  uint64_t size = 0;
  for (auto& p : chosen) size += p.size;
  Object o{c.bucket, c.key, size, "\"" + to_hex(etag_md5.final()) + "-" + n + "\"", c.now_ms, r.blob_id,
           completed_owner(c, meta.acl), std::move(meta)};
  // The lock asked for at CreateMultipartUpload, else the bucket's default retention from now.
  NewLock lock{u.lock_mode, u.lock_until_ms, u.legal_hold};
  if (lock.mode.empty() && c.bkt->object_lock) {
    NewLock d = new_object_lock(c);
    lock.mode = d.mode;
    lock.until_ms = d.until_ms;
  }
  lock.apply(o);
  St st = c.store().complete_upload(u.id, o, cond, parts_signature(doc.document_element()));
  if (st == St::kNoSuchUpload) return reply_repeated(c, &body);  // completed meanwhile by another request
  raise(st, c);
  reply_completed(c, o);
}

void abort_multipart_upload(Ctx& c) {
  raise(c.store().abort_upload(c.bucket, c.key, upload_id_param(c)), c);
  c.res.status = 204;
}

void list_parts(Ctx& c) {
  Upload u = require_upload(c);
  abort_headers(*c.bkt, c.key, u.initiated_ms, c.res);  // lifecycle.h
  size_t max = count_param(c, "max-parts", 1000, 1000);
  int marker = static_cast<int>(count_param(c, "part-number-marker", 0, 100000));
  // encoding-type=url (older SDKs send it: the AWS SDK for Java 1.x decodes the Key) encodes the Key.
  bool url = url_encoding(c);
  auto parts = c.store().parts(u.id);
  XmlDoc doc("ListPartsResult");
  auto& r = doc.root;
  r.add("Bucket", c.bucket).add("Key", url ? uri_encode(c.key, true) : c.key).add("UploadId", u.id);
  if (url) r.add("EncodingType", "url");
  add_initiator_owner(r, u.owner);
  r.add("StorageClass", u.meta.storage_class).add("PartNumberMarker", static_cast<uint64_t>(marker));
  std::vector<Part> page;
  bool truncated = false;
  for (auto& p : parts) {
    if (p.number <= marker) continue;
    if (page.size() == max) {
      truncated = true;
      break;
    }
    page.push_back(p);
  }
  r.add("NextPartNumberMarker", static_cast<uint64_t>(page.empty() ? 0 : page.back().number));
  r.add("MaxParts", max).add_bool("IsTruncated", truncated);
  if (!u.meta.checksum_algo.empty()) r.add("ChecksumAlgorithm", u.meta.checksum_algo).add("ChecksumType", u.meta.checksum_type);
  for (auto& p : page) {
    auto e = r.child("Part");
    e.add("PartNumber", static_cast<uint64_t>(p.number)).add("LastModified", iso8601_ms(p.last_modified_ms));
    e.add("ETag", p.etag).add("Size", p.size);
    if (!u.meta.checksum_algo.empty()) {
      if (!p.checksum.empty()) e.add("Checksum" + u.meta.checksum_algo, p.checksum);
    } else if (p.checksum.size() == 12) {  // base64 of 8 bytes: S3's default CRC64NVME of the part
      e.add(algo_xml(Algo::kCrc64Nvme), p.checksum);
    }
  }
  reply_xml(c, doc);
}

void list_multipart_uploads(Ctx& c) {
  auto param = [&](const char* n) {
    auto* v = c.req.query_param(n);
    return v ? *v : std::string();
  };
  std::string prefix = param("prefix"), delimiter = param("delimiter"), key_marker = param("key-marker"),
              id_marker = param("upload-id-marker");
  size_t max = count_param(c, "max-uploads", 1000, 1000);
  // encoding-type=url encodes Delimiter, KeyMarker, Prefix, NextKeyMarker and Key (and the common
  // prefixes, as the object listings do).
  bool url = url_encoding(c);
  auto enc = [&](const std::string& s) { return url ? uri_encode(s, true) : s; };
  // In-progress uploads are few; one bounded read from the seek position is enough here.
  auto all = c.store().list_uploads(c.bucket, std::max(prefix, key_marker), 100000);
  XmlDoc doc("ListMultipartUploadsResult");
  auto& r = doc.root;
  r.add("Bucket", c.bucket).add("KeyMarker", enc(key_marker)).add("UploadIdMarker", id_marker);
  std::vector<const Upload*> uploads;
  std::vector<std::string> prefixes;
  bool truncated = false, past_id_marker = id_marker.empty();
  for (auto& u : all) {
    if (!starts_with(u.key, prefix)) break;
    if (!key_marker.empty()) {
      if (u.key < key_marker) continue;
      if (u.key == key_marker) {
        if (!past_id_marker) {
          if (u.id == id_marker) past_id_marker = true;
          continue;
        }
        if (id_marker.empty()) continue;
      }
    }
    std::string cp;
    if (!delimiter.empty()) {
      size_t pos = u.key.find(delimiter, prefix.size());
      if (pos != std::string::npos) cp = u.key.substr(0, pos + delimiter.size());
    }
    if (!cp.empty() && !prefixes.empty() && prefixes.back() == cp) continue;
    if (uploads.size() + prefixes.size() == max) {
      truncated = true;
      break;
    }
    if (!cp.empty()) prefixes.push_back(cp);
    else uploads.push_back(&u);
  }
  r.add("NextKeyMarker", uploads.empty() ? "" : enc(uploads.back()->key));
  r.add("NextUploadIdMarker", uploads.empty() ? "" : uploads.back()->id);
  if (!delimiter.empty()) r.add("Delimiter", enc(delimiter));
  if (!prefix.empty()) r.add("Prefix", enc(prefix));
  r.add("MaxUploads", max).add_bool("IsTruncated", truncated);
  if (url) r.add("EncodingType", "url");
  for (auto* u : uploads) {
    auto e = r.child("Upload");
    e.add("Key", enc(u->key)).add("UploadId", u->id);
    add_initiator_owner(e, u->owner);
    e.add("StorageClass", u->meta.storage_class).add("Initiated", iso8601_ms(u->initiated_ms));
    if (!u->meta.checksum_algo.empty()) e.add("ChecksumAlgorithm", u->meta.checksum_algo);
  }
  for (auto& p : prefixes) r.child("CommonPrefixes").add("Prefix", enc(p));
  reply_xml(c, doc);
}

}  // namespace localaws::s3
