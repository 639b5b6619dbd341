// The lifecycle sweep. AWS's rules as this follows them ("Lifecycle configuration elements",
// "Expiring objects", "Managing delete markers"):
// - a current version expires at creation + Days rounded up to midnight UTC, or from Date;
//   never-versioned buckets delete it, versioned ones add a delete marker;
// - a noncurrent version is removed NoncurrentDays after it became noncurrent (its successor's
//   creation), rounded likewise, unless it is one of the NewerNoncurrentVersions newest ones;
// - a delete marker that is its key's only version is removed by ExpiredObjectDeleteMarker, or
//   by an Expiration Days rule once it is that old;
// - an upload is aborted DaysAfterInitiation after it began;
// - transitions change the storage class (the bytes stay where they are), forward only;
// - expiration wins over transition; a locked version is never removed.
#include "s3/lifecycle_sweep.h"

#include <chrono>
#include <thread>

#include "common/time.h"
#include "s3/lifecycle.h"

namespace localaws::s3 {

using nlohmann::json;
using LcKind = Store::LcKind;
using LcAction = Store::LcAction;

namespace {

struct Sweep {
  Store& store;
  int64_t now;
  const SweepOptions& opts;
  json counts = {{"expiredObjectsDeleted", 0},      {"deleteMarkersAdded", 0},    {"noncurrentVersionsRemoved", 0},
                 {"expiredDeleteMarkersRemoved", 0}, {"transitioned", 0},          {"noncurrentTransitioned", 0},
                 {"uploadsAborted", 0},              {"skippedLocked", 0}};
  json actions = json::array();
  bool truncated = false;
  size_t batches = 0;

  // Pending actions of one bucket, flushed every opts.batch.
  std::string bucket;
  std::vector<LcAction> pending;

  void add(LcAction a) {
    pending.push_back(std::move(a));
    if (pending.size() >= opts.batch) flush();
  }

  void note(const char* counter, const LcAction& a, const std::string& vid, const char* what) {
    counts[counter] = counts[counter].get<int64_t>() + 1;
    if (actions.size() >= opts.detail_limit) {
      truncated = true;
      return;
    }
    json e = {{"bucket", bucket}, {"key", a.key}, {"action", what}};
    if (a.kind == LcKind::kAbortUpload) e["uploadId"] = a.upload_id;
    else if (!vid.empty()) e["versionId"] = vid;
    if (a.kind == LcKind::kTransition) e["storageClass"] = a.storage_class;
    actions.push_back(std::move(e));
  }

  void flush() {
    if (pending.empty()) return;
    std::vector<Store::LcOutcome> out;
    St st = store.apply_lifecycle(bucket, pending, now, out);
    batches++;
    if (opts.pause_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(opts.pause_us));
    if (st == St::kOk) {
      for (size_t i = 0; i < pending.size(); i++) {
        const auto& a = pending[i];
        const auto& o = out[i];
        if (o.result == Store::LcResult::kLocked) {
          counts["skippedLocked"] = counts["skippedLocked"].get<int64_t>() + 1;
          continue;
        }
        if (o.result != Store::LcResult::kDone) continue;
        switch (a.kind) {
          case LcKind::kExpireCurrent:
            if (o.deleted.marker) note("deleteMarkersAdded", a, o.deleted.version_id, "DeleteMarkerAdded");
            else note("expiredObjectsDeleted", a, a.version_id, "Expired");
            break;
          case LcKind::kTransition:
            note(a.current ? "transitioned" : "noncurrentTransitioned", a, a.version_id,
                 a.current ? "Transitioned" : "NoncurrentTransitioned");
            break;
          case LcKind::kRemoveVersion:
            note("noncurrentVersionsRemoved", a, a.version_id, "NoncurrentVersionRemoved");
            break;
          case LcKind::kRemoveMarker:
            note("expiredDeleteMarkersRemoved", a, a.version_id, "ExpiredDeleteMarkerRemoved");
            break;
          case LcKind::kAbortUpload:
            note("uploadsAborted", a, "", "UploadAborted");
            break;
        }
      }
    }
    pending.clear();
  }

  // The highest storage class a due transition moves this version to (forward only), if any.
  std::string transition_target(const LcConfig& cfg, const Object& o, bool noncurrent, int64_t base_ms,
                                int64_t newer_nc) {
    std::string best;
    for (auto& r : cfg.rules) {
      if (!r.enabled || !rule_matches(r, o.key, o.size, o.meta.tags)) continue;
      for (auto& t : noncurrent ? r.nc_transitions : r.transitions) {
        int64_t due = t.days ? due_ms(base_ms, *t.days) : *t.date_ms;
        if (due > now) continue;
        if (noncurrent && t.newer && newer_nc < *t.newer) continue;
        int rank = storage_class_rank(t.storage_class);
        if (rank <= storage_class_rank(o.meta.storage_class)) continue;
        if (!transition_size_ok(cfg, r, t.storage_class, o.size)) continue;
        if (best.empty() || rank > storage_class_rank(best)) best = t.storage_class;
      }
    }
    return best;
  }

