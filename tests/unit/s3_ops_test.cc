// The S3 operation table (s3/ops.h) and the router over it, driven with plain request structs
// (no server): every row is reachable by its own route, has an IAM action and a handler (or is
// listed as not implemented in docs/s3.md), and the request forms of AWS's API reference map to
// the row and permission expected.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "s3/router.h"

using namespace localaws;
using namespace localaws::s3;

namespace {

struct Form {
  std::string method;
  bool bucket = false, key = false;
  QueryParams query;
  http::HeaderList headers;
};

// "GET /bucket/key?versions&prefix=a" (the path's first segment is the bucket, as path style).
Form parse_form(const std::string& line, http::HeaderList headers = {}) {
  Form f;
  std::istringstream in(line);
  std::string target;
  in >> f.method >> target;
  std::string path = target.substr(0, target.find('?'));
  std::string query = target.find('?') == std::string::npos ? "" : target.substr(target.find('?') + 1);
  std::string rest = path.substr(1);
  f.bucket = !rest.empty();
  f.key = rest.find('/') != std::string::npos && rest.find('/') + 1 < rest.size();
  std::istringstream qs(query);
  std::string part;
  while (std::getline(qs, part, '&')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    f.query.emplace_back(part.substr(0, eq), eq == std::string::npos ? "" : part.substr(eq + 1));
  }
  f.headers = std::move(headers);
  return f;
}

Route route_of(const Form& f) { return route(RouteInput{f.method, f.bucket, f.key, &f.query, &f.headers}); }

// The request a row's own route describes.
Form form_of(const OpRow& r) {
  Form f;
  f.method = r.method;
  f.bucket = r.target != Target::kService;
  f.key = r.target == Target::kObject;
  std::string q = r.query;
  std::istringstream qs(q);
  std::string p;
  while (std::getline(qs, p, '&')) f.query.emplace_back(p, p == "list-type" ? "2" : "x");
  if (r.header[0]) f.headers.emplace_back(r.header, "/b/k");
  return f;
}

// The operations docs/s3.md lists under "## Not implemented" as "- `Name`".
std::set<std::string> documented_unbuilt() {
  std::ifstream in(std::string(LOCALAWS_SOURCE_DIR) + "/docs/s3.md");
  REQUIRE(in);
  std::set<std::string> out;
  std::string line;
  bool in_section = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## Not implemented";
    if (in_section && line.rfind("- `", 0) == 0) out.insert(line.substr(3, line.find('`', 3) - 3));
  }
  return out;
}

}  // namespace

TEST_CASE("s3 ops: one row per operation, in enum order, each reachable by its own route") {
  auto table = op_table();
  REQUIRE(table.size() == static_cast<size_t>(Op::kCount));
  std::set<std::string> names;
  for (size_t i = 0; i < table.size(); i++) {
    const OpRow& row = table[i];
    INFO(row.name);
    CHECK(static_cast<size_t>(row.op) == i);
    CHECK(&op_row(row.op) == &row);
    if (std::string(row.name) != "PreflightRequest") CHECK(names.insert(row.name).second);
    Route got = route_of(form_of(row));
    REQUIRE(got.row != nullptr);
    CHECK(got.row->name == std::string(row.name));
    CHECK(got.op() == row.op);
  }
}

TEST_CASE("s3 ops: every row has an IAM action and a handler or is documented as not implemented") {
  std::set<std::string> unbuilt = documented_unbuilt();
  std::set<std::string> seen_unbuilt;
  for (const OpRow& row : op_table()) {
    INFO(row.name);
    std::string action = row.need.action;
    if (row.op == Op::kPreflightBucket || row.op == Op::kPreflightObject) {
      CHECK(action.empty());  // CORS rules decide; no identity
      continue;
    }
    REQUIRE_FALSE(action.empty());
    CHECK((action.rfind("s3:", 0) == 0 || action.rfind("s3express:", 0) == 0));
    std::string va = row.need.version_action;
    if (!va.empty()) CHECK(va.rfind("s3:", 0) == 0);
    if (row.load == Load::kObject) CHECK(row.target == Target::kObject);
    if (row.target == Target::kService || row.op == Op::kCreateBucket) CHECK(row.load == Load::kNone);
    else CHECK(row.load != Load::kNone);
    if (!row.handler) {
      CHECK(unbuilt.count(row.name) == 1);
      seen_unbuilt.insert(row.name);
    } else {
      CHECK(unbuilt.count(row.name) == 0);
    }
  }
  CHECK(seen_unbuilt == unbuilt);  // docs/s3.md names no operation the table does not have
}

