// PutObject: stream the body into a blob, then switch the object row in one transaction.
#include "common/crypto.h"
#include "common/strings.h"
#include "s3/handlers.h"
#include "s3/lifecycle.h"
#include "s3/sse.h"

namespace localaws::s3 {

namespace {
WriteCond write_cond(const http::Request& req) {
  WriteCond w;
  if (auto* inm = req.header("if-none-match")) {
    if (trim(*inm) != "*") throw S3Error("NotImplemented").with("Header", "If-None-Match");
    w.if_none_match_star = true;
  }
  if (auto* im = req.header("if-match")) w.if_match = trim(*im);
  return w;
}
}  // namespace

void put_object(Ctx& c) {
  ObjectMeta meta = meta_from_headers(c.req);
  NewObjectAccess access = new_object_access(c);
  meta.acl = access.acl;
  WriteCond cond = write_cond(c.req);
  NewLock lock = new_object_lock(c);
  ChecksumRequest want = checksum_request(c.req);
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
