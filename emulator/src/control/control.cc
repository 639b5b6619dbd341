#include "control/control.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include "common/build_info.h"
#include "common/strings.h"
#include "common/time.h"
#include "control/console.h"
#include "control/faults_api.h"
#include "control/fixtures.h"
#include "server/runtime.h"

namespace localaws::control {

using nlohmann::json;
using control::Snapshots;

namespace {

void reply(http::Response& res, int status, const json& body) {
  res.status = status;
  // Paths and names from the request may be any bytes: invalid UTF-8 is replaced, never thrown.
  res.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  res.set_header("Content-Type", "application/json");
}

void error(http::Response& res, int status, const std::string& code, const std::string& message) {
  reply(res, status, {{"error", code}, {"message", message}});
}

double uptime_s(Runtime& rt) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - rt.started).count();
}

void health(Runtime& rt, http::Response& res) {
  json services = json::object();
  for (auto* s : rt.services()) services[s->name()] = s->health();
  reply(res, 200,
        {{"status", "ok"},
         {"version", LOCALAWS_VERSION},
         {"services", services},
         {"uptime_seconds", uptime_s(rt)},
         {"region", rt.config.region},
         {"persistence", rt.config.in_memory ? "memory" : "disk"},
         {"sanitized", kSanitizedBuild}});
}

// LocalStack's shape, so existing wait-for-localstack scripts work unchanged.
void localstack_health(Runtime& rt, http::Response& res) {
  json services = json::object();
  for (auto* s : rt.services()) services[s->name()] = "running";
  reply(res, 200, {{"services", services}, {"edition", "community"}, {"version", LOCALAWS_VERSION}});
}

void reset(Runtime& rt, http::Request& req, http::Response& res) {
  const std::string* which = req.query_param("service");
  if (which) {
    Service* s = rt.service(*which);
    if (!s) return error(res, 400, "InvalidService", "unknown service '" + *which + "' (s3, dynamodb)");
    s->reset();
    return reply(res, 200, {{"reset", json::array({*which})}});
  }
  json done = json::array();
  for (auto* s : rt.services()) {
    s->reset();
    done.push_back(s->name());
  }
  rt.sweep_orphan_blobs();
  rt.clock.reset();  // a whole reset is a fresh start: real time again
  rt.faults.clear();
  reply(res, 200, {{"reset", done}});
}

void snapshot(Runtime& rt, http::Request& req, http::Response& res, bool restore) {
  const std::string* name = req.query_param("name");
  if (!name || !Snapshots::valid_name(*name))
    return error(res, 400, "InvalidName", "give ?name= with 1-64 characters of [A-Za-z0-9._-]");
  if (!restore) {
    rt.snapshots->save(*name);
    return reply(res, 200, {{"snapshot", *name}});
  }
  if (!rt.snapshots->restore(*name)) return error(res, 404, "NoSuchSnapshot", "no snapshot named " + *name);
  for (auto* s : rt.services()) s->reload();
  reply(res, 200, {{"restored", *name}});
}

json clock_state(const Runtime& rt) {
  int64_t now = rt.clock.now_ms();
  return {{"now", iso8601_ms(now)},
          {"epochMillis", now},
          {"offsetMillis", rt.clock.offset_ms()},
          {"frozen", rt.clock.frozen()},
          {"real", rt.clock.is_real()}};
}

// GET reads the emulator clock; DELETE returns it to real time; POST moves it:
//   {"advance": "30d"}                      forward by a duration (d h m s ms w, "-" goes back)
//   {"set": "2030-01-01T00:00:00Z"}         to an instant (ISO 8601, or epoch milliseconds)
//   {"freeze": true}                        stop it (false lets it run on); combines with the others
void clock(Runtime& rt, http::Request& req, http::Response& res) {
  if (req.method == "GET" || req.method == "HEAD") return reply(res, 200, clock_state(rt));
  if (req.method == "DELETE") {
    rt.clock.reset();
    return reply(res, 200, clock_state(rt));
  }
  if (req.method != "POST") return error(res, 405, "MethodNotAllowed", "use GET, POST or DELETE");
  std::string body;
  if (auto err = http::read_all(*req.body, 64 << 10, body)) return error(res, 400, err->code, err->message);
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) return error(res, 400, "InvalidClock", "the body is a JSON object: advance, set or freeze");
  for (auto& [k, v] : doc.items()) {
    if (k != "advance" && k != "set" && k != "freeze")
      return error(res, 400, "InvalidClock", "unknown field '" + k + "' (advance, set, freeze)");
  }
  if (doc.contains("advance") && doc.contains("set"))
    return error(res, 400, "InvalidClock", "give advance or set, not both");
  std::optional<int64_t> advance, set;
  if (auto it = doc.find("advance"); it != doc.end()) {
    if (it->is_number_integer()) advance = it->get<int64_t>() * 1000;
    else if (it->is_string()) advance = parse_duration_ms(it->get<std::string>());
    if (!advance) return error(res, 400, "InvalidClock", "advance is a duration such as \"30d\", \"1h30m\" or seconds");
  }
  if (auto it = doc.find("set"); it != doc.end()) {
    if (it->is_number_integer()) set = it->get<int64_t>();
    else if (it->is_string()) {
      if (auto s = parse_iso8601(it->get<std::string>())) set = *s * 1000;
    }
    if (!set) return error(res, 400, "InvalidClock", "set is an ISO 8601 instant (2030-01-01T00:00:00Z) or epoch milliseconds");
  }
  std::optional<bool> freeze;
  if (auto it = doc.find("freeze"); it != doc.end()) {
    if (!it->is_boolean()) return error(res, 400, "InvalidClock", "freeze is true or false");
    freeze = it->get<bool>();
  }
  if (advance) rt.clock.advance(*advance);
  if (set) rt.clock.set(*set);
  if (freeze) rt.clock.freeze(*freeze);
  reply(res, 200, clock_state(rt));
}