// Request forms as the "Request Syntax" sections of the Amazon S3 API Reference write them
// (path style), with the operation and the IAM action each must reach.
TEST_CASE("s3 ops: AWS's documented request forms reach the right row and permission") {
  struct Case {
    const char* line;
    http::HeaderList headers;
    const char* op;
    const char* action;
  };
  const Case cases[] = {
      {"GET /", {}, "ListBuckets", "s3:ListAllMyBuckets"},
      {"GET /?prefix=p&max-buckets=10&continuation-token=t", {}, "ListBuckets", "s3:ListAllMyBuckets"},
      {"PUT /b", {{"x-amz-bucket-object-lock-enabled", "true"}}, "CreateBucket", "s3:CreateBucket"},
      {"HEAD /b", {}, "HeadBucket", "s3:ListBucket"},
      {"DELETE /b", {}, "DeleteBucket", "s3:DeleteBucket"},
      {"GET /b?delimiter=/&encoding-type=url&marker=m&max-keys=5&prefix=p", {}, "ListObjects", "s3:ListBucket"},
      {"GET /b?list-type=2&continuation-token=t&fetch-owner=true&start-after=s", {}, "ListObjectsV2",
       "s3:ListBucket"},
      {"GET /b?versions&delimiter=/&key-marker=k&max-keys=2&prefix=p&version-id-marker=v", {},
       "ListObjectVersions", "s3:ListBucketVersions"},
      {"GET /b?uploads&key-marker=k&upload-id-marker=u", {}, "ListMultipartUploads", "s3:ListBucketMultipartUploads"},
      {"POST /b?delete", {{"content-md5", "x"}}, "DeleteObjects", "s3:DeleteObject"},
      {"GET /b?location", {}, "GetBucketLocation", "s3:GetBucketLocation"},
      {"GET /b?versioning", {}, "GetBucketVersioning", "s3:GetBucketVersioning"},
      {"PUT /b?versioning", {{"x-amz-mfa", "x"}}, "PutBucketVersioning", "s3:PutBucketVersioning"},
      {"GET /b?object-lock", {}, "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"},
      {"PUT /b?object-lock", {{"x-amz-bucket-object-lock-token", "t"}}, "PutObjectLockConfiguration",
       "s3:PutBucketObjectLockConfiguration"},
      {"GET /b?policyStatus", {}, "GetBucketPolicyStatus", "s3:GetBucketPolicyStatus"},
      {"DELETE /b?website", {}, "DeleteBucketWebsite", "s3:DeleteBucketWebsite"},
      {"DELETE /b?cors", {}, "DeleteBucketCors", "s3:PutBucketCORS"},
      {"DELETE /b?lifecycle", {}, "DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"},
      {"GET /b?analytics&id=a", {}, "GetBucketAnalyticsConfiguration", "s3:GetAnalyticsConfiguration"},
      {"GET /b?analytics&continuation-token=t", {}, "ListBucketAnalyticsConfigurations",
       "s3:GetAnalyticsConfiguration"},
      {"GET /b?intelligent-tiering&id=a", {}, "GetBucketIntelligentTieringConfiguration",
       "s3:GetIntelligentTieringConfiguration"},
      {"PUT /b?tagging", {}, "PutBucketTagging", "s3:PutBucketTagging"},
      {"PUT /b/photos/2006/February/sample.jpg", {}, "PutObject", "s3:PutObject"},
      {"PUT /b/k", {{"x-amz-copy-source", "/src/k?versionId=v"}}, "CopyObject", "s3:PutObject"},
      {"GET /b/k?versionId=v&partNumber=1&response-content-type=t", {}, "GetObject", "s3:GetObjectVersion"},
      {"GET /b/k", {{"range", "bytes=0-9"}}, "GetObject", "s3:GetObject"},
      {"HEAD /b/k?versionId=v", {}, "HeadObject", "s3:GetObjectVersion"},
      {"DELETE /b/k?versionId=v", {{"x-amz-bypass-governance-retention", "true"}}, "DeleteObject",
       "s3:DeleteObjectVersion"},
      {"DELETE /b/k", {}, "DeleteObject", "s3:DeleteObject"},
      {"GET /b/k?tagging&versionId=v", {}, "GetObjectTagging", "s3:GetObjectVersionTagging"},
      {"PUT /b/k?tagging", {}, "PutObjectTagging", "s3:PutObjectTagging"},
      {"DELETE /b/k?tagging&versionId=v", {}, "DeleteObjectTagging", "s3:DeleteObjectVersionTagging"},
      {"GET /b/k?attributes&versionId=v", {{"x-amz-object-attributes", "ETag"}}, "GetObjectAttributes",
       "s3:GetObjectVersionAttributes"},
      {"GET /b/k?acl&versionId=v", {}, "GetObjectAcl", "s3:GetObjectVersionAcl"},
      {"PUT /b/k?acl", {}, "PutObjectAcl", "s3:PutObjectAcl"},
      {"GET /b/k?retention&versionId=v", {}, "GetObjectRetention", "s3:GetObjectRetention"},
      {"PUT /b/k?retention", {{"x-amz-bypass-governance-retention", "true"}}, "PutObjectRetention",
       "s3:PutObjectRetention"},
      {"GET /b/k?legal-hold", {}, "GetObjectLegalHold", "s3:GetObjectLegalHold"},
      {"PUT /b/k?legal-hold&versionId=v", {}, "PutObjectLegalHold", "s3:PutObjectLegalHold"},
      {"POST /b/k?uploads", {}, "CreateMultipartUpload", "s3:PutObject"},
      {"PUT /b/k?partNumber=1&uploadId=u", {}, "UploadPart", "s3:PutObject"},
      {"PUT /b/k?partNumber=1&uploadId=u", {{"x-amz-copy-source", "/s/k"}}, "UploadPartCopy", "s3:PutObject"},
      {"POST /b/k?uploadId=u", {}, "CompleteMultipartUpload", "s3:PutObject"},
      {"DELETE /b/k?uploadId=u", {}, "AbortMultipartUpload", "s3:AbortMultipartUpload"},
      {"GET /b/k?uploadId=u&max-parts=2&part-number-marker=1", {}, "ListParts", "s3:ListMultipartUploadParts"},
      {"POST /b/k?restore&versionId=v", {}, "RestoreObject", "s3:RestoreObject"},
      {"POST /b/k?select&select-type=2", {}, "SelectObjectContent", "s3:GetObject"},
      {"POST /b", {{"content-type", "multipart/form-data; boundary=x"}}, "PostObject", "s3:PutObject"},
  };
  for (auto& tc : cases) {
    INFO(tc.line);
    Form f = parse_form(tc.line, tc.headers);
    Route r = route_of(f);
    REQUIRE(r.row != nullptr);
    CHECK(std::string(r.name()) == tc.op);
    bool with_version = false;
    for (auto& [k, v] : f.query) with_version |= k == "versionId";
    CHECK(std::string(iam_action(*r.row, with_version)) == tc.action);
  }
}

