// Put/Get/DeleteBucketReplication. localaws has one region and replicates nothing: the
// configuration is validated as S3 validates it and stored (docs/s3.md).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
#include <set>

#include "common/strings.h"
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {
constexpr const char* kReplication = "replication";

bool status_value(pugi::xml_node n) {
  auto s = child_text(n, "Status");
  if (!s || (*s != "Enabled" && *s != "Disabled")) throw S3Error("MalformedXML");
  return *s == "Enabled";
}

// A Filter holds exactly one of Prefix, Tag, And (And: an optional Prefix and Tags). Returns
// whether it names a tag.
bool check_filter(pugi::xml_node f) {
  int n = 0;
  bool tag = false;
  for (auto c : f.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string name = c.name();
    n++;
    if (name == "Tag") {
      if (!c.child("Key") || !c.child("Value")) throw S3Error("MalformedXML");
      tag = true;
    } else if (name == "And") {
      for (auto a : c.children()) {
        if (a.type() != pugi::node_element) continue;
        std::string an = a.name();
        if (an == "Tag") {
          if (!a.child("Key") || !a.child("Value")) throw S3Error("MalformedXML");
          tag = true;
        } else if (an != "Prefix") {
          throw S3Error("MalformedXML");
        }
      }
    } else if (name != "Prefix") {
      throw S3Error("MalformedXML");
    }
  }
  if (n > 1) throw S3Error("MalformedXML");
  return tag;
}

void check_destination(Ctx& c, pugi::xml_node d) {
  auto arn = child_text(d, "Bucket");
  if (!arn) throw S3Error("MalformedXML");
  auto name = s3_bucket_arn(*arn);
  if (!name)
    throw S3Error("InvalidArgument", "Invalid bucket ARN.").with("ArgumentName", "Bucket").with("ArgumentValue", *arn);
  if (*name == c.bucket) throw S3Error("InvalidRequest", "Destination bucket cannot be the same as the source bucket.");
  auto dest = c.store().bucket(*name);
  if (!dest) throw S3Error("InvalidRequest", "Destination bucket must exist.");
  if (dest->versioning != Versioning::kEnabled)
    throw S3Error("InvalidRequest", "Destination bucket must have versioning enabled.");
  if (auto sc = child_text(d, "StorageClass")) {
    static const std::set<std::string> kClasses = {"STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
                                                   "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"};
    if (!kClasses.count(*sc)) throw S3Error("MalformedXML");
  }
}
}  // namespace

void get_bucket_replication(Ctx& c) {
  auto* x = c.bkt->get(kReplication);
  if (!x) throw S3Error("ReplicationConfigurationNotFoundError").with("BucketName", c.bucket);
  reply_stored(c, *x);
}

void put_bucket_replication(Ctx& c) {
  std::string body = read_small_body(c, 2 * 1024 * 1024);
  verify_body_integrity(c.req, body);
  pugi::xml_document doc;
  auto root = config_body(doc, body, "ReplicationConfiguration");
  auto role = child_text(root, "Role");
  if (!role) throw S3Error("MalformedXML");
  if (c.bkt->versioning != Versioning::kEnabled)
    throw S3Error("InvalidRequest", "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
  size_t rules = 0;
  bool any_v1 = false, any_v2 = false;
  std::set<std::string> ids;
  std::set<int64_t> priorities;
  for (auto r : root.children("Rule")) {
    if (++rules > 1000) throw S3Error("InvalidRequest", "Number of rules exceeds the maximum of 1000.");
    status_value(r);
    auto d = r.child("Destination");
    if (!d) throw S3Error("MalformedXML");
    if (auto id = child_text(r, "ID")) {
      if (id->size() > 255) throw S3Error("InvalidArgument", "ID length should not exceed allowed limit of 255");
      if (!ids.insert(*id).second)
        throw S3Error("InvalidRequest", "Rule Id must be unique. Found same ID for more than one rule");
    } else {
      r.prepend_child("ID").text().set(random_rule_id().c_str());  // S3 names rules without one
    }
    bool has_prefix = static_cast<bool>(r.child("Prefix"));
    auto filter = r.child("Filter");
    if (has_prefix && filter) throw S3Error("MalformedXML");
    if (filter) {
      // The V2 schema: a filter, a priority, and DeleteMarkerReplication said explicitly.
      any_v2 = true;
      bool tag = check_filter(filter);
      auto dm = r.child("DeleteMarkerReplication");
      if (!dm)
        throw S3Error("InvalidRequest",
                      "DeleteMarkerReplication must be specified for this version of Cross Region Replication "
                      "configuration schema.");
      if (status_value(dm) && tag)
        throw S3Error("InvalidRequest", "Delete marker replication is not supported if any Tag filter is specified.");
      auto pr = child_text(r, "Priority");
      auto p = pr ? parse_i64(*pr) : std::optional<int64_t>(0);
      if (!p) throw S3Error("MalformedXML");
      if (!priorities.insert(*p).second)
        throw S3Error("InvalidRequest", "Found duplicate priority " + std::to_string(*p) +
                                            " in rules. Priority must be unique for each rule.");
    } else {
      any_v1 = true;
      if (r.child("DeleteMarkerReplication") || r.child("Priority") || r.child("ExistingObjectReplication"))
        throw S3Error("InvalidRequest", "Rules with a Prefix (the V1 schema) take no Priority, DeleteMarkerReplication "
                                        "or ExistingObjectReplication; use a Filter.");
    }
    check_destination(c, d);
  }
  if (rules == 0) throw S3Error("MalformedXML");
  if (any_v1 && any_v2) throw S3Error("InvalidRequest", "Rules must all use the same schema: Filter or Prefix.");
  // ---- checks end ----
  raise(c.store().set_bucket_config(c.bucket, kReplication, stored_config(root)), c);
}

void delete_bucket_replication(Ctx& c) { remove_config(c, kReplication); }

}  // namespace localaws::s3