// POST /_localaws/lifecycle/run, /_localaws/ttl/run: one sweep now, on the emulator clock.
void run_timers(Runtime& rt, http::Request& req, http::Response& res, const char* service) {
  if (req.method != "POST") return error(res, 405, "MethodNotAllowed", "use POST");
  Service* s = rt.service(service);
  json out = s->run_timers();
  out["now"] = iso8601_ms(rt.clock.now_ms());
  reply(res, 200, out);
}

json journal_entry(const JournalEntry& e) {
  json entry = {{"seq", e.seq}, {"time", iso8601_ms(e.time_ms)}, {"requestId", e.request_id},
                {"principal", e.principal}, {"accessKeyId", e.access_key}, {"service", e.service},
                {"operation", e.operation}, {"method", e.method}, {"resource", e.resource},
                {"query", e.query}, {"host", std::string(e.host())}, {"status", e.status}, {"latencyMs", e.latency_ms}};
  json headers = json::array();
  for (auto& [k, v] : e.headers) headers.push_back({k, v});
  entry["headers"] = std::move(headers);
  if (!e.error_code.empty()) entry["errorCode"] = e.error_code;
  if (!e.bucket.empty()) entry["bucket"] = e.bucket;
  if (!e.key.empty()) entry["key"] = e.key;
  if (!e.tables.empty()) {
    auto names = e.table_names();
    entry["table"] = std::string(names.front());
    if (names.size() > 1) {
      json all = json::array();
      for (auto n : names) all.push_back(std::string(n));
      entry["tables"] = std::move(all);
    }
  }
  if (!e.body.empty() || e.body_dropped) {
    entry["body"] = e.body;
    entry["bodyTruncated"] = e.body_truncated;
    if (e.body_dropped) entry["bodyDropped"] = true;
  }
  if (!e.auth_error.empty()) {
    json why = {{"error", e.auth_error}};
    if (!e.canonical_request.empty()) why["canonicalRequest"] = e.canonical_request;
    if (!e.string_to_sign.empty()) why["stringToSign"] = e.string_to_sign;
    if (!e.auth_hints.empty()) why["hints"] = e.auth_hints;
    entry["authFailure"] = std::move(why);
  }
  if (e.fault) {
    json f = {{"id", e.fault->id}};
    if (!e.fault->error.empty()) f["error"] = e.fault->error;
    if (e.fault->latency_ms) f["latencyMs"] = e.fault->latency_ms;
    if (!e.fault->cut_connection.empty()) f["cutConnection"] = e.fault->cut_connection;
    entry["fault"] = std::move(f);
  }
  return entry;
}

// status=ok|error|fault|auth|404|4xx, or errors=true: an error message, or "" when understood.
std::string parse_status(std::string_view v, JournalFilter& f) {
  if (v == "ok") f.status_max = 399;
  else if (v == "error" || v == "errors") f.status_min = 400;
  else if (v == "fault") f.faults_only = true;
  else if (v == "auth") f.auth_failures_only = true;
  else if (v.size() == 3 && v[0] >= '1' && v[0] <= '5' && (v.substr(1) == "xx" || v.substr(1) == "XX")) {
    f.status_min = (v[0] - '0') * 100;
    f.status_max = f.status_min + 99;
  } else if (auto n = parse_u64(v); n && v.size() == 3 && *n >= 100 && *n <= 599) {
    f.status_min = f.status_max = static_cast<int>(*n);
  } else {
    return "status is ok, error, fault, auth, a status code (404) or a class (4xx)";
  }
  return "";
}

