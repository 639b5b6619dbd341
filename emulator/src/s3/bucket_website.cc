// Put/Get/DeleteBucketWebsite and the website endpoint: anonymous GET/HEAD with index documents,
// error documents, redirect-all and routing rules, HTML errors as S3 websites answer.
#include "common/strings.h"
#include "s3/handlers.h"
#include "s3/website.h"

namespace localaws::s3 {

namespace {
constexpr const char* kWebsite = "website";

void html_error(Ctx& c, int status, const std::string& code, const std::string& message) {
  const char* reason = status == 404 ? "Not Found" : status == 403 ? "Forbidden" : "Method Not Allowed";
  std::string title = std::to_string(status) + " " + reason;
  c.res.status = status;
  c.res.body = "<html>\n<head><title>" + title + "</title></head>\n<body>\n<h1>" + title + "</h1>\n<ul>\n<li>Code: " +
               code + "</li>\n<li>Message: " + message + "</li>\n<li>RequestId: " + c.req.request_id +
               "</li>\n</ul>\n<hr/>\n</body>\n</html>\n";
  c.res.set_header("Content-Type", "text/html; charset=utf-8");
  if (c.req.method == "HEAD") c.res.omit_body = true;
}

void jump(Ctx& c, const WebsiteJump& j) {
  c.res.status = j.status;
  c.res.set_header("Location", j.location);
}

// The object at key when an anonymous caller may read it.
std::optional<Object> readable(Ctx& c, const std::string& key) {
  auto o = c.store().object(c.bucket, key);
  if (!o || !authorize(c, Op::kGetObject, &*c.bkt, &*o)) return std::nullopt;
  return o;
}
}  // namespace

void get_bucket_website(Ctx& c) { reply_config(c, kWebsite, "NoSuchWebsiteConfiguration", "application/xml"); }

void put_bucket_website(Ctx& c) {
  std::string body = read_small_body(c, 64 * 1024), message;
  if (!parse_website(body, message)) throw S3Error("MalformedXML", message);
  raise(c.store().set_bucket_config(c.bucket, kWebsite, body), c);
}

void delete_bucket_website(Ctx& c) { remove_config(c, kWebsite); }

void website_get(Ctx& c) {
  if (c.req.method != "GET" && c.req.method != "HEAD")
    return html_error(c, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
  c.bkt = c.store().bucket(c.bucket);
  if (!c.bkt) return html_error(c, 404, "NoSuchBucket", "The specified bucket does not exist");
  auto* doc = c.bkt->get(kWebsite);
  std::string message;
  auto w = doc ? parse_website(*doc, message) : std::nullopt;
  if (!w) return html_error(c, 404, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration");
  std::string host = c.req.header_or("host");
  if (auto j = route_website(*w, c.key, 0, host)) return jump(c, *j);
  std::string key = c.key.empty() || c.key.back() == '/' ? c.key + w->index_suffix : c.key;
  if ((c.obj = readable(c, key))) {
    c.key = key;
    return get_object(c);
  }
  // A folder named without its slash redirects to the folder.
  if (readable(c, key + "/" + w->index_suffix)) return jump(c, {"/" + uri_encode(key, true) + "/", 302});
  // Without list permission a missing key is indistinguishable from a private one: 403.
  bool exists = c.store().object(c.bucket, key).has_value();
  int status = exists || !authorize(c, Op::kListObjects, &*c.bkt, nullptr) ? 403 : 404;
  if (auto j = route_website(*w, c.key, status, host)) return jump(c, *j);
  if (!w->error_key.empty() && (c.obj = readable(c, w->error_key))) {
    c.key = w->error_key;
    get_object(c);
    c.res.status = status;
    return;
  }
  if (status == 403) return html_error(c, 403, "AccessDenied", "Access Denied");
  html_error(c, 404, "NoSuchKey", "The specified key does not exist.");
}

}  // namespace localaws::s3
