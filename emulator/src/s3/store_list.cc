// ListObjects (current versions) and ListObjectVersions (every version and delete marker). Both
// seek instead of scanning: each entry costs one index step, a common prefix one seek past all of
// its keys, and a page starts with one seek to its marker, so a page deep in a large bucket (or
// deep in one key's history) costs what the first page costs. No OFFSET anywhere.
#include "s3/store.h"
#include "s3/store_internal.h"

namespace localaws::s3 {

using namespace detail;

ListPage Store::list_objects(const std::string& bucket, const ListQuery& q) {
  return db_.read([&](Connection& c) {
    ListPage page;
    if (q.max == 0) return page;
    page.entries.reserve(std::min<size_t>(q.max, 1000));
    std::string lower = std::max(q.lower, q.prefix);
    std::optional<std::string> upper = q.prefix.empty() ? std::nullopt : next_prefix(q.prefix);
    // A listing reads only the columns it shows (read_listed_row); other callers whole objects.
    const char* cols = q.listed_meta_only ? kListedCols : kObjectCols;
    const int key_col = q.listed_meta_only ? 0 : 1;
    std::string sql = std::string("SELECT ") + cols + " FROM s3_objects WHERE bucket = ? AND key >= ?" +
                      (upper ? " AND key < ?" : "") + " ORDER BY key LIMIT ?";
    while (true) {
      auto& st = c.prepare(sql);
      st.bind(1, bucket).bind_blob(2, lower);
      int idx = 3;
      if (upper) st.bind_blob(idx++, *upper);
      st.bind(idx, static_cast<int64_t>(q.max - page.entries.size() + 1));
      bool reseek = false, any = false;
      while (st.step()) {
        any = true;
        std::string key = st.col_blob(key_col);
        size_t pos = q.delimiter.empty() ? std::string::npos : key.find(q.delimiter, q.prefix.size());
        if (pos != std::string::npos) {
          std::string cp = key.substr(0, pos + q.delimiter.size());
          if (page.entries.size() == q.max) {
            page.truncated = true;
            page.next_lower = cp;
            break;
          }
          page.entries.push_back({true, cp, {}});
          auto next = next_prefix(cp);
          if (!next) break;  // nothing sorts after this prefix
          lower = *next;
          reseek = true;
          break;
        }
        if (page.entries.size() == q.max) {
          page.truncated = true;
          page.next_lower = key;
          break;
        }
        Object o = q.listed_meta_only ? read_listed_row(st) : read_object(st);
        o.is_latest = true;
        lower.assign(key).push_back('\0');
        page.entries.push_back({false, std::move(key), std::move(o)});
      }
      st.reset();
      if (!reseek || !any || page.truncated) break;
    }
    return page;
  });
}

namespace {

// One ListObjectVersions page. Entries come from two index-ordered scans merged by (key, newest
// first): s3_objects (a key's current version, always its newest row) and s3_versions (the rest,
// by rank = -seq).
class VersionLister {
 public:
  VersionLister(Connection& c, const std::string& bucket, const VersionQuery& q, VersionPage& page)
      : c_(c), bucket_(bucket), q_(q), page_(page) {
    if (!q.prefix.empty()) upper_ = next_prefix(q.prefix);
  }

  void run() {
    if (q_.max == 0) return;
    std::optional<std::string> lower = q_.prefix;
    if (!q_.key_marker.empty()) {
      const std::string& k = q_.key_marker;
      if (auto cp = rolled_up(k)) {
        // The marker falls inside a common prefix already listed: resume after all of it.
        lower = next_prefix(*cp);
      } else {
        if (!q_.version_id_marker.empty() && k.compare(0, q_.prefix.size(), q_.prefix) == 0 && !rest_of_key(k))
          return;  // page full
        lower = std::max(q_.prefix, k + std::string(1, '\0'));
      }
    }
    if (lower) merge_from(*lower);
  }

 private:
  // The common prefix a key rolls up into, if any.
  std::optional<std::string> rolled_up(const std::string& key) const {
    if (q_.delimiter.empty() || key.compare(0, q_.prefix.size(), q_.prefix) != 0) return std::nullopt;
    size_t pos = key.find(q_.delimiter, q_.prefix.size());
    if (pos == std::string::npos) return std::nullopt;
    return key.substr(0, pos + q_.delimiter.size());
  }

  // Adds an entry; false when the page is already full (it is then truncated).
  bool emit(ListEntry e) {
    if (page_.entries.size() == q_.max) {
      page_.truncated = true;
      const ListEntry& last = page_.entries.back();
      page_.next_key_marker = last.key;
      page_.next_version_id_marker = last.is_prefix ? "" : last.obj.version_id;
      return false;
    }
    page_.entries.push_back(std::move(e));
    return true;
  }

