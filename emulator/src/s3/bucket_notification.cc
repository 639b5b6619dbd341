// Put/GetBucketNotificationConfiguration. localaws has no SNS, SQS, Lambda or EventBridge to
// deliver to: the configuration is validated (destination ARN forms, AWS's event names, prefix /
// suffix filter rules, overlapping configurations) and stored; no event is sent (docs/s3.md).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
#include <algorithm>
#include <vector>

#include "common/strings.h"
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {
constexpr const char* kNotification = "notification";

// The event types S3 publishes, wildcards included.
constexpr const char* kEvents[] = {
    "s3:TestEvent",
    "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete",
    "s3:ReducedRedundancyLostObject",
    "s3:Replication:*", "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked",
    "s3:Replication:OperationMissedThreshold", "s3:Replication:OperationReplicatedAfterThreshold",
    "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
    "s3:ObjectAcl:Put",
    "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated",
    "s3:LifecycleTransition", "s3:IntelligentTiering",
};

struct Kind {
  const char* element;      // TopicConfiguration ...
  const char* destination;  // Topic ...
  const char* service;      // the ARN's service
};
constexpr Kind kKinds[] = {
    {"TopicConfiguration", "Topic", "sns"},
    {"QueueConfiguration", "Queue", "sqs"},
    {"CloudFunctionConfiguration", "CloudFunction", "lambda"},
};

struct Config {
  std::vector<std::string> events;
  std::string prefix, suffix;
  bool filtered = false;
};

bool digits(std::string_view s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// arn:aws:sns:REGION:ACCOUNT:NAME, arn:aws:sqs:REGION:ACCOUNT:NAME,
// arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER].
bool valid_arn(const std::string& arn, const std::string& service) {
  auto p = split(arn, ':');
  if (p.size() < 6 || p[0] != "arn" || p[1].rfind("aws", 0) != 0 || p[2] != service || p[3].empty() ||
      !digits(p[4], 12))
    return false;
  if (service == "lambda") return (p.size() == 7 || p.size() == 8) && p[5] == "function" && !p[6].empty();
  return p.size() == 6 && !p[5].empty() && p[5].size() <= 256;
}

bool event_covers(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (a.size() > 1 && a.back() == '*') return b.compare(0, a.size() - 1, a, 0, a.size() - 1) == 0;
  return false;
}

bool overlap(const std::string& a, const std::string& b, bool suffix) {
  const std::string& s = a.size() <= b.size() ? a : b;
  const std::string& l = a.size() <= b.size() ? b : a;
  return suffix ? l.compare(l.size() - s.size(), s.size(), s) == 0 : l.compare(0, s.size(), s) == 0;
}

Config check_config(pugi::xml_node n, const Kind& k) {
  Config cfg;
  auto dest = child_text(n, k.destination);
  if (!dest) throw S3Error("MalformedXML");
  if (!valid_arn(*dest, k.service))
    throw S3Error("InvalidArgument", "Unable to validate the following destination configurations")
        .with("ArgumentName1", *dest)
        .with("ArgumentValue1", "The destination ARN is not valid");
  if (auto id = child_text(n, "Id"); id && id->size() > 1024) throw S3Error("InvalidArgument", "The Id is too long");
  for (auto e : n.children("Event")) {
    std::string ev = e.text().get();
    if (std::none_of(std::begin(kEvents), std::end(kEvents), [&](const char* x) { return ev == x; }))
      throw S3Error("InvalidArgument", "The event is not supported for notifications")
          .with("ArgumentName", "Event")
          .with("ArgumentValue", ev);
    cfg.events.push_back(ev);
  }
  if (cfg.events.empty()) throw S3Error("MalformedXML");
  if (auto f = n.child("Filter")) {
    auto key = f.child("S3Key");
    if (!key) throw S3Error("MalformedXML");
    bool have_prefix = false, have_suffix = false;
    for (auto r : key.children("FilterRule")) {
      auto name = child_text(r, "Name");
      auto value = child_text(r, "Value");
      if (!name || !value) throw S3Error("MalformedXML");
      std::string lname = to_lower(*name);
      if (lname != "prefix" && lname != "suffix")
        throw S3Error("InvalidArgument", "filter rule name must be either prefix or suffix")
            .with("ArgumentName", "FilterRule")
            .with("ArgumentValue", *name);
      bool& seen = lname == "prefix" ? have_prefix : have_suffix;
      if (seen)
        throw S3Error("InvalidArgument", "Cannot specify more than one " + lname + " rule in a filter.")
            .with("ArgumentName", "FilterRule")
            .with("ArgumentValue", *name);
      seen = true;
      if (value->size() > 1024) throw S3Error("InvalidArgument", "The filter rule value is too long");
      (lname == "prefix" ? cfg.prefix : cfg.suffix) = *value;
      // S3 accepts either case and answers "Prefix" / "Suffix".
      r.child("Name").text().set(lname == "prefix" ? "Prefix" : "Suffix");
      cfg.filtered = true;
    }
  }
  return cfg;
}

// Two configurations may not both receive one object's event: AWS refuses shared event types whose
// prefixes and suffixes overlap.
void check_overlaps(const std::vector<Config>& all) {
  for (size_t i = 0; i < all.size(); i++) {
    for (size_t j = 0; j < i; j++) {
      const Config &a = all[j], &b = all[i];
      for (auto& ea : a.events) {
        for (auto& eb : b.events) {
          if (!event_covers(ea, eb) && !event_covers(eb, ea)) continue;
          if (!overlap(a.prefix, b.prefix, false) || !overlap(a.suffix, b.suffix, true)) continue;
          if (!a.filtered && !b.filtered)
            throw S3Error("InvalidArgument",
                          "Configurations overlap. Configurations on the same bucket cannot share a common event type.")
                .with("ArgumentName", "Event")
                .with("ArgumentValue", ea + ", " + eb);
          throw S3Error("InvalidArgument",
                        "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the "
                        "prefixes are overlapping for the same event type.")
              .with("ArgumentName", "Event")
              .with("ArgumentValue", ea + ", " + eb);
        }
      }
    }
  }
}
}  // namespace

void get_bucket_notification(Ctx& c) {
  if (auto* x = c.bkt->get(kNotification)) return reply_stored(c, *x);
  reply_xml(c, XmlDoc("NotificationConfiguration"));  // nothing configured: an empty document
}

void put_bucket_notification(Ctx& c) {
  std::string body = read_small_body(c, 1024 * 1024);
  pugi::xml_document doc;
  auto root = config_body(doc, body, "NotificationConfiguration");
  std::vector<Config> all;
  size_t eventbridge = 0;
  for (auto n : root.children()) {
    if (n.type() != pugi::node_element) continue;
    std::string name = n.name();
    if (name == "EventBridgeConfiguration") {
      if (++eventbridge > 1) throw S3Error("MalformedXML");
      continue;
    }
    auto k = std::find_if(std::begin(kKinds), std::end(kKinds), [&](const Kind& x) { return name == x.element; });
    if (k == std::end(kKinds)) throw S3Error("MalformedXML");
    all.push_back(check_config(n, *k));
    // S3 names a configuration that has no Id.
    if (!n.child("Id")) n.prepend_child("Id").text().set(random_rule_id().c_str());
  }
  check_overlaps(all);
  // ---- checks end ----
  if (all.empty() && !eventbridge) return raise(c.store().set_bucket_config(c.bucket, kNotification, std::nullopt), c);
  raise(c.store().set_bucket_config(c.bucket, kNotification, stored_config(root)), c);
}

}  // namespace localaws::s3
