// GetObject / HeadObject (ranges, partNumber, conditions, response-* overrides) and
// GetObjectAttributes. Bytes are streamed from the blob file, never loaded.
#include "common/strings.h"
#include "common/time.h"
#include "s3/handlers.h"
#include "s3/lifecycle.h"
#include "s3/rules.h"
#include "s3/sse.h"

namespace localaws::s3 {

namespace {
// False when the answer is a 304 (already written into c.res).
bool check_conditions(Ctx& c, const Object& o) {
  Conditions cond{c.req.header("if-match"), c.req.header("if-none-match"), c.req.header("if-modified-since"),
                  c.req.header("if-unmodified-since")};
  switch (evaluate_conditions(cond, o.etag, o.last_modified_ms / 1000, c.now_ms / 1000)) {
    case CondResult::kProceed: return true;
    case CondResult::kPreconditionFailed:
      throw S3Error("PreconditionFailed").with("Condition", cond.if_match ? "If-Match" : "If-Unmodified-Since");
    case CondResult::kNotModified: {
      // 304 keeps the validators (ETag, Last-Modified) but no body.
      c.res.status = 304;
      c.res.set_header("ETag", o.etag);
      c.res.set_header("Last-Modified", http_date(o.last_modified_ms / 1000));
      c.res.omit_body = true;
      c.res.set_header("Content-Length", "0");
      return false;
    }
  }
  return true;
}

// The checksum of part n (1-based) under x-amz-checksum-mode ENABLED: a part of a COMPOSITE
// object has its own (kept at CompleteMultipartUpload, ObjectMeta format 3); part 1 of a
// single-part object is the object. A part of a FULL_OBJECT upload has no checksum of its own.
void part_checksum_headers(const ObjectMeta& m, uint64_t n, http::Response& res) {
  if (m.part_sizes.empty()) return checksum_headers(m, res);
  auto algo = parse_algo(m.checksum_algo);
  if (!algo || m.checksum_type != "COMPOSITE" || n > m.part_checksums.size()) return;
  res.set_header(algo_header(*algo), m.part_checksums[n - 1]);
  res.set_header("x-amz-checksum-type", "COMPOSITE");
}

// response-content-type and friends replace the stored headers in this response only.
void apply_overrides(Ctx& c) {
  static const std::pair<const char*, const char*> kOverrides[] = {
      {"response-content-type", "Content-Type"},         {"response-content-language", "Content-Language"},
      {"response-expires", "Expires"},                   {"response-cache-control", "Cache-Control"},
      {"response-content-disposition", "Content-Disposition"}, {"response-content-encoding", "Content-Encoding"}};
  for (auto& [param, header] : kOverrides) {
    if (auto* v = c.req.query_param(param)) c.res.set_header(header, *v);
  }
}
}  // namespace

void get_object(Ctx& c) {
  const Object& o = loaded_object(c);
  reject_sse_header_on_read(c.req);
  auto key = key_for_read(c.req, o.meta, false);  // SSE-C objects need their key, even for HEAD
  if (!check_conditions(c, o)) return;
  bool head = c.req.method == "HEAD";
  object_headers(o, c.res);
  sse_headers(o.meta, c.res);
  version_header(c, o, c.res);
  lock_headers(o, c.res);
  expiration_header(*c.bkt, o, c.res);  // lifecycle.h
  archive_read(o, c.now_ms, head, c.res);  // GLACIER / DEEP_ARCHIVE: InvalidObjectState until restored
  apply_overrides(c);

  uint64_t offset = 0, length = o.size;
  bool partial = false;
  if (auto* pn = c.req.query_param("partNumber")) {
    auto n = parse_u64(*pn);
    if (!n || *n < 1 || *n > 10000)
      throw S3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive")
          .with("ArgumentName", "partNumber")
          .with("ArgumentValue", *pn);
    if (c.req.has_header("range"))
      throw S3Error("InvalidRequest", "Cannot specify both Range header and partNumber query parameter");
    size_t count = o.meta.part_sizes.empty() ? 1 : o.meta.part_sizes.size();
    if (*n > count)
      throw S3Error("InvalidPartNumber").with("PartNumberRequested", std::to_string(*n)).with("ActualPartCount", std::to_string(count));
    if (!o.meta.part_sizes.empty()) {
      for (size_t i = 0; i + 1 < *n; i++) offset += o.meta.part_sizes[i];
      length = o.meta.part_sizes[*n - 1];
    }
    c.res.set_header("x-amz-mp-parts-count", std::to_string(count));
    if (iequals(c.req.header_or("x-amz-checksum-mode"), "ENABLED")) part_checksum_headers(o.meta, *n, c.res);
    partial = true;
  } else if (auto* rh = c.req.header("range")) {
    ByteRange r = parse_range(*rh, o.size);
    if (r.kind == ByteRange::Kind::kUnsatisfiable)
      throw S3Error("InvalidRange").with("RangeRequested", *rh).with("ActualObjectSize", std::to_string(o.size));
    if (r.kind == ByteRange::Kind::kRange) {
      offset = r.start;
      length = r.length;
      partial = true;
    }
  }
  if (partial) {
    c.res.status = 206;
    c.res.set_header("Content-Range", "bytes " + std::to_string(offset) + "-" +
                                          std::to_string(offset + length - (length ? 1 : 0)) + "/" +
                                          std::to_string(o.size));
  } else if (iequals(c.req.header_or("x-amz-checksum-mode"), "ENABLED")) {
    checksum_headers(o.meta, c.res);  // a checksum describes the whole object only
  }
  c.res.set_header("Content-Length", std::to_string(length));
  if (head) {
    c.res.omit_body = true;
    return;
  }
  auto file = c.env.blobs.open(o.blob_id);
  if (!file) throw S3Error("InternalError", "The object's data is missing");
  c.res.file = std::make_shared<http::FileSlice>(http::FileSlice{plaintext(file, o.meta, key), offset, length});
}

namespace {
// x-amz-max-parts / x-amz-part-number-marker: non-negative integers (InvalidArgument otherwise).
uint64_t count_header(const Ctx& c, const char* name, uint64_t fallback, uint64_t cap) {
  auto* v = c.req.header(name);
  if (!v) return fallback;
  auto n = parse_u64(trim(*v));
  if (!n)
    throw S3Error("InvalidArgument", std::string("Provided ") + name + " not an integer or within integer range")
        .with("ArgumentName", name)
        .with("ArgumentValue", *v);
  return std::min(*n, cap);
}

// ObjectParts: the part count of a multipart object and, for a COMPOSITE checksum (as S3 lists
// them then), a page of its parts with the checksums kept at CompleteMultipartUpload.
void add_object_parts(Ctx& c, const Object& o, XmlNode root) {
  const auto& sizes = o.meta.part_sizes;
  if (sizes.empty()) return;
  auto parts = root.child("ObjectParts");
  parts.add("PartsCount", sizes.size());
  auto algo = parse_algo(o.meta.checksum_algo);
  if (!algo || o.meta.checksum_type != "COMPOSITE") return;
  const auto& sums = o.meta.part_checksums;  // empty for objects completed before they were kept
  uint64_t max = count_header(c, "x-amz-max-parts", 1000, 1000);
  uint64_t marker = count_header(c, "x-amz-part-number-marker", 0, 10000);
  uint64_t end = std::min<uint64_t>(sizes.size(), marker + max);
  bool truncated = end < sizes.size() && end > marker;
  parts.add("PartNumberMarker", marker).add("NextPartNumberMarker", end > marker ? end : 0).add("MaxParts", max);
  parts.add_bool("IsTruncated", truncated);
  for (uint64_t i = marker; i < end; i++) {
    auto e = parts.child("Part");
    e.add("PartNumber", i + 1);
    if (i < sums.size()) e.add(algo_xml(*algo), sums[i]);
    e.add("Size", sizes[i]);
  }
}
}  // namespace

void get_object_attributes(Ctx& c) {
  const Object& o = loaded_object(c);
  key_for_read(c.req, o.meta, false);  // an SSE-C object needs its key here too
  auto* h = c.req.header("x-amz-object-attributes");
  if (!h || trim(*h).empty())
    throw S3Error("InvalidRequest", "The x-amz-object-attributes header specifying the attributes to be retrieved is "
                                    "either missing or empty");
  XmlDoc doc("GetObjectAttributesResponse");
  for (auto& raw : split(*h, ',')) {
    std::string a = trim(raw);
    if (a == "ETag") {
      doc.root.add("ETag", o.etag.substr(1, o.etag.size() - 2));
    } else if (a == "Checksum") {
      if (!o.meta.checksum_algo.empty()) {
        auto cs = doc.root.child("Checksum");
        std::string v = o.meta.checksum_value;
        cs.add("Checksum" + o.meta.checksum_algo, v.substr(0, v.find('-')));
        cs.add("ChecksumType", o.meta.checksum_type);
      }
    } else if (a == "ObjectParts") {
      add_object_parts(c, o, doc.root);
    } else if (a == "StorageClass") {
      doc.root.add("StorageClass", o.meta.storage_class);
    } else if (a == "ObjectSize") {
      doc.root.add("ObjectSize", o.size);
    } else {
      throw S3Error("InvalidArgument", "Invalid attribute name specified.");
    }
  }
  c.res.set_header("Last-Modified", http_date(o.last_modified_ms / 1000));
  version_header(c, o, c.res);
  reply_xml(c, doc);
}

}  // namespace localaws::s3
