#include "s3/policy_request.h"

#include <algorithm>
#include <cmath>

#include "auth/policy_keys.h"
#include "common/strings.h"
#include "common/time.h"

namespace localaws::s3 {

namespace {

// Request headers that are condition keys of the same name (s3:<header>).
const char* const kHeaderKeys[] = {
    "x-amz-acl", "x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp",
    "x-amz-grant-full-control", "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-server-side-encryption-customer-algorithm", "x-amz-copy-source", "x-amz-metadata-directive",
    "x-amz-storage-class", "x-amz-website-redirect-location", "x-amz-content-sha256", "x-amz-object-ownership"};

// s3:authType, s3:signatureversion and s3:signatureAge from how the request was signed.
void signature_keys(const Ctx& c, PolicyContext& k) {
  if (c.who.anonymous) return;
  const http::Request& r = c.req;
  std::string authz = r.header_or("authorization");
  std::optional<int64_t> signed_s;
  if (c.req.method == "POST" && starts_with(r.header_or("content-type"), "multipart/form-data")) {
    k.set("s3:authType", "POST");
  } else if (starts_with(authz, "AWS4-")) {
    k.set("s3:authType", "REST-HEADER");
    k.set("s3:signatureversion", "AWS4-HMAC-SHA256");
    if (auto* d = r.header("x-amz-date")) signed_s = parse_iso8601_basic(*d);
    else if (auto* d2 = r.header("date")) signed_s = parse_http_date(*d2);
  } else if (starts_with(authz, "AWS ")) {
    k.set("s3:authType", "REST-HEADER");
    k.set("s3:signatureversion", "AWS");
    if (auto* d = r.header("x-amz-date")) signed_s = parse_http_date(*d);
    else if (auto* d2 = r.header("date")) signed_s = parse_http_date(*d2);
  } else if (r.query_param("X-Amz-Algorithm")) {
    k.set("s3:authType", "REST-QUERY-STRING");
    k.set("s3:signatureversion", "AWS4-HMAC-SHA256");
    if (auto* d = r.query_param("X-Amz-Date")) signed_s = parse_iso8601_basic(*d);
  } else if (r.query_param("Signature")) {
    k.set("s3:authType", "REST-QUERY-STRING");
    k.set("s3:signatureversion", "AWS");
  }
  if (signed_s) k.set("s3:signatureAge", std::to_string(std::max<int64_t>(0, now_ms() - *signed_s * 1000)));
}

}  // namespace

PolicyContext policy_context(const Ctx& c, const Bucket& b, const Object* obj) {
  const http::Request& r = c.req;
  PolicyContext k =
      auth::global_keys(r, c.who, c.now_ms, b.region.empty() ? c.env.opts.region : b.region, b.owner.account);
  k.set("s3:ResourceAccount", b.owner.account);
  signature_keys(c, k);
  // Listing parameters.
  for (const char* p : {"prefix", "delimiter", "max-keys"}) {
    if (auto* v = r.query_param(p)) k.set(std::string("s3:") + p, *v);
  }
  if (auto* v = r.query_param("versionId")) k.set("s3:VersionId", *v);
  for (const char* h : kHeaderKeys) {
    if (auto* v = r.header(h)) k.set(std::string("s3:") + h, *v);
  }
  if (auto* v = r.header("if-match")) k.set("s3:if-match", *v);
  if (auto* v = r.header("if-none-match")) k.set("s3:if-none-match", *v);
  // Object Lock headers of an upload.
  if (auto* v = r.header("x-amz-object-lock-mode")) k.set("s3:object-lock-mode", *v);
  if (auto* v = r.header("x-amz-object-lock-legal-hold")) k.set("s3:object-lock-legal-hold", *v);
  if (auto* v = r.header("x-amz-object-lock-retain-until-date")) {
    k.set("s3:object-lock-retain-until-date", *v);
    if (auto until = parse_iso8601(*v)) {
      double days = std::ceil(static_cast<double>(*until * 1000 - c.now_ms) / 86400000.0);
      k.set("s3:object-lock-remaining-retention-days", std::to_string(static_cast<int64_t>(std::max(0.0, days))));
    }
  }
  // Tags: those the request sets (x-amz-tagging) and those of the object it acts on.
  if (auto* v = r.header("x-amz-tagging")) {
    try {
      std::vector<std::string> keys;
      for (auto& [tk, tv] : parse_tagging_header(*v)) {
        k.set("s3:RequestObjectTag/" + tk, tv);
        keys.push_back(tk);
      }
      k.set_list("s3:RequestObjectTagKeys", std::move(keys));
    } catch (const S3Error&) {
      // The handler refuses the header (InvalidArgument); the policy sees no request tags.
    }
  }
  if (obj && !obj->is_marker) {
    for (auto& [tk, tv] : obj->meta.tags) k.set("s3:ExistingObjectTag/" + tk, tv);
  }
  return k;
}

void check_expected_owners(const Ctx& c) {
  if (auto* want = c.req.header("x-amz-expected-bucket-owner")) {
    if (c.bkt && trim(*want) != c.bkt->owner.account) throw S3Error("AccessDenied");
  }
  auto* want_src = c.req.header("x-amz-source-expected-bucket-owner");
  auto* src = c.req.header("x-amz-copy-source");
  if (!want_src || !src) return;
  std::string path = src->substr(0, src->find('?'));
  auto decoded = uri_decode(path);
  if (!decoded) return;  // the copy reports the malformed source
  std::string p = *decoded;
  if (starts_with(p, "/")) p = p.substr(1);
  auto sb = c.store().bucket(p.substr(0, p.find('/')));
  if (sb && trim(*want_src) != sb->owner.account) throw S3Error("AccessDenied");
}

}  // namespace localaws::s3
