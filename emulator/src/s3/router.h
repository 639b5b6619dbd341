// S3 routing over the operation table (ops.h): (method, bucket present?, key present?, query
// parameters, header guard) -> row. No I/O, no state: unit tested with plain structs
// (tests/unit/s3_ops_test.cc).
#pragma once
#include <string>
#include <string_view>

#include "common/strings.h"
#include "http/request.h"
#include "s3/ops.h"

namespace localaws::s3 {

struct RouteInput {
  std::string_view method;
  bool has_bucket = false;
  bool has_key = false;
  const QueryParams* query = nullptr;
  const http::HeaderList* headers = nullptr;  // lower-case names
};

// The operation a request names, or no row: MethodNotAllowed (no operation for this method on
// this resource, or a subresource keyword another method owns).
struct Route {
  const OpRow* row = nullptr;
  Op op() const { return row ? row->op : Op::kCount; }
  const char* name() const { return row ? row->name : "MethodNotAllowed"; }
};

Route route(const RouteInput& in);
inline Route route(const http::Request& req, bool has_bucket, bool has_key) {
  return route(RouteInput{req.method, has_bucket, has_key, &req.query, &req.headers});
}

// "/bucket/key" from the raw (percent-encoded) path. '+' decodes to a space as S3 does. Returns
// false on a malformed escape or a name that does not decode to UTF-8.
bool split_path(std::string_view raw_path, std::string& bucket, std::string& key);

// The bucket named by a virtual-hosted Host header ("photos.s3.localhost:4566",
// "photos.localhost", "my.dotted.bucket.s3.<domain>", "photos.s3.us-east-1.amazonaws.com"), or ""
// for path-style requests. domain: the extra configured domain (--s3-domain), may be empty.
std::string host_bucket(std::string_view host, std::string_view domain);

}  // namespace localaws::s3
