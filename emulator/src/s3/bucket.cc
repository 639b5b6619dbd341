// Bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation.
#include <algorithm>

#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"
#include "http/body.h"
#include "s3/handlers.h"
#include "s3/rules.h"

namespace localaws::s3 {

namespace {
void add_owner(XmlNode parent, const Owner& o) {
  parent.child("Owner").add("ID", o.id);  // no DisplayName since 2025-11-21, as AWS
}

// A region name as AWS spells them (us-east-1, eu-west-3, ap-southeast-2 ...).
bool plausible_region(const std::string& r) {
  if (r.size() < 3 || r.size() > 30) return false;
  for (char ch : r) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
  }
  return r.find('-') != std::string::npos;
}

// The LocationConstraint values CreateBucket takes (the BucketLocationConstraint list of the API
// reference, less us-east-1, which has none). "EU" is the old name of eu-west-1.
constexpr const char* kRegions[] = {
    "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1",   "ca-west-1",      "cn-north-1",
    "cn-northwest-1", "EU",             "eu-central-1",   "eu-central-2",   "eu-north-1",     "eu-south-1",
    "eu-south-2",     "eu-west-1",      "eu-west-2",      "eu-west-3",      "il-central-1",   "me-central-1",
    "me-south-1",     "mx-central-1",   "sa-east-1",      "us-east-2",      "us-gov-east-1",  "us-gov-west-1",
    "us-west-1",      "us-west-2"};

// The region a LocationConstraint puts the bucket in.
std::string constraint_region(const std::string& lc) { return lc == "EU" ? "eu-west-1" : lc; }

// The region the client signed for (credential scope of the header or presigned query), or "".
std::string signing_region(const http::Request& req) {
  std::string cred;
  if (auto* a = req.header("authorization")) {
    auto p = a->find("Credential=");
    if (p != std::string::npos) cred = a->substr(p + 11, a->find_first_of(", ", p) - p - 11);
  } else if (auto* q = req.query_param("X-Amz-Credential")) {
    cred = *q;
  }
  auto parts = split(cred, '/');  // AKID/date/region/s3/aws4_request
  return parts.size() >= 5 ? parts[parts.size() - 3] : "";
}

// The LocationConstraint of a CreateBucketConfiguration body, or "" when there is none.
std::string location_constraint(Ctx& c) {
  std::string body = read_small_body(c, 64 * 1024);
  if (trim(body).empty()) return "";
  pugi::xml_document doc;
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != "CreateBucketConfiguration")
    throw S3Error("MalformedXML");
  auto lc = child_text(doc.document_element(), "LocationConstraint");
  return lc ? trim(*lc) : "";
}
}  // namespace

void list_buckets(Ctx& c) {
  size_t max = 10000;
  if (auto* m = c.req.query_param("max-buckets")) {
    auto v = parse_u64(*m);
    if (!v || *v < 1 || *v > 10000)
      throw S3Error("InvalidArgument", "Argument max-buckets must be an integer between 1 and 10000")
          .with("ArgumentName", "max-buckets")
          .with("ArgumentValue", *m);
    max = *v;
  }
  std::string prefix = param_or(c, "prefix"), region = param_or(c, "bucket-region");
  std::string after;
  const std::string* token = c.req.query_param("continuation-token");
  // The token is the base64 of the last name listed: one that decodes to nothing, or to a name
  // outside the prefix, is not one S3 gave out.
  if (token && (token->empty() || !base64_decode(*token, after) || after.empty() || !starts_with(after, prefix)))
    throw S3Error("InvalidArgument", "The continuation token provided is incorrect")
        .with("ArgumentName", "continuation-token")
        .with("ArgumentValue", *token);
  if (c.req.query_param("bucket-region") && !plausible_region(region))
    throw S3Error("InvalidArgument", "Invalid bucket-region: " + region)
        .with("ArgumentName", "bucket-region")
        .with("ArgumentValue", region);
  // bucket-region filters the listing: read on from the seek position until a page is full (and
  // truncated only when another bucket of the region follows).
  std::vector<Bucket> buckets;
  bool truncated = false;
  for (;;) {
    auto batch = c.store().list_buckets(c.who.account_id, prefix, after, max + 1);
    for (auto& b : batch) {
      if (!region.empty() && b.region != region) {
        after = b.name;
        continue;
      }
      if (buckets.size() == max) {
        truncated = true;
        break;
      }
      after = b.name;
      buckets.push_back(std::move(b));
    }
    if (truncated || batch.size() <= max) break;
  }

  XmlDoc doc("ListAllMyBucketsResult");
  add_owner(doc.root, owner_of(c.who));
  auto list = doc.root.child("Buckets");
  for (auto& b : buckets) {
    list.child("Bucket").add("Name", b.name).add("CreationDate", iso8601_ms(b.created_ms)).add("BucketRegion", b.region);
  }
  if (truncated) doc.root.add("ContinuationToken", base64_encode(buckets.back().name));
  if (c.req.query_param("prefix")) doc.root.add("Prefix", prefix);
  reply_xml(c, doc);
}