TEST_CASE("s3 ops: a subresource is never taken for the plain operation") {
  // A keyword another method owns: no operation, not ListObjects / PostObject / PutObject.
  for (const char* line : {"POST /b?versioning", "GET /b?delete", "POST /b?tagging",
                           "GET /b/k?uploads", "POST /b/k?retention"}) {
    INFO(line);
    CHECK(route_of(parse_form(line)).row == nullptr);
  }
  CHECK(route_of(parse_form("PATCH /b")).row == nullptr);
  CHECK(route_of(parse_form("DELETE /")).row == nullptr);
  CHECK(route_of(parse_form("POST /b/k")).row == nullptr);
  // Unknown parameters are ignored, as S3 ignores them.
  CHECK(std::string(route_of(parse_form("GET /b?foo=1")).name()) == "ListObjects");
  CHECK(std::string(route_of(parse_form("GET /b/k?x-id=GetObject")).name()) == "GetObject");
}

TEST_CASE("s3 router: path splitting decodes '+' as a space and keeps slashes in keys") {
  std::string b, k;
  REQUIRE(split_path("/bucket/a+b/c%2Bd/%E2%82%AC", b, k));
  CHECK(b == "bucket");
  CHECK(k == "a b/c+d/\xE2\x82\xAC");
  REQUIRE(split_path("/bucket", b, k));
  CHECK(b == "bucket");
  CHECK(k.empty());
  REQUIRE(split_path("/", b, k));
  CHECK(b.empty());
  CHECK_FALSE(split_path("/bucket/%zz", b, k));
  CHECK_FALSE(split_path("/bucket/%FF%FE", b, k));  // not UTF-8: InvalidURI
  CHECK_FALSE(split_path("/bucket/ok%C3", b, k));
  CHECK_FALSE(split_path("/bucket/%C0%AF", b, k));
  REQUIRE(split_path("/bucket/../../etc/passwd", b, k));
  CHECK(k == "../../etc/passwd");
}
