// The four families of per-id bucket configurations: analytics, inventory, metrics and
// intelligent tiering. Put/Get/Delete by ?id=, List with a continuation token, at most 1,000 of
// each per bucket (AWS's limit). Stored one document per id under "<family>/<id>"; nothing is
// computed from them (no analytics, inventory reports or CloudWatch metrics: docs/s3.md).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAnalyticsConfiguration.html (and
// the Inventory, Metrics, IntelligentTiering pages)
#include <cctype>
#include <set>

#include "common/crypto.h"
#include "common/strings.h"
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {

struct Family {
  const char* key;         // config key prefix: "<key>/<id>"
  const char* element;     // the configuration document's root (and each list entry)
  const char* list_root;   // the List result's root
  void (*check)(pugi::xml_node);
};

constexpr size_t kMaxPerBucket = 1000;
constexpr size_t kPageSize = 100;

[[noreturn]] void malformed() { throw S3Error("MalformedXML"); }

void one_of(pugi::xml_node n, const char* name, std::initializer_list<const char*> allowed, bool required = true) {
  auto v = child_text(n, name);
  if (!v) {
    if (required) malformed();
    return;
  }
  for (const char* a : allowed) {
    if (*v == a) return;
  }
  malformed();
}

void check_tag(pugi::xml_node t) {
  if (!t.child("Key") || !t.child("Value")) malformed();
}

// Prefix | Tag | And (Prefix, Tag*) [| AccessPointArn for metrics]: at most one at the top.
void check_filter(pugi::xml_node f, bool access_point = false) {
  int n = 0;
  for (auto c : f.children()) {
    if (c.type() != pugi::node_element) continue;
    n++;
    std::string name = c.name();
    if (name == "Tag") {
      check_tag(c);
    } else if (name == "And") {
      for (auto a : c.children()) {
        if (a.type() != pugi::node_element) continue;
        std::string an = a.name();
        if (an == "Tag") check_tag(a);
        else if (an != "Prefix" && !(access_point && an == "AccessPointArn")) malformed();
      }
    } else if (name != "Prefix" && !(access_point && name == "AccessPointArn")) {
      malformed();
    }
  }
  if (n > 1) malformed();
}

void check_s3_destination(pugi::xml_node d, std::initializer_list<const char*> formats) {
  if (!d) malformed();
  auto arn = child_text(d, "Bucket");
  if (!arn) malformed();
  if (!s3_bucket_arn(*arn))
    throw S3Error("InvalidArgument", "Invalid bucket ARN.").with("ArgumentName", "Bucket").with("ArgumentValue", *arn);
  one_of(d, "Format", formats);
}

void check_analytics(pugi::xml_node r) {
  if (auto f = r.child("Filter")) check_filter(f);
  auto sca = r.child("StorageClassAnalysis");
  if (!sca) malformed();
  if (auto de = sca.child("DataExport")) {
    one_of(de, "OutputSchemaVersion", {"V_1"});
    check_s3_destination(de.child("Destination").child("S3BucketDestination"), {"CSV"});
  }
}

void check_inventory(pugi::xml_node r) {
  check_s3_destination(r.child("Destination").child("S3BucketDestination"), {"CSV", "ORC", "Parquet"});
  one_of(r, "IsEnabled", {"true", "false"});
  one_of(r, "IncludedObjectVersions", {"All", "Current"});
  auto s = r.child("Schedule");
  if (!s) malformed();
  one_of(s, "Frequency", {"Daily", "Weekly"});
  if (auto f = r.child("Filter")) {
    for (auto c : f.children()) {
      if (c.type() == pugi::node_element && std::string(c.name()) != "Prefix") malformed();
    }
  }
  static const std::set<std::string> kFields = {
      "Size", "LastModifiedDate", "StorageClass", "ETag", "IsMultipartUploaded", "ReplicationStatus",
      "EncryptionStatus", "ObjectLockRetainUntilDate", "ObjectLockMode", "ObjectLockLegalHoldStatus",
      "IntelligentTieringAccessTier", "BucketKeyStatus", "ChecksumAlgorithm", "ObjectAccessControlList",
      "ObjectOwner"};
  for (auto f : r.child("OptionalFields").children("Field")) {
    if (!kFields.count(f.text().get())) malformed();
  }
}

void check_metrics(pugi::xml_node r) {
  if (auto f = r.child("Filter")) check_filter(f, true);
}

void check_tiering(pugi::xml_node r) {
  one_of(r, "Status", {"Enabled", "Disabled"});
  if (auto f = r.child("Filter")) check_filter(f);
  std::set<std::string> tiers;
  for (auto t : r.children("Tiering")) {
    auto tier = child_text(t, "AccessTier");
    auto days = child_text(t, "Days");
    if (!tier || !days) malformed();
    auto d = parse_i64(*days);
    if (!d) malformed();
    if (*tier != "ARCHIVE_ACCESS" && *tier != "DEEP_ARCHIVE_ACCESS") malformed();
    if (!tiers.insert(*tier).second)
      throw S3Error("InvalidArgument", "Cannot specify the same access tier more than once");
    int64_t lo = *tier == "ARCHIVE_ACCESS" ? 90 : 180;
    if (*d < lo || *d > 730)
      throw S3Error("InvalidArgument", std::string("A Tiering's Days for ") + *tier + " must be between " +
                                           std::to_string(lo) + " and 730")
          .with("ArgumentName", "Days")
          .with("ArgumentValue", *days);
  }
  if (tiers.empty()) malformed();
}

const Family kAnalytics{"analytics", "AnalyticsConfiguration", "ListBucketAnalyticsConfigurationResult",
                        check_analytics};
const Family kInventory{"inventory", "InventoryConfiguration", "ListInventoryConfigurationsResult", check_inventory};
const Family kMetrics{"metrics", "MetricsConfiguration", "ListMetricsConfigurationsResult", check_metrics};
const Family kTiering{"intelligent-tiering", "IntelligentTieringConfiguration",
                      "ListBucketIntelligentTieringConfigurationsOutput", check_tiering};

std::string config_key(const Family& f, const std::string& id) { return std::string(f.key) + "/" + id; }

// The ?id= parameter: 1-64 characters of letters, digits, '-', '_' and '.'.
std::string id_param(const Ctx& c) {
  std::string id = param_or(c, "id");
  bool ok = !id.empty() && id.size() <= 64;
  for (char ch : id) ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.');
  if (!ok) throw S3Error("InvalidArgument", "Invalid Id").with("ArgumentName", "id").with("ArgumentValue", id);
  return id;
}

void put(Ctx& c, const Family& f) {
  std::string id = id_param(c);
  std::string body = read_small_body(c, 1024 * 1024);
  pugi::xml_document doc;
  auto root = config_body(doc, body, f.element);
  auto body_id = child_text(root, "Id");
  if (!body_id) malformed();
  if (*body_id != id)
    throw S3Error("InvalidArgument", "Configuration Id in the body does not match the id parameter")
        .with("ArgumentName", "id")
        .with("ArgumentValue", id);
  f.check(root);
  std::string key = config_key(f, id);
  if (!c.bkt->get(key)) {
    std::string prefix = std::string(f.key) + "/";
    size_t n = 0;
    auto& cfg = c.bkt->config;
    for (auto it = cfg.lower_bound(prefix); it != cfg.end() && starts_with(it->first, prefix); ++it) n++;
    if (n >= kMaxPerBucket) throw S3Error("TooManyConfigurations");
  }
  // ---- checks end ----
  raise(c.store().set_bucket_config(c.bucket, key, stored_config(root)), c);
}

void get(Ctx& c, const Family& f) {
  auto* x = c.bkt->get(config_key(f, id_param(c)));
  if (!x) throw S3Error("NoSuchConfiguration");
  reply_stored(c, *x);
}

void remove(Ctx& c, const Family& f) {
  std::string key = config_key(f, id_param(c));
  if (!c.bkt->get(key)) throw S3Error("NoSuchConfiguration");
  remove_config(c, key.c_str());
}

// Pages of 100 in id order; the continuation token is the base64 of the last id listed.
void list(Ctx& c, const Family& f) {
  std::string prefix = std::string(f.key) + "/";
  std::string token = param_or(c, "continuation-token"), after;
  if (!token.empty() && (!base64_decode(token, after) || after.empty()))
    throw S3Error("InvalidArgument", "The continuation token provided is incorrect")
        .with("ArgumentName", "continuation-token")
        .with("ArgumentValue", token);
  XmlDoc out(f.list_root);
  auto r = out.doc.document_element();
  size_t n = 0;
  std::string last;
  bool truncated = false;
  auto it = c.bkt->config.lower_bound(prefix + after);
  if (!after.empty() && it != c.bkt->config.end() && it->first == prefix + after) ++it;
  for (; it != c.bkt->config.end() && starts_with(it->first, prefix); ++it) {
    if (n == kPageSize) {
      truncated = true;
      break;
    }
    pugi::xml_document one;
    if (!parse_xml(it->second, one)) continue;
    auto entry = r.append_child(f.element);
    for (auto ch : one.document_element().children()) entry.append_copy(ch);
    last = it->first.substr(prefix.size());
    n++;
  }
  // Elements after the entries are fine for clients; AWS puts IsTruncated and the tokens first.
  auto first = r.first_child();
  auto add_before = [&](const char* name, const std::string& v) {
    auto e = first ? r.insert_child_before(name, first) : r.append_child(name);
    e.text().set(v.c_str());
  };
  add_before("IsTruncated", truncated ? "true" : "false");
  if (!token.empty()) add_before("ContinuationToken", token);
  if (truncated) add_before("NextContinuationToken", base64_encode(last));
  reply_xml(c, out);
}

}  // namespace

