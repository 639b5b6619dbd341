// Put/Get/DeleteBucketCors, the preflight OPTIONS request, and CORS headers on actual responses.
#include "common/strings.h"
#include "s3/cors.h"
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {
constexpr const char* kCors = "cors";

std::vector<CorsRule> rules_of(const Bucket& b) {
  std::string code, message;
  auto* x = b.get(kCors);
  if (!x) return {};
  return parse_cors(*x, code, message).value_or(std::vector<CorsRule>{});
}

void allow_headers(const CorsRule& r, const std::string& origin, http::Response& res) {
  bool any = false;
  for (auto& o : r.origins) any = any || o == "*";
  res.set_header("Access-Control-Allow-Origin", any ? "*" : origin);
  std::string methods;
  for (auto& m : r.methods) methods += (methods.empty() ? "" : ", ") + m;
  res.set_header("Access-Control-Allow-Methods", methods);
  if (!any) res.set_header("Access-Control-Allow-Credentials", "true");
  std::string expose;
  for (auto& e : r.expose) expose += (expose.empty() ? "" : ", ") + e;
  if (!expose.empty()) res.set_header("Access-Control-Expose-Headers", expose);
  if (r.max_age) res.set_header("Access-Control-Max-Age", std::to_string(*r.max_age));
  res.set_header("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
}
}  // namespace

void get_bucket_cors(Ctx& c) { reply_config(c, kCors, "NoSuchCORSConfiguration", "application/xml"); }

void put_bucket_cors(Ctx& c) {
  std::string code, message;
  auto rules = parse_cors(read_small_body(c, 64 * 1024), code, message);
  if (!rules) throw S3Error(code, message);
  raise(c.store().set_bucket_config(c.bucket, kCors, cors_xml(*rules)), c);
}

void delete_bucket_cors(Ctx& c) { remove_config(c, kCors); }

void preflight(Ctx& c) {
  const std::string* origin = c.req.header("origin");
  if (!origin) throw S3Error("BadRequest", "Insufficient information. Origin request header needed.");
  const std::string* method = c.req.header("access-control-request-method");
  if (!method) throw S3Error("BadRequest", "Invalid Access-Control-Request-Method: null");
  if (*method != "GET" && *method != "PUT" && *method != "HEAD" && *method != "POST" && *method != "DELETE")
    throw S3Error("BadRequest", "Invalid Access-Control-Request-Method: " + *method);
  const char* resource_type = c.key.empty() ? "BUCKET" : "OBJECT";
  auto refuse = [&](const std::string& why) {
    return S3Error("AccessForbidden", "CORSResponse: " + why).with("Method", *method).with("ResourceType", resource_type);
  };
  // The row loads nothing: a preflight on a missing bucket is a CORS answer, not NoSuchBucket.
  c.bkt = c.store().bucket(c.bucket);
  if (!c.bkt) throw refuse("Bucket not found");
  if (!c.bkt->get(kCors)) throw refuse("CORS is not enabled for this bucket.");
  std::string req_headers = c.req.header_or("access-control-request-headers");
  auto rules = rules_of(*c.bkt);
  const CorsRule* r = match_cors(rules, *origin, *method, req_headers);
  if (!r)
    throw refuse("This CORS request is not allowed. This is usually because the evalution of Origin, request method / "
                 "Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the "
                 "resource's CORS spec.");
  allow_headers(*r, *origin, c.res);
  if (!req_headers.empty()) c.res.set_header("Access-Control-Allow-Headers", to_lower(req_headers));
  c.res.status = 200;
}

void add_cors_headers(const Bucket& b, const http::Request& req, http::Response& res) {
  const std::string* origin = req.header("origin");
  if (!origin || !b.get(kCors)) return;
  auto rules = rules_of(b);
  if (const CorsRule* r = match_cors(rules, *origin, req.method, "")) allow_headers(*r, *origin, res);
}

}  // namespace localaws::s3