// GET /_localaws/requests: the journal, newest `limit` (or, with after=SEQ, the first `limit`
// newer than SEQ), filtered by service, operation, status, table and bucket.
void requests(Runtime& rt, http::Request& req, http::Response& res) {
  size_t limit = 100;
  if (auto* l = req.query_param("limit")) {
    auto v = parse_u64(*l);
    if (!v || *v == 0 || *v > 1000) return error(res, 400, "InvalidLimit", "limit must be 1-1000");
    limit = *v;
  }
  JournalFilter f;
  if (auto* a = req.query_param("after")) {
    auto v = parse_u64(*a);
    if (!v) return error(res, 400, "InvalidCursor", "after is the seq of an entry (0 or more)");
    f.after = *v;
  }
  if (auto* s = req.query_param("service"); s && !s->empty()) {
    if (!rt.service(*s)) return error(res, 400, "InvalidService", "unknown service '" + *s + "' (s3, dynamodb)");
    f.service = *s;
  }
  if (auto* o = req.query_param("operation"); o && !o->empty()) {
    for (auto& name : split(*o, ','))
      if (!name.empty()) f.operations.push_back(trim(name));
  }
  if (auto* st = req.query_param("status"); st && !st->empty()) {
    if (auto why = parse_status(*st, f); !why.empty()) return error(res, 400, "InvalidStatus", why);
  }
  if (auto* e = req.query_param("errors"); e && (*e == "true" || *e == "1")) f.status_min = std::max(f.status_min, 400);
  if (auto* t = req.query_param("table")) f.table = *t;
  if (auto* b = req.query_param("bucket")) f.bucket = *b;
  JournalPage page = rt.journal.find(f, limit);
  json out = json::array();
  for (auto& e : page.entries) out.push_back(journal_entry(e));
  reply(res, 200, {{"requests", std::move(out)}, {"latestSeq", page.latest_seq}, {"more", page.more}});
}

void fixtures(Runtime& rt, http::Request& req, http::Response& res) {
  std::string body;
  if (auto err = http::read_all(*req.body, 64 << 20, body)) return error(res, 400, err->code, err->message);
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded()) return error(res, 400, "InvalidFixture", "the body is not valid JSON");
  try {
    auto stats = load_fixture(rt, doc, "request body", nullptr);
    reply(res, 200, {{"loaded", stats.to_json()}});
  } catch (const FixtureError& e) {
    error(res, 400, "InvalidFixture", e.what());
  }
}

// True when the request carries the configured control token (compared in constant time).
bool has_control_token(const Runtime& rt, const http::Request& req) {
  const std::string& token = rt.config.control_token;
  auto same = [&](std::string_view given) {
    return given.size() == token.size() && CRYPTO_memcmp(given.data(), token.data(), token.size()) == 0;
  };
  if (auto* t = req.header("x-localaws-token"); t && same(*t)) return true;
  if (auto* a = req.header("authorization")) {
    std::string_view v = *a;
    if (v.size() > 7 && iequals(v.substr(0, 7), "bearer ") && same(v.substr(7))) return true;
  }
  return false;
}

}  // namespace

void handle(Runtime& rt, http::Request& req, http::Response& res) {
  const std::string& p = req.raw_path;
  bool get = req.method == "GET" || req.method == "HEAD";
  res.operation = p;
  if (p == "/_localaws/health" && get) return health(rt, res);
  if (p == "/_localstack/health" && get) return localstack_health(rt, res);
  // The console is static files a browser navigates to (it cannot send a bearer token); it holds no
  // secret and calls only the signed AWS APIs, so it stays outside the control token.
  if (is_console_path(p)) return serve_console(req, res);
  if (!rt.config.control_token.empty() && !has_control_token(rt, req)) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"localaws\"");
    return error(res, 401, "Unauthorized",
                 "the control API needs the server's --control-token (Authorization: Bearer TOKEN or "
                 "X-Localaws-Token: TOKEN)");
  }
  if (p == "/_localaws/reset") {
    if (req.method != "POST") return error(res, 405, "MethodNotAllowed", "use POST");
    return reset(rt, req, res);
  }
  if (p == "/_localaws/snapshot" || p == "/_localaws/restore") {
    if (req.method != "POST") return error(res, 405, "MethodNotAllowed", "use POST");
    return snapshot(rt, req, res, p == "/_localaws/restore");
  }
  if (p == "/_localaws/fixtures") {
    if (req.method != "POST") return error(res, 405, "MethodNotAllowed", "use POST with a fixture document");
    return fixtures(rt, req, res);
  }
  if (p == "/_localaws/clock") return clock(rt, req, res);
  if (is_faults_path(p)) {
    auto [status, body] = faults_api(rt, req);
    return reply(res, status, body);
  }
  if (p == "/_localaws/lifecycle/run") return run_timers(rt, req, res, "s3");
  if (p == "/_localaws/ttl/run") return run_timers(rt, req, res, "dynamodb");
  if (p == "/_localaws/snapshots" && get) return reply(res, 200, {{"snapshots", rt.snapshots->names()}});
  if (p == "/_localaws/requests") {
    if (req.method == "DELETE") {
      rt.journal.clear();
      return reply(res, 200, {{"cleared", true}});
    }
    if (get) return requests(rt, req, res);
  }
  error(res, 404, "NotFound", "no control endpoint " + p);
}

}  // namespace localaws::control
