#include "server/journal.h"

#include <algorithm>

#include "common/strings.h"

namespace localaws {

namespace {

constexpr std::string_view kRedacted = "REDACTED";

// Replaces s[from, the next `stop` or the end) with kRedacted. One stop character: a memchr.
void redact_from(std::string& s, size_t from, char stop) {
  size_t end = s.find(stop, from);
  if (end == std::string::npos) end = s.size();
  s.replace(from, end - from, kRedacted);
}

void redact_authorization(std::string& v) {
  if (starts_with(v, "AWS4-")) {
    auto p = v.find("Signature=");
    if (p != std::string::npos) redact_from(v, p + 10, ',');  // hex: ends at a comma or the end
  } else if (starts_with(v, "AWS ")) {  // SigV2: "AWS AKID:signature"
    auto p = v.find(':');
    if (p != std::string::npos) redact_from(v, p + 1, ' ');
  }
}

bool secret_header(std::string_view name) {
  static constexpr std::string_view kSecret[] = {"x-amz-security-token", "x-amz-server-side-encryption-customer-key",
                                                 "x-amz-copy-source-server-side-encryption-customer-key"};
  // Names are lower case; most headers differ in length from all three.
  for (auto s : kSecret)
    if (name.size() == s.size() && name == s) return true;
  return false;
}

bool secret_param(std::string_view name) {
  return iequals(name, "X-Amz-Signature") || iequals(name, "X-Amz-Security-Token") || name == "Signature";
}

// Redacts the value of each secret parameter whose name ends in `marker` ("ignature=" ...): a
// search for the marker is cheaper than splitting every query (presigned URLs carry ten or so).
void redact_query(std::string& q, std::string_view marker) {
  size_t p = 0;
  while ((p = q.find(marker, p)) != std::string::npos) {
    size_t amp = q.rfind('&', p);
    size_t name_at = amp == std::string::npos ? 0 : amp + 1;
    size_t value_at = p + marker.size();
    if (secret_param(std::string_view(q).substr(name_at, value_at - 1 - name_at))) {
      redact_from(q, value_at, '&');
      value_at += kRedacted.size();
    }
    p = value_at;
  }
}

}  // namespace

void redact_secrets(std::vector<std::pair<std::string, std::string>>& headers, std::string& query) {
  for (auto& [name, value] : headers) {
    if (name.size() == 13 && name == "authorization") redact_authorization(value);
    else if (secret_header(name)) value = kRedacted;
  }
  if (query.empty()) return;
  redact_query(query, "ignature=");
  redact_query(query, "ecurity-Token=");
  redact_query(query, "ecurity-token=");
}

std::string_view JournalEntry::host() const {
  for (auto& [k, v] : headers)
    if (k == "host") return v;
  return {};
}

std::vector<std::string_view> JournalEntry::table_names() const {
  std::vector<std::string_view> out;
  std::string_view rest = tables;
  while (!rest.empty()) {
    size_t c = rest.find(',');
    out.push_back(rest.substr(0, c));
    if (c == std::string_view::npos) break;
    rest.remove_prefix(c + 1);
  }
  return out;
}

size_t JournalEntry::bytes() const {
  size_t n = sizeof(JournalEntry) + request_id.size() + principal.size() + access_key.size() + operation.size() +
             resource.size() + query.size() + error_code.size() + bucket.size() + key.size() + tables.size() +
             body.size() + canonical_request.size() + string_to_sign.size();
  for (auto& [k, v] : headers) n += sizeof(headers[0]) + k.size() + v.size();
  for (auto& h : auth_hints) n += sizeof(h) + h.size();
  return n;
}

bool JournalFilter::matches(const JournalEntry& e) const {
  if (e.seq <= after) return false;
  if (!service.empty() && e.service != service) return false;
  if (e.status < status_min || e.status > status_max) return false;
  if (faults_only && !e.fault) return false;
  if (auth_failures_only && e.auth_error.empty()) return false;
  if (!operations.empty() &&
      std::none_of(operations.begin(), operations.end(), [&](const std::string& o) { return iequals(o, e.operation); }))
    return false;
  if (!bucket.empty() && e.bucket != bucket) return false;
  if (!table.empty()) {
    auto names = e.table_names();
    if (std::none_of(names.begin(), names.end(), [&](std::string_view n) { return iequals(n, table); })) return false;
  }
  return true;
}

void Journal::add(JournalEntry&& e) {
  size_t n = e.bytes();
  size_t body = e.body.size();
  std::lock_guard<std::mutex> lock(mu_);
  e.seq = next_seq_++;
  if (count_ == capacity_) drop_oldest();
  if (count_ < ring_.size()) {
    Slot& s = at(count_);
    s.entry = std::move(e);
    s.bytes = n;
  } else {
    // Growing: make the ring start at slot 0 again (byte-bound drops may have moved it).
    std::rotate(ring_.begin(), ring_.begin() + static_cast<std::ptrdiff_t>(start_), ring_.end());
    start_ = 0;
    ring_.push_back(Slot{std::move(e), n});
  }
  ++count_;
  bytes_ += n;
  body_bytes_ += body;
  trim();
}

void Journal::drop_oldest() {
  Slot& s = at(0);
  bytes_ -= s.bytes;
  body_bytes_ -= s.entry.body.size();
  s.bytes = 0;
  start_ = (start_ + 1) % ring_.size();
  --count_;
  if (bodies_from_ > 0) --bodies_from_;
  // The slot's strings are freed when the next entry is moved in (or now, for a byte drop).
}

void Journal::trim() {
  // Bodies first, oldest first: the newest entries keep what they were sent.
  while (body_bytes_ > max_body_bytes_ && bodies_from_ + 1 < count_) {
    Slot& s = at(bodies_from_++);
    if (s.entry.body.empty()) continue;
    size_t b = s.entry.body.size();
    std::string().swap(s.entry.body);  // give the memory back, not just the length
    s.entry.body_dropped = true;
    body_bytes_ -= b;
    bytes_ -= b;
    s.bytes -= b;
  }
  while (count_ > 1 && bytes_ > max_bytes_) {
    Slot& s = at(0);
    drop_oldest();
    s.entry = JournalEntry{};  // over the byte bound: free it now
  }
}

std::vector<JournalEntry> Journal::recent(size_t limit) const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = std::min(limit, count_);
  std::vector<JournalEntry> out;
  out.reserve(n);
  for (size_t i = count_ - n; i < count_; ++i) out.push_back(at(i).entry);
  return out;
}

JournalPage Journal::find(const JournalFilter& f, size_t limit) const {
  JournalPage page;
  std::lock_guard<std::mutex> lock(mu_);
  if (count_ > 0) page.latest_seq = at(count_ - 1).entry.seq;
  if (f.after > 0) {
    // Seqs ascend: the first entry past the cursor (a binary search), then forward.
    size_t lo = 0, hi = count_;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (at(mid).entry.seq <= f.after) lo = mid + 1;
      else hi = mid;
    }
    for (size_t i = lo; i < count_; ++i) {
      const JournalEntry& e = at(i).entry;
      if (!f.matches(e)) continue;
      if (page.entries.size() == limit) {
        page.more = true;
        break;
      }
      page.entries.push_back(e);
    }
    return page;
  }
  for (size_t i = count_; i > 0 && page.entries.size() < limit; --i)
    if (f.matches(at(i - 1).entry)) page.entries.push_back(at(i - 1).entry);
  std::reverse(page.entries.begin(), page.entries.end());
  return page;
}

void Journal::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  ring_.clear();
  start_ = count_ = 0;
  bytes_ = body_bytes_ = bodies_from_ = 0;
}

size_t Journal::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

}  // namespace localaws
