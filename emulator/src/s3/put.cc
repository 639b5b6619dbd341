// PutObject: stream the body into a blob, then switch the object row in one transaction.
#include "common/crypto.h"
#include "common/strings.h"
#include "s3/handlers.h"
#include "s3/lifecycle.h"
#include "s3/sse.h"

namespace localaws::s3 {

// If-None-Match takes only "*"; the two headers together are refused as S3 refuses them (501).
WriteCond write_cond(const Ctx& c) {
  WriteCond w;
  auto* inm = c.req.header("if-none-match");
  auto* im = c.req.header("if-match");
  if (inm && im) throw S3Error("NotImplemented").with("Header", "If-Match,If-None-Match");
  if (inm) {
    if (trim(*inm) != "*") throw S3Error("NotImplemented").with("Header", "If-None-Match");
    w.if_none_match_star = true;
  }
  if (im) w.if_match = trim(*im);
  if (w.any()) {
    // What the condition sees now; a different version at commit means another write raced this one.
    auto cur = c.store().object(c.bucket, c.key);
    w.seen = true;
    if (cur) w.seen_seq = cur->seq;
    // Comparing ETags reads the object: S3 wants s3:GetObject besides s3:PutObject then.
    if (im && !authorize(c, Op::kGetObject, &*c.bkt, cur ? &*cur : nullptr, false)) throw S3Error("AccessDenied");
  }
  return w;
}

void put_object(Ctx& c) {
  ObjectMeta meta = meta_from_headers(c.req);
  NewObjectAccess access = new_object_access(c);
  meta.acl = access.acl;
  WriteCond cond = write_cond(c);
  NewLock lock = new_object_lock(c);
  ChecksumRequest want = checksum_request(c.req);
  if (want.algo == Algo::kNone) want.algo = Algo::kCrc64Nvme;  // what S3 adds to every new object since 2025
  NewSse sse = new_object_sse(c);
  std::string nonce = sse.apply(meta);
  std::optional<Encryption> enc;
  if (sse.ssec) enc = Encryption{sse.ssec->key, nonce};
  Received r = receive_body(c, kMaxPutSize, want, enc ? &*enc : nullptr);
  // ---- checks end (the blob is committed, unreferenced); the row switches here ----
  std::string etag = new_etag(meta, r.md5);
  Object o{c.bucket, c.key, r.size, etag, c.now_ms, r.blob_id, access.owner, std::move(meta)};
  if (r.algo != Algo::kNone) {
    o.meta.checksum_algo = algo_name(r.algo);
    o.meta.checksum_value = r.checksum;
    o.meta.checksum_type = "FULL_OBJECT";
  }
  lock.apply(o);
  raise(c.store().put_object(o, cond), c);
  c.res.set_header("ETag", o.etag);
  version_header(c, o, c.res);
  expiration_header(*c.bkt, o, c.res);  // lifecycle.h
  checksum_headers(o.meta, c.res);
  sse_headers(o.meta, c.res, true);
}

}  // namespace localaws::s3
