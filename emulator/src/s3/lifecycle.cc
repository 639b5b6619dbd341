// Lifecycle configurations: parsing with AWS's validation, rendering, storage form, matching and
// the headers rules imply. AWS pages: "Lifecycle configuration elements", API_LifecycleRule,
// API_Transition, API_LifecycleExpiration, "Constraints and considerations for transitions".
#include "s3/lifecycle.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"
#include "s3/error.h"
#include "s3/handlers.h"
#include "s3/xml.h"

namespace localaws::s3 {

using nlohmann::json;

namespace {

constexpr size_t kMaxRules = 1000;
constexpr uint64_t kMinTransitionSize = 128 * 1024;

[[noreturn]] void malformed() { throw S3Error("MalformedXML"); }
[[noreturn]] void invalid_arg(const std::string& msg) { throw S3Error("InvalidArgument", msg); }
[[noreturn]] void invalid_req(const std::string& msg) { throw S3Error("InvalidRequest", msg); }

// A whole number in an element (MalformedXML when it is not one; negative allowed, callers check).
std::optional<int64_t> int_child(pugi::xml_node n, const char* name) {
  auto t = child_text(n, name);
  if (!t) return std::nullopt;
  std::string s = trim(*t);
  bool neg = !s.empty() && s[0] == '-';
  auto v = parse_u64(neg ? s.substr(1) : s);
  if (!v || *v > (1ull << 40)) malformed();
  return neg ? -static_cast<int64_t>(*v) : static_cast<int64_t>(*v);
}

// A Date element: ISO 8601, and AWS requires midnight UTC.
std::optional<int64_t> date_child(pugi::xml_node n) {
  auto t = child_text(n, "Date");
  if (!t) return std::nullopt;
  std::string s = trim(*t);
  // Accept a date-only form, too (some clients send 2030-01-01).
  if (s.size() == 10) s += "T00:00:00Z";
  // "+00:00" suffix as some SDKs render it.
  if (s.size() > 6 && (s.compare(s.size() - 6, 6, "+00:00") == 0 || s.compare(s.size() - 6, 6, "-00:00") == 0))
    s = s.substr(0, s.size() - 6) + "Z";
  auto v = parse_iso8601(s);
  if (!v) invalid_arg("Invalid date");  // unsure of AWS's wording; see notes
  int64_t ms = *v * 1000;
  if (ms % kDayMs != 0) invalid_arg("'Date' must be at midnight GMT");
  return ms;
}

bool valid_transition_class(const std::string& sc) {
  static const std::set<std::string> k = {"GLACIER",      "STANDARD_IA", "ONEZONE_IA",
                                          "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"};
  return k.count(sc) != 0;
}

std::pair<std::string, std::string> parse_tag(pugi::xml_node t) {
  auto k = child_text(t, "Key");
  auto v = child_text(t, "Value");
  if (!k) malformed();
  if (k->empty() || k->size() > 128 || (v && v->size() > 256)) throw S3Error("InvalidTag", "The TagKey you have provided is invalid");
  return {*k, v.value_or("")};
}

void parse_size(pugi::xml_node n, const char* name, std::optional<uint64_t>& out) {
  auto t = child_text(n, name);
  if (!t) return;
  auto v = parse_u64(trim(*t));
  if (!v) malformed();
  out = *v;
}

LcFilter parse_filter(pugi::xml_node f) {
  LcFilter out;
  out.form = LcFilter::Form::kFilter;
  int children = 0;
  for (auto ch : f.children()) {
    if (ch.type() == pugi::node_element) children++;
  }
  if (children == 0) {
    out.form = LcFilter::Form::kEmptyFilter;
    return out;
  }
  if (children > 1) malformed();  // several conditions need <And>
  if (auto a = f.child("And")) {
    out.form = LcFilter::Form::kAnd;
    if (auto p = child_text(a, "Prefix")) out.prefix = *p;
    std::set<std::string> seen;
    for (auto t : a.children("Tag")) {
      auto tag = parse_tag(t);
      if (!seen.insert(tag.first).second) invalid_req("Duplicate Tag Keys are not allowed.");
      out.tags.push_back(tag);
    }
    parse_size(a, "ObjectSizeGreaterThan", out.size_gt);
    parse_size(a, "ObjectSizeLessThan", out.size_lt);
  } else if (auto t = f.child("Tag")) {
    out.tags.push_back(parse_tag(t));
  } else if (auto p = child_text(f, "Prefix")) {
    out.prefix = *p;
  } else if (f.child("ObjectSizeGreaterThan")) {
    parse_size(f, "ObjectSizeGreaterThan", out.size_gt);
  } else if (f.child("ObjectSizeLessThan")) {
    parse_size(f, "ObjectSizeLessThan", out.size_lt);
  } else {
    malformed();
  }
  if (out.size_gt && out.size_lt && *out.size_lt <= *out.size_gt)
    invalid_arg("ObjectSizeLessThan must be greater than ObjectSizeGreaterThan");
  return out;
}

std::string filter_desc(const LcFilter& f) { return "(prefix=" + f.prefix + ")"; }

LcTransition parse_transition(pugi::xml_node t, bool noncurrent) {
  LcTransition out;
  auto sc = child_text(t, "StorageClass");
  if (!sc || !valid_transition_class(trim(*sc))) malformed();
  out.storage_class = trim(*sc);
  bool ia = out.storage_class == "STANDARD_IA" || out.storage_class == "ONEZONE_IA";
  if (noncurrent) {
    out.days = int_child(t, "NoncurrentDays");
    out.newer = int_child(t, "NewerNoncurrentVersions");
    if (!out.days) malformed();
    if (*out.days < 0) invalid_arg("'NoncurrentDays' in NoncurrentVersionTransition action must be nonnegative");
    if (ia && *out.days < 30)
      invalid_arg("'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for "
                  "storageClass '" + out.storage_class + "'");
    if (out.newer && (*out.newer < 1 || *out.newer > 100))
      invalid_arg("'NewerNoncurrentVersions' in NoncurrentVersionTransition action must be a positive integer "
                  "no greater than 100");
    return out;
  }
  out.days = int_child(t, "Days");
  out.date_ms = date_child(t);
  if (!out.days == !out.date_ms) malformed();
  if (out.days && *out.days < 0) invalid_arg("'Days' in Transition action must be nonnegative");
  if (out.days && ia && *out.days < 30)
    invalid_arg("'Days' in Transition action must be greater than or equal to 30 for storageClass '" +
                out.storage_class + "'");
  return out;
}

// Transitions of one rule: one per storage class, each later class (in the transition order)
// later in time; leaving STANDARD_IA / ONEZONE_IA needs 30 more days there.
void check_transitions(std::vector<LcTransition> ts, const LcFilter& f, bool noncurrent) {
  std::set<std::string> classes;
  for (auto& t : ts) {
    if (!classes.insert(t.storage_class).second)
      invalid_arg(std::string("'StorageClass' must be different for '") +
                  (noncurrent ? "NoncurrentVersionTransition" : "Transition") + "' actions in same 'Rule' with " +
                  "filter '" + filter_desc(f) + "'");
  }
  bool any_days = false, any_date = false;
  for (auto& t : ts) (t.days ? any_days : any_date) = true;
  if (any_days && any_date) malformed();
  std::sort(ts.begin(), ts.end(), [](auto& a, auto& b) {
    return storage_class_rank(a.storage_class) < storage_class_rank(b.storage_class);
  });
  const char* what = noncurrent ? "NoncurrentDays" : "Days";
  for (size_t i = 1; i < ts.size(); i++) {
    const auto& a = ts[i - 1];
    const auto& b = ts[i];
    if (a.date_ms) {
      if (*b.date_ms <= *a.date_ms)
        invalid_arg("'Date' in the Transition action for StorageClass '" + b.storage_class + "' for filter '" +
                    filter_desc(f) + "' must be later than 'Date' in the Transition action for StorageClass '" +
                    a.storage_class + "' for filter '" + filter_desc(f) + "'");
      continue;
    }
    bool from_ia = a.storage_class == "STANDARD_IA" || a.storage_class == "ONEZONE_IA";
    int64_t need = from_ia ? *a.days + 30 : *a.days + 1;
    if (*b.days < need) {
      if (from_ia)
        invalid_arg(std::string("'") + what + "' in the " + (noncurrent ? "NoncurrentVersionTransition" : "Transition") +
                    " action for StorageClass '" + b.storage_class + "' for filter '" + filter_desc(f) +
                    "' must be 30 days more than 'filter '" + filter_desc(f) + "'' in the " +
                    (noncurrent ? "NoncurrentVersionTransition" : "Transition") + " action for StorageClass '" +
                    a.storage_class + "'");
      invalid_arg(std::string("'") + what + "' in the " + (noncurrent ? "NoncurrentVersionTransition" : "Transition") +
                  " action for StorageClass '" + b.storage_class + "' for filter '" + filter_desc(f) +
                  "' must be greater than '" + what + "' in the " +
                  (noncurrent ? "NoncurrentVersionTransition" : "Transition") + " action for StorageClass '" +
                  a.storage_class + "' for filter '" + filter_desc(f) + "'");
    }
  }
}

LcRule parse_rule(pugi::xml_node r) {
  LcRule out;
  if (auto id = child_text(r, "ID")) {
    out.id = *id;
    if (out.id.size() > 255) invalid_arg("ID length should not exceed allowed limit of 255");
  }
  if (out.id.empty()) {
    // AWS names a rule sent without an ID (an opaque string).
    out.id = base64_encode(random_hex(24));
  }
  auto status = child_text(r, "Status");
  if (!status || (*status != "Enabled" && *status != "Disabled")) malformed();
  out.enabled = *status == "Enabled";
  auto legacy = child_text(r, "Prefix");
  auto filter = r.child("Filter");
  if (legacy && filter) malformed();
  if (!legacy && !filter) malformed();
  if (legacy) {
    out.filter.form = LcFilter::Form::kLegacyPrefix;
    out.filter.prefix = *legacy;
  } else {
    out.filter = parse_filter(filter);
  }
  if (out.filter.prefix.size() > 1024) invalid_arg("The maximum size of a prefix is 1024.");
  int actions = 0;
  if (auto e = r.child("Expiration")) {
    actions++;
    out.exp_days = int_child(e, "Days");
    out.exp_date_ms = date_child(e);
    if (auto m = child_text(e, "ExpiredObjectDeleteMarker")) {
      std::string v = trim(*m);
      if (v != "true" && v != "false") malformed();
      out.exp_marker = v == "true";
    }
    int n = int(out.exp_days.has_value()) + int(out.exp_date_ms.has_value()) + int(out.exp_marker.has_value());
    if (n != 1) malformed();  // ExpiredObjectDeleteMarker cannot be specified with Days or Date
    if (out.exp_days && *out.exp_days <= 0) invalid_arg("'Days' for Expiration action must be a positive integer");
    if (out.exp_marker && !out.filter.tags.empty())
      invalid_req("ExpiredObjectDeleteMarker cannot be specified with Tags.");
  }
  if (auto e = r.child("NoncurrentVersionExpiration")) {
    actions++;
    out.nc_days = int_child(e, "NoncurrentDays");
    out.nc_newer = int_child(e, "NewerNoncurrentVersions");
    if (!out.nc_days) malformed();
    if (*out.nc_days <= 0)
      invalid_arg("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
    if (out.nc_newer && (*out.nc_newer < 1 || *out.nc_newer > 100))
      invalid_arg("'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer "
                  "no greater than 100");
  }
  if (auto a = r.child("AbortIncompleteMultipartUpload")) {
    actions++;
    out.abort_days = int_child(a, "DaysAfterInitiation");
    if (!out.abort_days) malformed();
    if (*out.abort_days <= 0)
      invalid_arg("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
    if (!out.filter.tags.empty()) invalid_req("AbortIncompleteMultipartUpload cannot be specified with Tags.");
  }
  // Transitions may come as repeated <Transition> elements (the API's list form).
  for (auto t : r.children("Transition")) out.transitions.push_back(parse_transition(t, false));
  for (auto t : r.children("NoncurrentVersionTransition")) out.nc_transitions.push_back(parse_transition(t, true));
  actions += static_cast<int>(out.transitions.size() + out.nc_transitions.size());
  if (actions == 0) invalid_req("At least one action needs to be specified in a rule");
  check_transitions(out.transitions, out.filter, false);
  check_transitions(out.nc_transitions, out.filter, true);
  bool days_based = out.exp_days.has_value(), date_based = out.exp_date_ms.has_value();
  for (auto& t : out.transitions) (t.days ? days_based : date_based) = true;
  if (days_based && date_based)
    invalid_req("Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule for filter '" +
                filter_desc(out.filter) + "'");
  for (auto& t : out.transitions) {
    if (out.exp_days && t.days && *out.exp_days <= *t.days)
      invalid_arg("'Days' in the Expiration action for filter '" + filter_desc(out.filter) +
                  "' must be greater than 'Days' in the Transition action for StorageClass '" + t.storage_class + "'");
    if (out.exp_date_ms && t.date_ms && *out.exp_date_ms <= *t.date_ms)
      invalid_arg("'Date' in the Expiration action for filter '" + filter_desc(out.filter) +
                  "' must be later than 'Date' in the Transition action for StorageClass '" + t.storage_class + "'");
  }
  for (auto& t : out.nc_transitions) {
    if (out.nc_days && *out.nc_days <= *t.days)
      invalid_arg("'NoncurrentDays' in the NoncurrentVersionExpiration action for filter '" + filter_desc(out.filter) +
                  "' must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action for StorageClass '" +
                  t.storage_class + "'");
  }
  return out;
}

// Rules written with the legacy top-level Prefix may not overlap for the same kind of action
// (AWS's long-standing check; rules with <Filter> may overlap).
void check_overlaps(const std::vector<LcRule>& rules) {
  auto kinds = [](const LcRule& r) {
    std::vector<const char*> k;
    if (r.exp_days || r.exp_date_ms || r.exp_marker) k.push_back("Expiration");
    if (r.nc_days) k.push_back("NoncurrentVersionExpiration");
    if (r.abort_days) k.push_back("AbortIncompleteMultipartUpload");
    if (!r.transitions.empty()) k.push_back("Transition");
    if (!r.nc_transitions.empty()) k.push_back("NoncurrentVersionTransition");
    return k;
  };
  for (size_t i = 0; i < rules.size(); i++) {
    const auto& a = rules[i];
    if (a.filter.form != LcFilter::Form::kLegacyPrefix || !a.enabled) continue;
    for (size_t j = i + 1; j < rules.size(); j++) {
      const auto& b = rules[j];
      if (b.filter.form != LcFilter::Form::kLegacyPrefix || !b.enabled) continue;
      const std::string& p = a.filter.prefix;
      const std::string& q = b.filter.prefix;
      if (!starts_with(p, q) && !starts_with(q, p)) continue;
      for (auto* ka : kinds(a)) {
        for (auto* kb : kinds(b)) {
          if (std::string(ka) == kb)
            invalid_req("Found overlapping prefixes '" + p + "' and '" + q + "' for same action type '" + ka + "'");
        }
      }
    }
  }
}

json opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
std::optional<int64_t> opt_of(const json& j, const char* k) {
  auto it = j.find(k);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

std::string date_text(int64_t ms) { return iso8601_ms(ms); }

void add_filter(XmlNode rule, const LcFilter& f) {
  if (f.form == LcFilter::Form::kLegacyPrefix) {
    rule.add("Prefix", f.prefix);
    return;
  }
  XmlNode fn = rule.child("Filter");
  if (f.form == LcFilter::Form::kEmptyFilter) return;
  if (f.form == LcFilter::Form::kAnd) {
    XmlNode a = fn.child("And");
    if (!f.prefix.empty()) a.add("Prefix", f.prefix);
    for (auto& [k, v] : f.tags) a.child("Tag").add("Key", k).add("Value", v);
    if (f.size_gt) a.add("ObjectSizeGreaterThan", *f.size_gt);
    if (f.size_lt) a.add("ObjectSizeLessThan", *f.size_lt);
    return;
  }
  if (!f.tags.empty()) fn.child("Tag").add("Key", f.tags[0].first).add("Value", f.tags[0].second);
  else if (f.size_gt) fn.add("ObjectSizeGreaterThan", *f.size_gt);
  else if (f.size_lt) fn.add("ObjectSizeLessThan", *f.size_lt);
  else fn.add("Prefix", f.prefix);
}

}  // namespace

LcConfig parse_lifecycle_xml(std::string_view body) {
  pugi::xml_document doc;
  if (!parse_xml(body, doc)) malformed();
  auto root = doc.document_element();
  if (std::string(root.name()) != "LifecycleConfiguration") malformed();
  LcConfig cfg;
  std::set<std::string> ids;
  size_t n = 0;
  for (auto r : root.children("Rule")) {
    if (++n > kMaxRules) invalid_arg("The number of lifecycle rules must not exceed the allowed limit of 1000 rules");
    LcRule rule = parse_rule(r);
    if (!ids.insert(rule.id).second) invalid_arg("Rule ID must be unique. Found same ID for more than one rule");
    cfg.rules.push_back(std::move(rule));
  }
  if (cfg.rules.empty()) malformed();
  check_overlaps(cfg.rules);
  return cfg;
}

std::string lifecycle_xml(const LcConfig& cfg) {
  XmlDoc doc("LifecycleConfiguration");
  for (auto& r : cfg.rules) {
    XmlNode rule = doc.root.child("Rule");
    if (r.exp_days || r.exp_date_ms || r.exp_marker) {
      XmlNode e = rule.child("Expiration");
      if (r.exp_days) e.add("Days", static_cast<uint64_t>(*r.exp_days));
      if (r.exp_date_ms) e.add("Date", date_text(*r.exp_date_ms));
      if (r.exp_marker) e.add_bool("ExpiredObjectDeleteMarker", *r.exp_marker);
    }
    rule.add("ID", r.id);
    add_filter(rule, r.filter);
    rule.add("Status", r.enabled ? "Enabled" : "Disabled");
    for (auto& t : r.transitions) {
      XmlNode x = rule.child("Transition");
      if (t.days) x.add("Days", static_cast<uint64_t>(*t.days));
      if (t.date_ms) x.add("Date", date_text(*t.date_ms));
      x.add("StorageClass", t.storage_class);
    }
    for (auto& t : r.nc_transitions) {
      XmlNode x = rule.child("NoncurrentVersionTransition");
      x.add("NoncurrentDays", static_cast<uint64_t>(*t.days)).add("StorageClass", t.storage_class);
      if (t.newer) x.add("NewerNoncurrentVersions", static_cast<uint64_t>(*t.newer));
    }
    if (r.nc_days) {
      XmlNode x = rule.child("NoncurrentVersionExpiration");
      x.add("NoncurrentDays", static_cast<uint64_t>(*r.nc_days));
      if (r.nc_newer) x.add("NewerNoncurrentVersions", static_cast<uint64_t>(*r.nc_newer));
    }
    if (r.abort_days) rule.child("AbortIncompleteMultipartUpload").add("DaysAfterInitiation", static_cast<uint64_t>(*r.abort_days));
  }
  return doc.str();
}

std::string encode_lifecycle(const LcConfig& cfg) {
  json rules = json::array();
  for (auto& r : cfg.rules) {
    json tags = json::array();
    for (auto& [k, v] : r.filter.tags) tags.push_back({k, v});
    auto trans = [](const std::vector<LcTransition>& ts) {
      json a = json::array();
      for (auto& t : ts) a.push_back({{"d", opt(t.days)}, {"t", opt(t.date_ms)}, {"n", opt(t.newer)}, {"c", t.storage_class}});
      return a;
    };
    rules.push_back({{"id", r.id},
                     {"on", r.enabled},
                     {"form", static_cast<int>(r.filter.form)},
                     {"p", r.filter.prefix},
                     {"tags", tags},
                     {"gt", r.filter.size_gt ? json(*r.filter.size_gt) : json(nullptr)},
                     {"lt", r.filter.size_lt ? json(*r.filter.size_lt) : json(nullptr)},
                     {"ed", opt(r.exp_days)},
                     {"et", opt(r.exp_date_ms)},
                     {"em", r.exp_marker ? json(*r.exp_marker) : json(nullptr)},
                     {"nd", opt(r.nc_days)},
                     {"nn", opt(r.nc_newer)},
                     {"ad", opt(r.abort_days)},
                     {"tr", trans(r.transitions)},
                     {"ntr", trans(r.nc_transitions)}});
  }
  return json{{"rules", rules}, {"min", cfg.min_size}}.dump();
}

std::optional<LcConfig> decode_lifecycle(const std::string& s) {
  json j = json::parse(s, nullptr, false);
  if (!j.is_object() || !j.contains("rules") || !j["rules"].is_array()) return std::nullopt;
  LcConfig cfg;
  if (j.contains("min") && j["min"].is_string()) cfg.min_size = j["min"].get<std::string>();
  for (auto& r : j["rules"]) {
    LcRule out;
    out.id = r.value("id", "");
    out.enabled = r.value("on", true);
    out.filter.form = static_cast<LcFilter::Form>(r.value("form", 1));
    out.filter.prefix = r.value("p", "");
    for (auto& t : r["tags"]) out.filter.tags.emplace_back(t[0].get<std::string>(), t[1].get<std::string>());
    if (r["gt"].is_number()) out.filter.size_gt = r["gt"].get<uint64_t>();
    if (r["lt"].is_number()) out.filter.size_lt = r["lt"].get<uint64_t>();
    out.exp_days = opt_of(r, "ed");
    out.exp_date_ms = opt_of(r, "et");
    if (r["em"].is_boolean()) out.exp_marker = r["em"].get<bool>();
    out.nc_days = opt_of(r, "nd");
    out.nc_newer = opt_of(r, "nn");
    out.abort_days = opt_of(r, "ad");
    for (const char* k : {"tr", "ntr"}) {
      for (auto& t : r[k]) {
        LcTransition x{opt_of(t, "d"), opt_of(t, "t"), opt_of(t, "n"), t.value("c", "")};
        (std::string(k) == "tr" ? out.transitions : out.nc_transitions).push_back(x);
      }
    }
    cfg.rules.push_back(std::move(out));
  }
  return cfg;
}

std::optional<LcConfig> lifecycle_of(const Bucket& b) {
  auto* s = b.get(kLifecycleConfig);
  if (!s) return std::nullopt;
  return decode_lifecycle(*s);
}

int64_t ceil_midnight(int64_t ms) {
  int64_t r = ms % kDayMs;
  if (r < 0) r += kDayMs;
  return r == 0 ? ms : ms - r + kDayMs;
}

bool key_matches(const LcRule& r, const std::string& key) { return starts_with(key, r.filter.prefix); }

bool rule_matches(const LcRule& r, const std::string& key, uint64_t size, const Pairs& tags) {
  if (!key_matches(r, key)) return false;
  if (r.filter.size_gt && !(size > *r.filter.size_gt)) return false;
  if (r.filter.size_lt && !(size < *r.filter.size_lt)) return false;
  for (auto& want : r.filter.tags) {
    if (std::find(tags.begin(), tags.end(), want) == tags.end()) return false;
  }
  return true;
}

int storage_class_rank(const std::string& sc) {
  static const std::map<std::string, int> k = {{"STANDARD", 0},   {"REDUCED_REDUNDANCY", 0}, {"STANDARD_IA", 1},
                                                {"INTELLIGENT_TIERING", 2}, {"ONEZONE_IA", 3}, {"GLACIER_IR", 4},
                                                {"GLACIER", 5},    {"DEEP_ARCHIVE", 6}};
  auto it = k.find(sc);
  return it == k.end() ? -1 : it->second;
}

bool is_archived(const std::string& sc) { return sc == "GLACIER" || sc == "DEEP_ARCHIVE"; }

bool transition_size_ok(const LcConfig& cfg, const LcRule& r, const std::string& target, uint64_t size) {
  if (r.filter.size_gt || r.filter.size_lt) return true;  // custom filters take precedence
  if (size >= kMinTransitionSize) return true;
  return cfg.min_size == "varies_by_storage_class" && is_archived(target);
}

std::optional<Expiry> expiration_for(const LcConfig& cfg, const Object& o) {
  std::optional<Expiry> best;
  for (auto& r : cfg.rules) {
    if (!r.enabled || (!r.exp_days && !r.exp_date_ms)) continue;
    if (!rule_matches(r, o.key, o.size, o.meta.tags)) continue;
    int64_t at = r.exp_days ? due_ms(o.last_modified_ms, *r.exp_days) : *r.exp_date_ms;
    if (!best || at < best->at_ms) best = Expiry{at, r.id};
  }
  return best;
}

std::optional<Expiry> abort_for(const LcConfig& cfg, const std::string& key, int64_t initiated_ms) {
  std::optional<Expiry> best;
  for (auto& r : cfg.rules) {
    if (!r.enabled || !r.abort_days || !key_matches(r, key)) continue;
    int64_t at = due_ms(initiated_ms, *r.abort_days);
    if (!best || at < best->at_ms) best = Expiry{at, r.id};
  }
  return best;
}

void expiration_header(const Bucket& b, const Object& o, http::Response& res) {
  if (!b.get(kLifecycleConfig) || o.is_marker || !o.is_latest) return;
  auto cfg = lifecycle_of(b);
  if (!cfg) return;
  if (auto e = expiration_for(*cfg, o)) {
    res.set_header("x-amz-expiration",
                   "expiry-date=\"" + http_date(e->at_ms / 1000) + "\", rule-id=\"" + e->rule_id + "\"");
  }
}

void abort_headers(const Bucket& b, const std::string& key, int64_t initiated_ms, http::Response& res) {
  if (!b.get(kLifecycleConfig)) return;
  auto cfg = lifecycle_of(b);
  if (!cfg) return;
  if (auto e = abort_for(*cfg, key, initiated_ms)) {
    res.set_header("x-amz-abort-date", http_date(e->at_ms / 1000));
    res.set_header("x-amz-abort-rule-id", e->rule_id);
  }
}

void archive_read(const Object& o, int64_t now_ms, bool head, http::Response& res) {
  if (!is_archived(o.meta.storage_class)) return;
  const auto& m = o.meta;
  bool in_progress = m.restore_ready_ms > now_ms;
  bool restored = m.restore_ready_ms != 0 && m.restore_ready_ms <= now_ms && now_ms < m.restore_expiry_ms;
  if (in_progress) res.set_header("x-amz-restore", "ongoing-request=\"true\"");
  else if (restored)
    res.set_header("x-amz-restore",
                   "ongoing-request=\"false\", expiry-date=\"" + http_date(m.restore_expiry_ms / 1000) + "\"");
  if (!head) require_readable(o, now_ms);
}

void require_readable(const Object& o, int64_t now_ms) {
  if (!is_archived(o.meta.storage_class)) return;
  const auto& m = o.meta;
  bool restored = m.restore_ready_ms != 0 && m.restore_ready_ms <= now_ms && now_ms < m.restore_expiry_ms;
  if (!restored)
    throw S3Error("InvalidObjectState", "The operation is not valid for the object's storage class")
        .with("StorageClass", m.storage_class);
}

// --- handlers: Put/Get/DeleteBucketLifecycleConfiguration --------------------------------------

namespace {
constexpr const char* kMinSizeHeader = "x-amz-transition-default-minimum-object-size";
}

void get_bucket_lifecycle(Ctx& c) {
  auto cfg = lifecycle_of(*c.bkt);
  if (!cfg) throw S3Error("NoSuchLifecycleConfiguration").with("BucketName", c.bucket);
  c.res.set_header(kMinSizeHeader, cfg->min_size);
  c.res.status = 200;
  c.res.set_header("Content-Type", "application/xml");
  c.res.body = lifecycle_xml(*cfg);
}

void put_bucket_lifecycle(Ctx& c) {
  // 1,000 rules with long prefixes and tags fit in a few hundred KB.
  std::string body = read_small_body(c, 2 * 1024 * 1024);
  verify_body_integrity(c.req, body);  // Content-MD5 or an x-amz-checksum-* is required
  std::string min_size = "all_storage_classes_128K";
  if (auto* h = c.req.header(kMinSizeHeader)) {
    min_size = trim(*h);
    if (min_size != "all_storage_classes_128K" && min_size != "varies_by_storage_class")
      throw S3Error("InvalidRequest", "Invalid TransitionDefaultMinimumObjectSize found: " + min_size);
  }
  LcConfig cfg = parse_lifecycle_xml(body);
  cfg.min_size = min_size;
  // ---- checks end ----
  raise(c.store().set_bucket_config(c.bucket, kLifecycleConfig, encode_lifecycle(cfg)), c);
  c.res.set_header(kMinSizeHeader, cfg.min_size);
}

void delete_bucket_lifecycle(Ctx& c) { remove_config(c, kLifecycleConfig); }

}  // namespace localaws::s3
