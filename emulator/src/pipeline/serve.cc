#include "pipeline/serve.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <exception>

#include "common/crypto.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/time.h"
#include "control/console.h"
#include "control/control.h"
#include "server/runtime.h"

namespace localaws {

namespace {

// Bodies a handler left unread are read and dropped up to this size, so the connection can carry
// the next request; larger ones close it instead.
constexpr uint64_t kDrainLimit = 8u << 20;

bool is_control_path(const std::string& raw_path) {
  return starts_with(raw_path, "/_localaws/") || raw_path == "/_localaws" || starts_with(raw_path, "/_localstack/");
}

Service* service_for(Runtime& rt, const http::Request& req) {
  const std::string* target = req.header("x-amz-target");
  bool ddb = target && (starts_with(*target, "DynamoDB_20120810.") || starts_with(*target, "DynamoDBStreams_20120810."));
  return ddb ? rt.dynamodb.get() : rt.s3.get();
}

// What the journal and the access log keep of one exchange.
struct Outcome {
  Service* svc = nullptr;
  auth::Principal principal;
  std::optional<auth::AuthError> auth_error;
  std::optional<JournalFault> fault;  // a fault rule fired (server/faults.h)
};

void log_auth_failure(const http::Request& req, const auth::AuthError& e) {
  if (log::level() > log::Level::kDebug) return;
  std::string m = "request " + req.request_id + " " + req.method + " " + req.raw_path + " refused: " + e.code + ": " +
                  e.message;
  if (!e.canonical_request.empty()) m += "\n  canonical request localaws computed:\n" + e.canonical_request;
  if (!e.string_to_sign.empty()) m += "\n  string to sign localaws computed:\n" + e.string_to_sign;
  if (!e.signature_provided.empty()) m += "\n  signature provided: " + e.signature_provided;
  for (auto& h : e.hints) m += "\n  hint: " + h;
  log::debug(m);
}

// The longest prefix of s, at most n bytes, that does not end inside a UTF-8 sequence.
size_t utf8_cut(std::string_view s, size_t n) {
  if (n >= s.size()) return s.size();
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

// The request body the journal keeps: what the service noted (moved), or for a request refused
// before its service read it, the body authentication held (DynamoDB's signature covers it).
void journal_body(http::Request& req, http::Response& res, const Outcome& o, JournalEntry& e) {
  std::string& noted = res.journal.body;
  const std::string* text = &noted;
  if (noted.empty() && o.auth_error) {
    if (auto* held = dynamic_cast<const http::StringBody*>(req.body.get())) text = &held->data();
  }
  if (text->size() <= http::kJournalBodyLimit) {
    if (text == &noted) e.body = std::move(noted);
    else e.body = *text;
    return;
  }
  e.body.assign(*text, 0, utf8_cut(*text, http::kJournalBodyLimit));
  e.body_truncated = true;
}

// Runs last: the request is done with, so its path, query and headers (and the notes the
// service left in res.journal) move into the journal entry rather than being copied.
void record(Runtime& rt, http::Request& req, http::Response& res, const Outcome& o,
            std::chrono::steady_clock::time_point t0) {
  double latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::string op = res.operation.empty() ? "-" : res.operation;
  if (o.auth_error) log_auth_failure(req, *o.auth_error);
  if (rt.config.access_log && log::level() <= log::Level::kInfo) {
    uint64_t sent = res.file ? res.file->length : res.body.size();
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.2f", latency_ms);
    log::info(req.method + " " + req.raw_path + " " + (o.svc ? o.svc->name() : "control") + "." + op + " " +
              std::to_string(res.status) + " " + std::to_string(sent) + "B " + ms + "ms " + req.request_id);
  }
  if (!o.svc) return;
  JournalEntry e;
  e.time_ms = now_ms();
  e.request_id = std::move(req.request_id);
  e.principal = o.principal.anonymous ? "anonymous" : o.principal.account_id;
  e.access_key = o.principal.access_key_id;
  e.service = o.svc->name();
  e.operation = std::move(op);
  e.method = req.method;
  e.resource = std::move(req.raw_path);
  e.query = std::move(req.raw_query);
  e.headers = std::move(req.headers);
  redact_secrets(e.headers, e.query);
  e.status = res.status;
  e.latency_ms = latency_ms;
  e.error_code = std::move(res.journal.error_code);
  e.bucket = std::move(res.journal.bucket);
  e.key = std::move(res.journal.key);
  e.tables = std::move(res.journal.tables);
  journal_body(req, res, o, e);
  if (o.auth_error) {
    e.auth_error = o.auth_error->code;
    e.canonical_request = o.auth_error->canonical_request;
    e.string_to_sign = o.auth_error->string_to_sign;
    e.auth_hints = o.auth_error->hints;
  }
  e.fault = o.fault;
  rt.journal.add(std::move(e));
}

// An unread body would be parsed as the next request: drop small ones, close after large ones.
void drain(http::Request& req, http::Response& res) {
  if (req.body->consumed()) return;
  auto len = req.body->length();
  if (len && *len <= kDrainLimit) {
    if (req.body->read([](const char*, size_t) { return true; })) res.close_connection = true;
  } else if (len.value_or(0) > 0 || req.has_header("transfer-encoding")) {
    res.close_connection = true;
  }
}

void internal_error(Outcome& o, const http::Request& req, http::Response& res) {
  res = http::Response{};
  if (o.svc) {
    o.svc->render_internal_error(req, res);
  } else {
    res.status = 500;
    res.body = R"({"error":"InternalError"})";
    res.set_header("Content-Type", "application/json");
  }
}

// The current time in whole seconds, rounded up: a presigned URL with X-Amz-Expires=1 is refused
// as soon as more than one second has passed, not up to two.
int64_t auth_clock_s() { return (now_ms() + 999) / 1000; }

// Verifies the signature for o.svc: true with o.principal set, or false with the refusal rendered
// in res and kept in o for the journal.
bool authenticate(Runtime& rt, http::Request& req, Outcome& o, http::Response& res) {
  auto ar = rt.authenticator->authenticate(req, o.svc->kind(), auth_clock_s());
  o.principal = ar.principal;
  if (!ar.error) return true;
  res.operation = "Auth";
  o.svc->render_auth_error(*ar.error, req, res);
  o.auth_error = std::move(ar.error);
  return false;
}

// Every response carries a Date (RFC 9110 6.6.1, IMF-fixdate), as AWS's do. Wall-clock time, not
// the emulator clock: SDKs correct their signing clock from it (the JS SDK v3 when it is more than
// five minutes off theirs) and signatures are checked against real time, so a moved emulator clock
// must not show here. Formatted at most once a second per thread.
void stamp_date(http::Response& res) {
  thread_local int64_t second = -1;
  thread_local std::string value;
  int64_t now = now_ms() / 1000;
  if (now != second) {
    second = now;
    value = http_date(now);
  }
  res.set_header("Date", value);
}

}  // namespace

std::string new_request_id() {
  std::string id = unique_hex(8);
  for (auto& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return id;
}

http::Response serve(Runtime& rt, http::Request& req, const ServeOptions& opt) {
  auto t0 = std::chrono::steady_clock::now();
  if (req.request_id.empty()) req.request_id = new_request_id();
  http::Response res;
  Outcome o;
  FaultScope faults(opt.principal == nullptr);  // the emulator's own calls (fixtures) get none
  try {
    if (control::browser_wants_console(req, rt.config.s3_domain)) {
      o.svc = rt.s3.get();  // journaled where the anonymous ListBuckets it replaces would be
      control::redirect_to_console(req, res);
    } else if (is_control_path(req.raw_path)) {
      control::handle(rt, req, res);
    } else {
      o.svc = service_for(rt, req);
      if (opt.principal) {
        o.principal = *opt.principal;
        o.svc->handle(req, o.principal, res);
      } else {
        if (authenticate(rt, req, o, res)) o.svc->handle(req, o.principal, res);
      }
    }
  } catch (const std::exception& e) {
    log::error("request " + req.request_id + " " + req.method + " " + req.raw_path + " failed: " + e.what());
    internal_error(o, req, res);
  } catch (...) {
    log::error("request " + req.request_id + " failed with a non-standard exception");
    internal_error(o, req, res);
  }
  if (o.svc) {
    try {
      o.svc->finish(req, res);
    } catch (...) {
    }
  }
  try {
    drain(req, res);
  } catch (...) {
    res.close_connection = true;
  }
  stamp_date(res);
  o.fault = faults.fired();
  if (opt.record) record(rt, req, res, o, t0);
  return res;
}

std::optional<http::Response> serve_expect(Runtime& rt, http::Request& req) {
  if (is_control_path(req.raw_path)) return std::nullopt;
  Outcome o;
  o.svc = service_for(rt, req);
  // DynamoDB's signature covers the body's hash: nothing can be decided before the body.
  if (o.svc->kind() != auth::ServiceKind::kS3) return std::nullopt;
  auto t0 = std::chrono::steady_clock::now();
  if (req.request_id.empty()) req.request_id = new_request_id();
  http::Response res;
  try {
    if (authenticate(rt, req, o, res) && o.svc->accepts_body(req, o.principal, res)) return std::nullopt;
    o.svc->finish(req, res);
  } catch (...) {
    return std::nullopt;  // let the request itself find and report the problem
  }
  res.close_connection = true;  // the client may or may not send the body now
  stamp_date(res);
  record(rt, req, res, o, t0);
  return res;
}

}  // namespace localaws
