// The SQLite side of exports and imports (exports.h): one row per job.
#include "dynamodb/exports.h"

namespace localaws::ddb {

namespace store {
using storage::Connection;

namespace {
constexpr const char* kSelect =
    "SELECT kind, arn, account, region, table_arn, client_token, fingerprint, created_ms, seq, description"
    " FROM ddb_transfer_jobs";

TransferJob job_from(storage::Statement& st) {
  TransferJob j;
  j.kind = st.col_text(0);
  j.arn = st.col_text(1);
  j.account = st.col_text(2);
  j.region = st.col_text(3);
  j.table_arn = st.col_text(4);
  j.client_token = st.col_text(5);
  j.fingerprint = st.col_text(6);
  j.created_ms = st.col_int(7);
  j.seq = st.col_int(8);
  j.description = json::parse(st.col_text(9));
  return j;
}

std::optional<TransferJob> first(storage::Statement& st) {
  if (!st.step()) return std::nullopt;
  TransferJob j = job_from(st);
  st.reset();
  return j;
}
}  // namespace

void insert_job(Connection& c, const TransferJob& j) {
  c.prepare("INSERT INTO ddb_transfer_jobs(kind, arn, account, region, table_arn, client_token, fingerprint,"
            " created_ms, description) VALUES(?,?,?,?,?,?,?,?,?)")
      .bind_all(j.kind, j.arn, j.account, j.region, j.table_arn, j.client_token, j.fingerprint, j.created_ms,
                j.description.dump())
      .run();
}

std::optional<TransferJob> find_job(Connection& c, const std::string& kind, const std::string& arn) {
  auto& st = c.prepare(std::string(kSelect) + " WHERE arn=? AND kind=?");
  st.bind_all(arn, kind);
  return first(st);
}

std::optional<TransferJob> find_job_by_token(Connection& c, const std::string& kind, const std::string& account,
                                             const std::string& region, const std::string& token, int64_t since_ms) {
  auto& st = c.prepare(std::string(kSelect) +
                       " WHERE kind=? AND account=? AND region=? AND client_token=? AND created_ms>=?"
                       " ORDER BY seq DESC LIMIT 1");
  st.bind_all(kind, account, region, token, since_ms);
  return first(st);
}

std::vector<TransferJob> list_jobs(Connection& c, const JobFilter& f) {
  std::string sql = std::string(kSelect) + " WHERE kind=? AND account=? AND region=?";
  if (f.table_arn) sql += " AND table_arn=?";
  if (f.after_seq) sql += " AND seq<?";
  sql += " ORDER BY seq DESC LIMIT ?";
  auto& st = c.prepare(sql);
  st.bind(1, f.kind).bind(2, f.account).bind(3, f.region);
  int i = 4;
  if (f.table_arn) st.bind(i++, *f.table_arn);
  if (f.after_seq) st.bind(i++, *f.after_seq);
  st.bind(i++, f.limit);
  std::vector<TransferJob> out;
  while (st.step()) out.push_back(job_from(st));
  return out;
}

}  // namespace store
}  // namespace localaws::ddb
