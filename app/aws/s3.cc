#include "aws/s3.h"

#include <map>
#include <pugixml.hpp>

#include "aws/crypto.h"

namespace aws {

namespace {
const char* kXmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

std::string xml_bool(bool b) { return b ? "true" : "false"; }
}  // namespace

S3Client::S3Client(SignedClient client) : client_(std::move(client)) {}

bool S3Client::dns_compatible(const std::string& b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  if (b.front() == '-' || b.front() == '.' || b.back() == '-' || b.back() == '.') return false;
  if (b.find("..") != std::string::npos || b.find(".-") != std::string::npos || b.find("-.") != std::string::npos)
    return false;
  int dots = 0;
  bool all_digits_dots = true;
  for (char c : b) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') all_digits_dots = false;
  }
  return !(dots == 3 && all_digits_dots);  // looks like an IPv4 address
}

bool S3Client::virtual_hosted(const std::string& bucket) const {
  const auto& c = config();
  if (c.addressing == AddressingStyle::kPath) return false;
  if (!dns_compatible(bucket)) return false;
  if (c.addressing == AddressingStyle::kVirtual) return true;
  return c.endpoint_url.empty() && bucket.find('.') == std::string::npos;
}

Call S3Client::make_call(const std::string& method, const std::string& bucket, const std::string& key, Pairs query) const {
  const auto& c = config();
  Call call;
  call.origin = Url::parse(c.endpoint_url.empty() ? default_endpoint("s3", c.region) : c.endpoint_url);
  call.method = method;
  call.query = std::move(query);
  std::string path = call.origin.base_path;
  if (virtual_hosted(bucket)) {
    call.origin.host = bucket + "." + call.origin.host;
  } else {
    path += "/" + uri_encode(bucket, true);
  }
  path += "/" + uri_encode(key, false);
  call.canonical_uri = path;
  call.origin.base_path.clear();
  return call;
}

HttpResponse S3Client::send(const Call& call) const { return client_.send(call, parse_s3_error); }

void S3Client::create_bucket(const std::string& bucket) const {
  Call call = make_call("PUT", bucket, "", {});
  if (config().region != "us-east-1") {
    call.body = std::string("<CreateBucketConfiguration xmlns=\"") + kXmlns + "\"><LocationConstraint>" +
                config().region + "</LocationConstraint></CreateBucketConfiguration>";
    call.headers.emplace_back("content-type", "application/xml");
  }
  send(call);
}

void S3Client::put_config(const std::string& bucket, const std::string& subresource, const std::string& body,
                          const std::string& content_type) const {
  Call call = make_call("PUT", bucket, "", {{subresource, ""}});
  call.body = body;
  call.headers.emplace_back("content-type", content_type);
  // These operations require an integrity checksum of the body.
  call.headers.emplace_back("content-md5", md5_base64(body));
  send(call);
}

void S3Client::put_bucket_ownership_controls(const std::string& bucket, const std::string& ownership) const {
  put_config(bucket, "ownershipControls",
             std::string("<OwnershipControls xmlns=\"") + kXmlns + "\"><Rule><ObjectOwnership>" + ownership +
                 "</ObjectOwnership></Rule></OwnershipControls>",
             "application/xml");
}

void S3Client::put_public_access_block(const std::string& bucket, const PublicAccessBlock& p) const {
  put_config(bucket, "publicAccessBlock",
             std::string("<PublicAccessBlockConfiguration xmlns=\"") + kXmlns + "\"><BlockPublicAcls>" +
                 xml_bool(p.block_public_acls) + "</BlockPublicAcls><IgnorePublicAcls>" +
                 xml_bool(p.ignore_public_acls) + "</IgnorePublicAcls><BlockPublicPolicy>" +
                 xml_bool(p.block_public_policy) + "</BlockPublicPolicy><RestrictPublicBuckets>" +
                 xml_bool(p.restrict_public_buckets) + "</RestrictPublicBuckets></PublicAccessBlockConfiguration>",
             "application/xml");
}

void S3Client::delete_public_access_block(const std::string& bucket) const {
  send(make_call("DELETE", bucket, "", {{"publicAccessBlock", ""}}));
}

void S3Client::put_bucket_policy(const std::string& bucket, const std::string& policy_json) const {
  put_config(bucket, "policy", policy_json, "application/json");
}

void S3Client::put_object(const std::string& bucket, const std::string& key, const std::string& body,
                          const std::string& content_type, const std::string& acl) const {
  Call call = make_call("PUT", bucket, key, {});
  call.body = body;
  call.headers.emplace_back("content-type", content_type);
  if (!acl.empty()) call.headers.emplace_back("x-amz-acl", acl);
  send(call);
}

GetResult S3Client::get_object(const std::string& bucket, const std::string& key) const {
  HttpResponse res = send(make_call("GET", bucket, key, {}));
  return {std::move(res.body), res.header("content-type"), res.header("etag")};
}

void S3Client::delete_object(const std::string& bucket, const std::string& key) const {
  send(make_call("DELETE", bucket, key, {}));
}

ListPage S3Client::list_objects_v2(const std::string& bucket, const std::string& prefix, const std::string& token,
                                   int max_keys) const {
  Pairs q = {{"list-type", "2"}, {"prefix", prefix}, {"max-keys", std::to_string(max_keys)}};
  if (!token.empty()) q.emplace_back("continuation-token", token);
  HttpResponse res = send(make_call("GET", bucket, "", q));
  pugi::xml_document doc;
  if (!doc.load_buffer(res.body.data(), res.body.size()))
    throw AwsError(res.status, "InvalidResponse", "ListObjectsV2 answered with malformed XML");
  ListPage page;
  auto root = doc.child("ListBucketResult");
  for (auto c : root.children("Contents")) {
    page.objects.push_back({c.child_value("Key"), std::strtoull(c.child_value("Size"), nullptr, 10),
                            c.child_value("ETag"), c.child_value("LastModified")});
  }
  if (std::string(root.child_value("IsTruncated")) == "true") page.next_token = root.child_value("NextContinuationToken");
  return page;
}

std::string S3Client::presign(const std::string& method, const std::string& bucket, const std::string& key,
                              int expires_seconds) const {
  return client_.presign(make_call(method, bucket, key, {}), expires_seconds);
}

std::string S3Client::object_url(const std::string& bucket, const std::string& key) const {
  Call call = make_call("GET", bucket, key, {});
  return call.origin.origin() + call.canonical_uri;
}

AwsError parse_s3_error(const HttpResponse& res) {
  std::string request_id = res.header("x-amz-request-id");
  pugi::xml_document doc;
  if (!res.body.empty() && doc.load_buffer(res.body.data(), res.body.size())) {
    auto e = doc.child("Error");
    if (e) return AwsError(res.status, e.child_value("Code"), e.child_value("Message"), request_id);
  }
  // HEAD answers and some proxies carry no XML: name the status as the SDKs do.
  static const std::map<int, std::string> names = {{400, "BadRequest"}, {403, "Forbidden"}, {404, "NotFound"},
                                                    {405, "MethodNotAllowed"}, {409, "Conflict"},
                                                    {500, "InternalError"}, {501, "NotImplemented"},
                                                    {503, "ServiceUnavailable"}};
  auto it = names.find(res.status);
  return AwsError(res.status, it == names.end() ? std::to_string(res.status) : it->second, "", request_id);
}

}  // namespace aws