void create_bucket(Ctx& c) {
  if (!valid_bucket_name(c.bucket)) throw S3Error("InvalidBucketName").with("BucketName", c.bucket);
  std::string lc = location_constraint(c);
  std::string signed_for = signing_region(c.req);
  // us-east-1 has no LocationConstraint: naming it explicitly is an error on AWS, as is a region
  // AWS does not have. The emulator's own --region and the region the client signed for are
  // accepted too (a local setup may name a region of its own).
  bool known = std::find(std::begin(kRegions), std::end(kRegions), lc) != std::end(kRegions) ||
               (plausible_region(lc) && (lc == c.env.opts.region || lc == signed_for));
  if (!lc.empty() && (lc == "us-east-1" || !known))
    throw S3Error("InvalidLocationConstraint").with("LocationConstraint", lc);
  // A regional endpoint (signed for a region other than us-east-1) only creates buckets in its
  // own region, and wants it named.
  if (!signed_for.empty() && signed_for != "us-east-1" && constraint_region(lc) != signed_for) {
    throw S3Error("IllegalLocationConstraintException",
                  "The " + (lc.empty() ? std::string("unspecified") : lc) +
                      " location constraint is incompatible for the region specific endpoint this request was sent to.");
  }
  Bucket b{c.bucket, lc.empty() ? c.env.opts.region : constraint_region(lc), owner_of(c.who), c.now_ms, {}};
  b.config = new_bucket_config(c, b.owner);
  if (lc == "EU") b.config["location"] = lc;  // GetBucketLocation answers with the name it was created with
  // Object Lock at creation turns versioning on for good.
  if (auto* lock = c.req.header("x-amz-bucket-object-lock-enabled")) {
    if (iequals(trim(*lock), "true")) {
      b.object_lock = true;
      b.versioning = Versioning::kEnabled;
    } else if (!iequals(trim(*lock), "false")) {
      throw S3Error("InvalidArgument").with("ArgumentName", "x-amz-bucket-object-lock-enabled").with("ArgumentValue", *lock);
    }
  }
  Bucket existing;
  // ---- checks end; the bucket is created here ----
  St st = c.store().create_bucket(b, &existing);
  if (st == St::kExists) {
    if (existing.owner.account != c.who.account_id) throw S3Error("BucketAlreadyExists").with("BucketName", c.bucket);
    // us-east-1 answers 200 for a bucket you already own; every other region does not.
    if (!(existing.region == "us-east-1" && b.region == "us-east-1"))
      throw S3Error("BucketAlreadyOwnedByYou").with("BucketName", c.bucket);
  }
  c.res.set_header("Location", "/" + c.bucket);
}

void head_bucket(Ctx& c) {
  c.res.set_header("x-amz-bucket-region", c.bkt->region);
  c.res.set_header("x-amz-access-point-alias", "false");
  c.res.omit_body = true;
}

void delete_bucket(Ctx& c) {
  raise(c.store().delete_bucket(c.bucket), c);
  c.res.status = 204;
}

void get_bucket_location(Ctx& c) {
  XmlDoc doc("LocationConstraint");
  // us-east-1 is an empty element; a bucket created with "EU" keeps that name here.
  const std::string* named = c.bkt->get("location");
  std::string lc = named ? *named : c.bkt->region;
  if (lc != "us-east-1") doc.doc.document_element().text().set(lc.c_str());
  reply_xml(c, doc);
}

}  // namespace localaws::s3
