// Request members and helpers shared by the export and import operations (exports.h).
#include <cctype>
#include <cmath>
#include <cstdio>

#include "common/crypto.h"
#include "dynamodb/exports.h"
#include "dynamodb/params.h"
#include "server/runtime.h"

namespace localaws::ddb {

namespace transfer {

std::string new_job_id(int64_t now_ms) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%014lld", static_cast<long long>(now_ms));
  return std::string(stamp) + "-" + random_hex(4);
}

double seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

std::string fingerprint(const json& in) {
  json copy = in;
  copy.erase("ClientToken");
  return copy.dump();  // nlohmann's objects are ordered by key: equal requests dump alike
}

std::optional<std::string> client_token(const json& in) {
  const std::string* t = opt_string(in, "ClientToken");
  if (!t) return std::nullopt;
  if (t->empty() || t->find('$') != std::string::npos)
    throw DdbError::constraint(*t, "clientToken", "Member must satisfy regular expression pattern: ^[^\\$]+$");
  return *t;
}

// NextToken: the seq of the last job listed as 16 hex digits, padded with random ones to the
// 112 characters of ([0-9a-f]{16})+ that ListImports' NextToken must have.
std::string make_page_token(int64_t seq) {
  char head[32];
  std::snprintf(head, sizeof head, "%016llx", static_cast<unsigned long long>(seq));
  return head + random_hex(48);
}

std::optional<int64_t> page_token(const json& in) {
  const std::string* t = opt_string(in, "NextToken");
  if (!t) return std::nullopt;
  bool ok = t->size() >= 16 && t->size() % 16 == 0;
  for (char ch : *t) ok = ok && std::isxdigit(static_cast<unsigned char>(ch)) && !std::isupper(static_cast<unsigned char>(ch));
  if (ok) {
    int64_t seq = static_cast<int64_t>(std::stoull(t->substr(0, 16), nullptr, 16));
    if (seq > 0) return seq;
  }
  throw DdbError::validation("Invalid NextToken");
}

std::string required_string(const json& in, const char* key, const char* field, size_t min, size_t max) {
  const std::string* s = opt_string(in, key);
  if (!s)
    throw DdbError::validation(std::string("1 validation error detected: Value null at '") + field +
                               "' failed to satisfy constraint: Member must not be null");
  check_length(*s, field, min, max);
  return *s;
}

void check_length(const std::string& s, const char* field, size_t min, size_t max) {
  if (s.size() < min)
    throw DdbError::constraint(s, field, "Member must have length greater than or equal to " + std::to_string(min));
  if (s.size() > max)
    throw DdbError::constraint(s, field, "Member must have length less than or equal to " + std::to_string(max));
}

std::optional<int64_t> time_param(const json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) throw DdbError::serialization("Unexpected value type in payload");
  return static_cast<int64_t>(std::llround(it->get<double>() * 1000.0));
}

int64_t page_size(const json& in, const char* key, const char* field) {
  int64_t n = opt_int(in, key).value_or(25);
  if (n < 1) throw DdbError::constraint(std::to_string(n), field, "Member must have value greater than or equal to 1");
  if (n > 25) throw DdbError::constraint(std::to_string(n), field, "Member must have value less than or equal to 25");
  return n;
}

std::optional<json> replay(const Ctx& ctx, const char* kind, const std::optional<std::string>& token,
                           const std::string& fingerprint, const DdbError& conflict) {
  if (!token) return std::nullopt;
  int64_t since = ctx.rt.clock.now_ms() - kTokenMs;
  auto job = ctx.db.read([&](storage::Connection& c) {
    return store::find_job_by_token(c, kind, ctx.account, ctx.region, *token, since);
  });
  if (!job) return std::nullopt;
  if (job->fingerprint != fingerprint) throw conflict;
  return job->description;
}

json record_job(const Ctx& ctx, const char* kind, const std::string& arn, const std::string& table_arn,
                const std::optional<std::string>& token, const std::string& fingerprint, int64_t created_ms,
                json description) {
  TransferJob job{kind, arn, ctx.account, ctx.region, table_arn, token.value_or(""), fingerprint, created_ms, 0,
                  std::move(description)};
  ctx.db.write([&](storage::Connection& c) { store::insert_job(c, job); });
  return std::move(job.description);
}

json job_description(const Ctx& ctx, const char* kind, const char* arn_key, const char* field,
                     const char* not_found_type, const char* not_found_message) {
  std::string arn = required_string(ctx.in, arn_key, field, 37, 1024);
  auto job = ctx.db.read([&](storage::Connection& c) { return store::find_job(c, kind, arn); });
  if (!job || job->account != ctx.account || job->region != ctx.region)
    throw DdbError(not_found_type, not_found_message + arn);
  return std::move(job->description);
}

json list_page(const Ctx& ctx, const char* kind, const char* size_key, const char* size_field, const char* list_key,
               json (*summary)(const json& description)) {
  store::JobFilter f;
  f.kind = kind;
  f.account = ctx.account;
  f.region = ctx.region;
  if (const std::string* arn = opt_string(ctx.in, "TableArn")) {
    check_length(*arn, "tableArn", 1, 1024);
    f.table_arn = *arn;
  }
  int64_t size = page_size(ctx.in, size_key, size_field);
  f.after_seq = page_token(ctx.in);
  f.limit = size + 1;
  auto jobs = ctx.db.read([&](storage::Connection& c) { return store::list_jobs(c, f); });
  json out = {{list_key, json::array()}};
  for (size_t i = 0; i < jobs.size() && i < static_cast<size_t>(size); ++i)
    out[list_key].push_back(summary(jobs[i].description));
  if (jobs.size() > static_cast<size_t>(size)) out["NextToken"] = make_page_token(jobs[size - 1].seq);
  return out;
}

}  // namespace transfer
}  // namespace localaws::ddb
