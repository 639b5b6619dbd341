#include "server/faults.h"

#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>

#include "server/transport.h"

namespace localaws {

using nlohmann::json;

namespace {

thread_local FaultScope* t_scope = nullptr;

constexpr int64_t kMaxLatencyMs = 300000;
// cut_connection's modes: nothing sent, or part of the status line and headers sent.
constexpr const char* kCutBefore = "before_response";
constexpr const char* kCutMid = "mid_response";

[[noreturn]] void invalid(const std::string& message) { throw std::invalid_argument(message); }

const std::string& string_field(const json& doc, const char* name) {
  const json& v = doc.at(name);
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) invalid(std::string(name) + " is a non-empty string");
  return v.get_ref<const std::string&>();
}

bool draw(double probability) {
  if (probability >= 1.0) return true;
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen) < probability;
}

}  // namespace

struct Faults::Rule {
  std::string id;
  json doc;  // as given, for list()
  std::string service, operation, resource, key_prefix, principal;  // "" matches anything
  double probability = 1.0;
  std::optional<uint64_t> count;
  std::optional<FaultError> error;
  int64_t latency_ms = 0;
  std::string cut;  // "" (none), kCutBefore or kCutMid
  uint64_t fired = 0;

  bool matches(const FaultTarget& t) const {
    if (count && fired >= *count) return false;
    if (!service.empty() && service != t.service) return false;
    if (!operation.empty() && operation != t.operation) return false;
    if (!resource.empty() && resource != t.resource) return false;
    if (!key_prefix.empty() && t.key.substr(0, key_prefix.size()) != key_prefix) return false;
    if (!principal.empty() && principal != t.who.access_key_id && principal != t.who.account_id) return false;
    return true;
  }
};

Faults::Faults() = default;
Faults::~Faults() = default;

json Faults::add(const json& doc, const ErrorStatusOf& status_of) {
  if (!doc.is_object()) invalid("a fault rule is a JSON object");
  static const char* const kFields[] = {"service", "operation",   "bucket",  "table",      "key_prefix",
                                        "principal", "probability", "count", "error",      "status",
                                        "message",  "latency_ms",  "cut_connection"};
  for (auto& [k, v] : doc.items()) {
    bool known = false;
    for (const char* f : kFields) known = known || k == f;
    if (!known) {
      invalid("unknown field '" + k + "' (service, operation, bucket, table, key_prefix, principal, probability, "
              "count, error, status, message, latency_ms, cut_connection)");
    }
  }
  auto r = std::make_shared<Rule>();
  r->doc = doc;
  if (doc.contains("service")) {
    r->service = string_field(doc, "service");
    if (r->service != "s3" && r->service != "dynamodb") invalid("service is \"s3\" or \"dynamodb\"");
  }
  // bucket and key_prefix are S3's, table DynamoDB's: each implies its service.
  auto implies = [&](const char* field, const char* service) {
    if (!doc.contains(field)) return;
    if (!r->service.empty() && r->service != service) invalid(std::string(field) + " applies to " + service + " only");
    r->service = service;
  };
  implies("bucket", "s3");
  implies("key_prefix", "s3");
  implies("table", "dynamodb");
  if (doc.contains("operation")) r->operation = string_field(doc, "operation");
  if (doc.contains("bucket")) r->resource = string_field(doc, "bucket");
  if (doc.contains("table")) r->resource = string_field(doc, "table");
  if (doc.contains("key_prefix")) r->key_prefix = string_field(doc, "key_prefix");
  if (doc.contains("principal")) r->principal = string_field(doc, "principal");
  if (auto it = doc.find("probability"); it != doc.end()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1) invalid("probability is a number from 0 to 1");
    r->probability = it->get<double>();
  }
  if (auto it = doc.find("count"); it != doc.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1) invalid("count is a whole number of times, 1 or more");
    r->count = it->get<uint64_t>();
  }
  if (auto it = doc.find("latency_ms"); it != doc.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > kMaxLatencyMs)
      invalid("latency_ms is a whole number of milliseconds, 0 to " + std::to_string(kMaxLatencyMs));
    r->latency_ms = it->get<int64_t>();
  }
  if (auto it = doc.find("cut_connection"); it != doc.end()) {
    // true is today's (and the first) meaning: mid_response.
    if (it->is_boolean()) {
      r->cut = it->get<bool>() ? kCutMid : "";
    } else if (it->is_string() && (*it == kCutBefore || *it == kCutMid)) {
      r->cut = it->get<std::string>();
    } else {
      invalid("cut_connection is \"before_response\" (close before sending anything), \"mid_response\" or true "
              "(close after part of the headers), or false");
    }
  }
  if (doc.contains("error")) {
    FaultError e{string_field(doc, "error"), "", 0};
    if (r->service.empty()) invalid("error needs a service (s3 or dynamodb): each has its own error codes");
    if (!status_of(r->service, e.code)) invalid("unknown error code '" + e.code + "' for " + r->service);
    if (auto it = doc.find("status"); it != doc.end()) {
      if (!it->is_number_integer() || it->get<int>() < 400 || it->get<int>() > 599)
        invalid("status is an HTTP error status, 400 to 599");
      e.status = it->get<int>();
    }
    if (doc.contains("message")) e.message = string_field(doc, "message");
    r->error = std::move(e);
  } else if (doc.contains("status") || doc.contains("message")) {
    invalid("status and message override an error: give error too");
  }
  if (!r->error && r->latency_ms == 0 && r->cut.empty()) invalid("a rule needs an effect: error, latency_ms or cut_connection");

  std::lock_guard<std::mutex> lock(mu_);
  r->id = "f" + std::to_string(next_id_++);
  rules_.push_back(r);
  active_.store(true, std::memory_order_relaxed);
  json out = r->doc;
  out["id"] = r->id;
  out["fired"] = 0;
  return out;
}

json Faults::list() const {
  std::lock_guard<std::mutex> lock(mu_);
  json out = json::array();
  for (auto& r : rules_) {
    json j = r->doc;
    j["id"] = r->id;
    j["fired"] = r->fired;
    out.push_back(std::move(j));
  }
  return out;
}

bool Faults::remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if ((*it)->id != id) continue;
    rules_.erase(it);
    active_.store(!rules_.empty(), std::memory_order_relaxed);
    return true;
  }
  return false;
}

void Faults::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
  active_.store(false, std::memory_order_relaxed);
}

std::optional<FaultError> Faults::fire(const FaultTarget& t) {
  if (!t_scope || !t_scope->allow_ || t_scope->fired_) return std::nullopt;
  std::shared_ptr<Rule> hit;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& r : rules_) {
      if (r->matches(t) && draw(r->probability)) {
        r->fired++;
        hit = r;
        break;
      }
    }
  }
  if (!hit) return std::nullopt;
  t_scope->fired_ = JournalFault{hit->id, hit->error ? hit->error->code : "", hit->latency_ms, hit->cut};
  if (hit->latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(hit->latency_ms));
  if (hit->cut == kCutBefore) cut_connection_before_response();
  if (hit->cut == kCutMid) cut_connection_mid_response();
  return hit->error;
}

FaultScope::FaultScope(bool allow) : allow_(allow), outer_(t_scope) { t_scope = this; }
FaultScope::~FaultScope() { t_scope = outer_; }

}  // namespace localaws