  void current_versions(const LcConfig& cfg) {
    std::string after;
    for (;;) {
      auto page = store.current_page(bucket, after, opts.page);
      for (auto& o : page) {
        auto exp = expiration_for(cfg, o);
        if (exp && exp->at_ms <= now) {
          add({LcKind::kExpireCurrent, o.key, o.seq, o.version_id});
          continue;
        }
        std::string to = transition_target(cfg, o, false, o.last_modified_ms, 0);
        if (!to.empty()) add({LcKind::kTransition, o.key, o.seq, o.version_id, true, to});
      }
      if (page.size() < opts.page) break;
      after = page.back().key;
    }
  }

  // One key's s3_versions rows, newest first, streamed across pages.
  struct KeyState {
    std::string key;
    bool has_current = false;
    int64_t successor_ms = 0;  // creation time of the next newer version or marker
    size_t rows = 0;
    int64_t newer_nc = 0;  // noncurrent (non-marker) versions newer than the row at hand
    std::optional<Object> latest_marker;
  };

  void end_key(const LcConfig& cfg, KeyState& k) {
    if (k.rows != 1 || k.has_current || !k.latest_marker) return;
    const Object& m = *k.latest_marker;
    for (auto& r : cfg.rules) {
      if (!r.enabled || !rule_matches(r, m.key, 0, {})) continue;
      bool due = (r.exp_marker && *r.exp_marker) || (r.exp_days && due_ms(m.last_modified_ms, *r.exp_days) <= now);
      if (due) {
        add({LcKind::kRemoveMarker, m.key, m.seq, m.version_id});
        return;
      }
    }
  }

  void noncurrent_row(const LcConfig& cfg, const KeyState& k, const Object& o) {
    bool removed = false;
    for (auto& r : cfg.rules) {
      if (!r.enabled || !r.nc_days || !rule_matches(r, o.key, o.size, o.meta.tags)) continue;
      if (due_ms(k.successor_ms, *r.nc_days) > now) continue;
      if (!o.is_marker && r.nc_newer && k.newer_nc < *r.nc_newer) continue;
      removed = true;
      break;
    }
    if (removed) {
      add({LcKind::kRemoveVersion, o.key, o.seq, o.version_id});
      return;
    }
    if (o.is_marker) return;
    std::string to = transition_target(cfg, o, true, k.successor_ms, k.newer_nc);
    if (!to.empty()) add({LcKind::kTransition, o.key, o.seq, o.version_id, false, to});
  }

  void history(const LcConfig& cfg) {
    KeyState k;
    bool started = false;
    std::string after_key;
    std::optional<int64_t> after_seq;
    for (;;) {
      auto page = store.history_page(bucket, after_key, after_seq, opts.page);
      for (auto& row : page) {
        const Object& o = row.obj;
        if (!started || o.key != k.key) {
          if (started) end_key(cfg, k);
          started = true;
          k = KeyState{o.key, row.has_current, row.current_ms, 0, 0, std::nullopt};
        }
        bool latest = k.rows == 0 && !k.has_current;
        if (latest) {
          if (o.is_marker) k.latest_marker = o;
        } else {
          noncurrent_row(cfg, k, o);
          if (!o.is_marker) k.newer_nc++;
        }
        k.successor_ms = o.last_modified_ms;
        k.rows++;
      }
      if (page.size() < opts.page) break;
      after_key = page.back().obj.key;
      after_seq = page.back().obj.seq;
    }
    if (started) end_key(cfg, k);
  }

  void uploads(const LcConfig& cfg) {
    bool any = false;
    for (auto& r : cfg.rules) any = any || (r.enabled && r.abort_days);
    if (!any) return;
    std::string key, id;
    int64_t ms = 0;
    for (;;) {
      auto page = store.upload_page(bucket, key, ms, id, opts.page);
      for (auto& u : page) {
        auto a = abort_for(cfg, u.key, u.initiated_ms);
        if (a && a->at_ms <= now) {
          LcAction act{LcKind::kAbortUpload, u.key};
          act.upload_id = u.id;
          add(std::move(act));
        }
      }
      if (page.size() < opts.page) break;
      key = page.back().key;
      ms = page.back().initiated_ms;
      id = page.back().id;
    }
  }
};

}  // namespace

json run_lifecycle_sweep(Store& store, int64_t now_ms, const SweepOptions& opts) {
  auto t0 = std::chrono::steady_clock::now();
  Sweep s{store, now_ms, opts};
  size_t buckets = 0;
  for (auto& b : store.lifecycle_buckets()) {
    auto cfg = decode_lifecycle(b.config);
    if (!cfg) continue;
    bool any = false;
    for (auto& r : cfg->rules) any = any || r.enabled;
    if (!any) continue;
    buckets++;
    s.bucket = b.name;
    s.uploads(*cfg);
    s.current_versions(*cfg);
    s.history(*cfg);
    s.flush();
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  json out = s.counts;
  out["buckets"] = buckets;
  out["batches"] = s.batches;
  out["durationMs"] = ms;
  out["actions"] = s.actions;
  if (s.truncated) out["actionsTruncated"] = true;
  return out;
}

}  // namespace localaws::s3