  size_t room() const { return q_.max - page_.entries.size() + 1; }

  // The versions of key_marker older than version_id_marker. False when the page filled up.
  bool rest_of_key(const std::string& key) {
    auto cur = current_row(c_, bucket_, key);
    int64_t after_seq;  // list rows with seq < after_seq
    auto seq = version_seq(q_.version_id_marker);
    if (seq && *seq != kNullVersionSeq) {
      after_seq = *seq;  // decoded: the position holds even if that version is gone now
    } else if (cur && cur->version_id == "null") {
      after_seq = cur->seq;
    } else if (auto n = null_history(c_, bucket_, key)) {
      after_seq = n->seq;
    } else {
      return true;  // the null version named is gone: its position is unknown, go on after the key
    }
    std::optional<int64_t> newest_rank;
    if (cur) {
      if (cur->seq < after_seq) {
        cur->is_latest = true;
        if (!emit({false, key, std::move(*cur)})) return false;
      }
    } else {
      auto& q = c_.prepare("SELECT rank FROM s3_versions WHERE bucket = ? AND key = ? ORDER BY rank LIMIT 1");
      q.bind(1, bucket_).bind_blob(2, key);
      if (q.step()) newest_rank = q.col_int(0);
      q.reset();
    }
    auto& st = c_.prepare(std::string("SELECT ") + kVersionCols +
                          " FROM s3_versions WHERE bucket = ? AND key = ? AND rank > ? ORDER BY rank LIMIT ?");
    st.bind(1, bucket_).bind_blob(2, key).bind(3, -after_seq).bind(4, static_cast<int64_t>(room()));
    bool more = true;
    while (more && st.step()) {
      Object o = read_object(st);
      o.is_latest = newest_rank && *newest_rank == -o.seq;
      more = emit({false, key, std::move(o)});
    }
    st.reset();
    return more;
  }

  // Keys >= lower (below the prefix's end), each key's rows newest first.
  void merge_from(std::string lower) {
    std::string range = std::string(" WHERE bucket = ? AND key >= ?") + (upper_ ? " AND key < ?" : "");
    std::string a_sql = std::string("SELECT ") + kObjectCols + " FROM s3_objects" + range + " ORDER BY key LIMIT ?";
    std::string b_sql =
        std::string("SELECT ") + kVersionCols + " FROM s3_versions" + range + " ORDER BY key, rank LIMIT ?";
    while (true) {
      Statement& a = c_.prepare(a_sql);
      Statement& b = c_.prepare(b_sql);
      for (Statement* s : {&a, &b}) {
        s->bind(1, bucket_).bind_blob(2, lower);
        int idx = 3;
        if (upper_) s->bind_blob(idx++, *upper_);
        // Each entry consumes one row of one scan, so neither can run out of LIMIT before the
        // page is full plus the one row that shows it is truncated.
        s->bind(idx, static_cast<int64_t>(room()));
      }
      Head ha(a), hb(b);
      std::optional<std::string> reseek;
      bool done = false;
      std::string prev_key;
      bool have_prev = false;
      while (ha.ok || hb.ok) {
        bool from_a = ha.ok && (!hb.ok || ha.key < hb.key || (ha.key == hb.key && ha.seq > hb.seq));
        Head& h = from_a ? ha : hb;
        if (auto cp = rolled_up(h.key)) {
          if (!emit({true, *cp, {}})) {
            done = true;
            break;
          }
          reseek = next_prefix(*cp);
          if (!reseek) done = true;  // nothing sorts after this prefix
          break;
        }
        Object o = read_object(*h.st);
        // A scan starts on a key boundary, so a key's first row here is its newest.
        o.is_latest = !have_prev || prev_key != h.key;
        prev_key = h.key;
        have_prev = true;
        if (!emit({false, h.key, std::move(o)})) {
          done = true;
          break;
        }
        h.next();
      }
      a.reset();
      b.reset();
      if (done || !reseek) return;
      lower = *reseek;
    }
  }

  // The row a scan is on: its key and seq (for the merge order).
  struct Head {
    Statement* st;
    bool ok = false;
    std::string key;
    int64_t seq = 0;
    explicit Head(Statement& s) : st(&s) { next(); }
    void next() {
      ok = st->step();
      if (ok) key = st->col_blob(1), seq = st->col_int(10);
    }
  };

  Connection& c_;
  const std::string& bucket_;
  const VersionQuery& q_;
  VersionPage& page_;
  std::optional<std::string> upper_;
};

}  // namespace

VersionPage Store::list_versions(const std::string& bucket, const VersionQuery& q) {
  return db_.read([&](Connection& c) {
    VersionPage page;
    VersionLister(c, bucket, q, page).run();
    return page;
  });
}

}  // namespace localaws::s3