void put_bucket_analytics(Ctx& c) { put(c, kAnalytics); }
void get_bucket_analytics(Ctx& c) { get(c, kAnalytics); }
void delete_bucket_analytics(Ctx& c) { remove(c, kAnalytics); }
void list_bucket_analytics(Ctx& c) { list(c, kAnalytics); }
void put_bucket_inventory(Ctx& c) { put(c, kInventory); }
void get_bucket_inventory(Ctx& c) { get(c, kInventory); }
void delete_bucket_inventory(Ctx& c) { remove(c, kInventory); }
void list_bucket_inventory(Ctx& c) { list(c, kInventory); }
void put_bucket_metrics(Ctx& c) { put(c, kMetrics); }
void get_bucket_metrics(Ctx& c) { get(c, kMetrics); }
void delete_bucket_metrics(Ctx& c) { remove(c, kMetrics); }
void list_bucket_metrics(Ctx& c) { list(c, kMetrics); }
void put_bucket_intelligent_tiering(Ctx& c) { put(c, kTiering); }
void get_bucket_intelligent_tiering(Ctx& c) { get(c, kTiering); }
void delete_bucket_intelligent_tiering(Ctx& c) { remove(c, kTiering); }
void list_bucket_intelligent_tiering(Ctx& c) { list(c, kTiering); }

}  // namespace localaws::s3
