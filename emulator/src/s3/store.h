// S3's schema and queries on top of the generic storage layer. Every mutation is one SQLite
// write transaction; not-found and conflicts come back as St values, never exceptions.
// Blob ownership: a blob handed to put_object/put_part/complete_upload belongs to the store from
// then on; it is removed when the call fails, and the blobs a change makes unreachable are removed
// after commit (never before: a crash then leaves an orphan for the startup sweep, never a row
// without its bytes).
//
// Versions (AWS S3 versioning): s3_objects holds each key's CURRENT version when that is not a
// delete marker (GET and ListObjects read only it); s3_versions holds every other version and
// every delete marker, a key's rows ordered newest first. Every version has a seq from one global
// counter; its id is "null" or 32 opaque characters that decode to the seq (version_seq).
// Invariant: a key's s3_objects row is newer than all of its s3_versions rows; a key with no
// s3_objects row has a delete marker as its newest s3_versions row (or no rows at all).
// The bucket's versioning state is read inside each write transaction, never taken from a caller.
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/blob_store.h"
#include "storage/sqlite.h"

namespace localaws::s3 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

enum class St {
  kOk,
  kNoSuchBucket,
  kNoSuchKey,
  kNoSuchUpload,
  kExists,
  kNotEmpty,
  kPreconditionFailed,
  kNoSuchVersion,  // a well-formed version id that names no version of the key
  kLocked,         // object lock forbids it: deleting a retained/held version, shortening a retention
  kIsMarker,       // the version named by id is a delete marker (S3: 405 MethodNotAllowed)
  kInvalidState,   // the bucket's state forbids it: suspending an object-lock bucket, retention
                   // without object lock, object lock without versioning Enabled
  kConflict,       // a conditional write lost a race: the key (or the upload) changed after the request
                   // looked at it (S3: 409 ConditionalRequestConflict)
};

struct Owner {
  std::string id;       // canonical user id
  std::string name;     // display name
  std::string account;  // 12-digit account id
};

// A bucket's versioning state: never enabled, Enabled, Suspended (it never returns to kNone).
enum class Versioning { kNone = 0, kEnabled = 1, kSuspended = 2 };

struct Bucket {
  std::string name;
  std::string region;
  Owner owner;
  int64_t created_ms = 0;
  // Subresource documents by name ("acl", "ownership", "pab", "policy" ...), serialized by their
  // owners (s3/acl.h, s3/policy.h): the store keeps them, it does not read them.
  std::map<std::string, std::string> config;
  Versioning versioning = Versioning::kNone;
  bool object_lock = false;
  const std::string* get(const std::string& name) const {
    auto it = config.find(name);
    return it == config.end() ? nullptr : &it->second;
  }
};

// Everything about an object besides its bytes and its lock, stored as one compact binary column
// (encode/decode: length-prefixed fields, no JSON parser on the GET path). Rows written before
// the binary form hold JSON; decode() reads both.
struct ObjectMeta {
  Pairs headers;  // content-type, content-encoding, content-disposition, content-language, cache-control, expires
  Pairs user;     // x-amz-meta-* names without the prefix, lower case
  Pairs tags;
  std::string storage_class = "STANDARD";
  std::string checksum_algo;   // "CRC32" ... or empty
  std::string checksum_value;  // base64 (composite: "<b64>-N")
  std::string checksum_type;   // FULL_OBJECT or COMPOSITE
  std::vector<uint64_t> part_sizes;  // multipart objects: size of each part, in order
  // COMPOSITE multipart objects: each part's checksum (base64), in order (GetObjectAttributes).
  std::vector<std::string> part_checksums;
  std::string acl;                   // serialized s3::Acl ("" = private to the owner)
  // Server-side encryption (s3/sse.h): "", "AES256", "aws:kms", "aws:kms:dsse"; the KMS key ARN,
  // the encryption context (base64 JSON as sent) and whether an S3 Bucket Key is used.
  std::string sse_algo;
  std::string kms_key_id;
  std::string kms_context;
  bool bucket_key = false;
  // SSE-C: base64 MD5 of the customer key (non-empty = encrypted with a customer key) and the
  // nonce the blob was encrypted with (opaque to the store).
  std::string ssec_key_md5;
  std::string ssec_nonce;
  // RestoreObject of an archived (GLACIER, DEEP_ARCHIVE) version: when the temporary copy is (or
  // was) ready and when it expires; 0 = never restored.
  int64_t restore_ready_ms = 0;
  int64_t restore_expiry_ms = 0;
  std::string encode() const;
  // The binary form, or the JSON of rows written before it (told apart by the first byte); an
  // empty or unreadable value decodes to the defaults.
  static ObjectMeta decode(std::string_view s);
  // Only what a listing shows: storage_class, checksum_algo, checksum_type.
  static ObjectMeta decode_listed(std::string_view s);
  std::string to_json() const;
  static ObjectMeta from_json(const std::string& s);
};

// A version's legal hold: never set (S3 then shows none), ON or OFF.
enum class Hold { kNone = 0, kOn = 1, kOff = 2 };

// One version of a key: an object version or a delete marker.
struct Object {
  std::string bucket;
  std::string key;
  uint64_t size = 0;
  std::string etag;  // quoted, as S3 shows it
  int64_t last_modified_ms = 0;
  std::string blob_id;  // empty for a delete marker
  Owner owner;
  ObjectMeta meta;
  std::string version_id = "null";  // set by the store on writes
  int64_t seq = 0;                  // set by the store on writes; orders a key's versions
  bool is_marker = false;
  bool is_latest = false;  // set by reads: the key's newest version or marker
  std::string lock_mode{};  // "", "GOVERNANCE", "COMPLIANCE"
  int64_t lock_until_ms = 0;
  Hold legal_hold = Hold::kNone;
};

struct Upload {
  std::string id;
  std::string bucket;
  std::string key;
  int64_t initiated_ms = 0;
  Owner owner;
  ObjectMeta meta;  // what the completed object gets; checksum_algo/type as requested
  // The lock the completed version gets (x-amz-object-lock-* on CreateMultipartUpload).
  std::string lock_mode{};
  int64_t lock_until_ms = 0;
  Hold legal_hold = Hold::kNone;
};

struct Part {
  int number = 0;
  uint64_t size = 0;
  std::string etag;  // quoted
  std::string blob_id;
  int64_t last_modified_ms = 0;
  std::string checksum;  // base64 of the upload's algorithm, or empty
};

// Conditional write headers of PutObject / CompleteMultipartUpload, checked inside the write
// against the current version (a delete marker as the latest counts as no object).
struct WriteCond {
  bool if_none_match_star = false;
  std::optional<std::string> if_match;
  // seen: the handler read the current version before streaming the body; seen_seq is its seq
  // (nullopt: there was none). A condition that fails because the key changed since is kConflict,
  // not kPreconditionFailed, as S3 answers a write that raced another.
  bool seen = false;
  std::optional<int64_t> seen_seq;
  bool any() const { return if_none_match_star || if_match.has_value(); }
};

struct ListQuery {
  std::string prefix;
  std::string delimiter;
  std::string lower;  // inclusive lower bound of the first key (the seek position)
  size_t max = 1000;
  // Entries carry only what ListObjects shows of the metadata (ObjectMeta::decode_listed).
  bool listed_meta_only = false;
};
struct ListEntry {
  bool is_prefix = false;
  std::string key;  // the key, or the common prefix
  Object obj;       // set for keys
};
struct ListPage {
  std::vector<ListEntry> entries;
  bool truncated = false;
  std::string next_lower;  // where the next page seeks to (when truncated)
};

// ListObjectVersions. key_marker alone: keys after it (after its whole common prefix when it
// rolls up into one); with version_id_marker: the versions of key_marker older than that one,
// then the later keys. max counts versions, delete markers and common prefixes.
struct VersionQuery {
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string version_id_marker;  // REQUIRES: empty, "null" or a well-formed id (version_seq)
  size_t max = 1000;
};
struct VersionPage {
  std::vector<ListEntry> entries;  // by key ascending, newest first within a key, is_latest set
  bool truncated = false;
  // When truncated: the last entry returned, for the next request's key-marker and
  // version-id-marker (the version id is empty when the page ended with a common prefix).
  std::string next_key_marker;
  std::string next_version_id_marker;
};

// What a DeleteObject did: x-amz-delete-marker and x-amz-version-id of the response.
struct Deleted {
  bool marker = false;     // a delete marker was created, or the version deleted was one
  std::string version_id;  // the marker created or the version named; empty when nothing to report
};

// A version's retention (PutObjectRetention); an empty mode removes it.
struct Retention {
  std::string mode;  // "", "GOVERNANCE", "COMPLIANCE"
  int64_t until_ms = 0;
};

class Store {
 public:
  Store(storage::Database& db, storage::BlobStore& blobs);

  // Buckets. create_bucket -> kOk or kExists (with *existing filled); stores b.versioning and
  // b.object_lock as given.
  St create_bucket(const Bucket& b, Bucket* existing);
  std::optional<Bucket> bucket(const std::string& name);
  // Buckets of an account by name, names > after, starting with prefix, at most limit.
  std::vector<Bucket> list_buckets(const std::string& account, const std::string& prefix, const std::string& after,
                                   size_t limit);
  // kOk, kNoSuchBucket, kNotEmpty (any version, delete marker or in-progress upload).
  St delete_bucket(const std::string& name);
  // Sets (or with nullopt removes) one subresource document. kOk, kNoSuchBucket.
  St set_bucket_config(const std::string& name, const std::string& key, const std::optional<std::string>& value);
  // kOk, kNoSuchBucket, kInvalidState (kNone requested: a bucket never returns to never-versioned;
  // kSuspended on an object-lock bucket).
  St set_versioning(const std::string& name, Versioning v);
  // Turns object lock on (idempotent). kOk, kNoSuchBucket, kInvalidState (versioning not Enabled).
  St enable_object_lock(const std::string& name);

  // Objects and versions.
  // The current version when it is not a delete marker (the GET fast path; is_latest set).
  std::optional<Object> object(const std::string& bucket, const std::string& key);
  // A version or delete marker by id ("null" included), or with an empty id the latest one, which
  // may be a marker. nullopt when there is none (or the id is malformed). is_latest set.
  std::optional<Object> find(const std::string& bucket, const std::string& key, const std::string& version_id);
  // Writes a new version (o.bucket, o.key, bytes, meta, lock) and fills o.version_id, o.seq,
  // o.is_latest. Never versioned: replaces the null version. Enabled: a new version with a fresh
  // id; the current one becomes noncurrent. Suspended: a new null version replacing any null
  // version (current or not); a non-null current becomes noncurrent. Object lock never refuses a
  // new version. kOk, kNoSuchBucket, kNoSuchKey (If-Match with no current version), kPreconditionFailed.
  St put_object(Object& o, const WriteCond& cond);
  // DeleteObject. Without a version id: never versioned -> removes the current version; Enabled ->
  // adds a delete marker with a fresh id (the current version becomes noncurrent); Suspended ->
  // adds a null delete marker replacing any null version. With a version id: removes that version
  // or marker for good; when it was the latest, the next newest becomes current (a version moves
  // back to s3_objects, a marker stays the latest). A well-formed id naming nothing is kOk with
  // nothing changed, as S3 answers 204 (out->version_id echoes it). Deleting a version by id that
  // has a legal hold, or a retention in force (COMPLIANCE; GOVERNANCE unless bypass_governance),
  // is kLocked and changes nothing; adding a marker is always allowed. requester owns a new
  // marker (nullptr: the bucket owner). kOk, kNoSuchBucket, kLocked.
  St delete_object(const std::string& bucket, const std::string& key, const std::string& version_id,
                   bool bypass_governance, int64_t now_ms, Deleted* out, const Owner* requester = nullptr);
  // Per-version updates; an empty version id addresses the current version. kOk, kNoSuchBucket,
  // kNoSuchKey (no id: no current version, the latest may be a marker), kNoSuchVersion (id names
  // nothing), kIsMarker (id names a delete marker).
  St set_tags(const std::string& bucket, const std::string& key, const std::string& version_id, const Pairs& tags);
  St set_object_acl(const std::string& bucket, const std::string& key, const std::string& version_id,
                    const std::string& acl);
  // Also kInvalidState (the bucket has no object lock) and kLocked: a COMPLIANCE retention in force
  // can only be kept or extended in COMPLIANCE mode; a GOVERNANCE one can be extended in
  // GOVERNANCE mode, anything else (shorter, removed, changed to COMPLIANCE) needs bypass_governance.
  St set_retention(const std::string& bucket, const std::string& key, const std::string& version_id,
                   const Retention& r, bool bypass_governance, int64_t now_ms);
  // Also kInvalidState (the bucket has no object lock).
  St set_legal_hold(const std::string& bucket, const std::string& key, const std::string& version_id, bool on);
  // ListObjects: current versions only (no markers), seek-based.
  ListPage list_objects(const std::string& bucket, const ListQuery& q);
  // ListObjectVersions, seek-based: a page deep into a key with a million versions, or a bucket of
  // a million keys, costs what the first page costs. Never-versioned buckets list null versions.
  VersionPage list_versions(const std::string& bucket, const VersionQuery& q);

  // Multipart uploads.
  St create_upload(const Upload& u);  // kOk, kNoSuchBucket
  std::optional<Upload> upload(const std::string& bucket, const std::string& key, const std::string& id);
  St put_part(const std::string& upload_id, const Part& p);  // kOk, kNoSuchUpload
  std::vector<Part> parts(const std::string& upload_id);
  // Writes o as a new version exactly like put_object (filling o.version_id, o.seq) and drops
  // the upload; part blobs go after commit. kOk, kNoSuchUpload, kNoSuchKey, kPreconditionFailed.
  // parts: the part list the request named (condwrites section below), kept with the completion
  // so that completing it again answers the same result. With a condition and the upload gone
  // (completed or aborted meanwhile): kConflict.
  St complete_upload(const std::string& upload_id, Object& o, const WriteCond& cond, const std::string& parts = "");
  St abort_upload(const std::string& bucket, const std::string& key, const std::string& id);
  // Uploads of a bucket in (key, initiated, id) order from key >= lower, at most limit.
  std::vector<Upload> list_uploads(const std::string& bucket, const std::string& lower, size_t limit);

  // Every blob a row points to (current and noncurrent versions, parts).
  void collect_blobs(std::unordered_set<std::string>& out);
  void reset();

 private:
  template <typename F>
  St update_version(const std::string& bucket, const std::string& key, const std::string& version_id, F&& change);
  St write_version(const std::string* upload_id, Object& o, const WriteCond& cond, const std::string& parts = "");
  storage::Database& db_;
  storage::BlobStore& blobs_;
  // Buckets as read in a transaction that began at a generation of db_'s "s3_buckets" watch
  // (every write of a bucket row calls db_.changed(buckets_changed_)), for transactions that
  // begin at the same generation: the GET path reads no bucket row and parses no configuration.
  // Bounded; cleared whole when full.
  storage::Watch& buckets_changed_;
  std::mutex cache_mu_;
  std::unordered_map<std::string, std::pair<uint64_t, std::shared_ptr<const Bucket>>> cache_;

  // --- condwrites (store_batch.cc): DeleteObjects in one transaction, completed uploads -------
 public:
  // One key of a DeleteObjects request (or a conditional DeleteObject). if_match ("*" or an ETag,
  // quoted or not) is checked against the current version: none (or a delete marker as the
  // latest) -> kNoSuchKey, another ETag -> kPreconditionFailed.
  struct DeleteEntry {
    std::string key;
    std::string version_id;  // "" = the latest
    std::optional<std::string> if_match;
  };
  struct DeleteOutcome {
    St st = St::kOk;  // kOk, kLocked, kNoSuchKey, kPreconditionFailed
    Deleted deleted;
  };
  // Deletes every entry exactly as delete_object would, all in ONE write transaction; entries that
  // fail change nothing and do not stop the others. out gets one outcome per entry, in order.
  // kOk, kNoSuchBucket (nothing done).
  St delete_objects(const std::string& bucket, const std::vector<DeleteEntry>& entries, bool bypass_governance,
                    int64_t now_ms, const Owner& requester, std::vector<DeleteOutcome>& out);
  // What a completed upload answered (kept a day after its completion, on the emulator clock).
  struct Completion {
    std::string parts;  // as given to complete_upload
    Object obj;         // size, etag, version_id, meta of the version it created
  };
  std::optional<Completion> completed_upload(const std::string& bucket, const std::string& key,
                                             const std::string& upload_id);
  // --- end condwrites ------------------------------------------------------------------------

  // --- lifecycle (store_lifecycle.cc) ----------------------------------------------------------
  // What the lifecycle sweep (s3/lifecycle_sweep.cc) reads in seek-based pages and changes in
  // small write transactions, and RestoreObject.
 public:
  struct LifecycleBucket {
    std::string name;
    std::string config;  // the "lifecycle" document
  };
  // Buckets that have a lifecycle configuration, by name.
  std::vector<LifecycleBucket> lifecycle_buckets();
  // Current (non-marker) versions with key > after, in key order, at most limit.
  std::vector<Object> current_page(const std::string& bucket, const std::string& after, size_t limit);
  // s3_versions rows (noncurrent versions and delete markers) after (key, seq) in key order,
  // newest first within a key (from the start when after_seq is nullopt); with each, whether its
  // key has a current version and when that was written.
  struct HistoryRow {
    Object obj;
    bool has_current = false;
    int64_t current_ms = 0;
  };
  std::vector<HistoryRow> history_page(const std::string& bucket, const std::string& after_key,
                                       std::optional<int64_t> after_seq, size_t limit);
  // Uploads after (key, initiated_ms, id) in that order (from the start when after_id is empty).
  std::vector<Upload> upload_page(const std::string& bucket, const std::string& after_key, int64_t after_ms,
                                  const std::string& after_id, size_t limit);
  enum class LcKind { kExpireCurrent, kTransition, kRemoveVersion, kRemoveMarker, kAbortUpload };
  struct LcAction {
    LcKind kind;
    std::string key;
    int64_t seq = 0;           // the version as the sweep read it (kAbortUpload: unused)
    std::string version_id;    // its id
    bool current = false;      // kTransition: the current version (else a noncurrent one)
    std::string storage_class; // kTransition: the new class
    std::string upload_id;     // kAbortUpload
  };
  enum class LcResult { kDone, kGone, kLocked };
  struct LcOutcome {
    LcResult result = LcResult::kGone;
    Deleted deleted;  // kExpireCurrent: the marker added (versioned buckets)
  };
  // Applies the actions in ONE write transaction; each is re-checked against the row as it is now
  // (a version replaced or removed since it was read is kGone; one under retention or legal hold
  // is never removed: kLocked). kExpireCurrent acts as DeleteObject without a version id (the
  // bucket owner owns the marker); kRemoveMarker only while the marker is its key's only version.
  // out gets one outcome per action. kOk, kNoSuchBucket.
  St apply_lifecycle(const std::string& bucket, const std::vector<LcAction>& acts, int64_t now_ms,
                     std::vector<LcOutcome>& out);
  // RestoreObject of an archived version (empty id: the current one). Not restored (or the copy
  // expired) -> kStarted with the copy ready at ready_ms, expiring at expiry_new_ms; in progress
  // -> kInProgress, nothing changes; restored -> kExtended, expiry becomes expiry_extend_ms.
  // kOk, kNoSuchBucket, kNoSuchKey, kNoSuchVersion, kIsMarker, kInvalidState (not archived:
  // archived(storage_class) false).
  enum class RestoreState { kStarted, kInProgress, kExtended };
  St restore_object(const std::string& bucket, const std::string& key, const std::string& version_id,
                    bool (*archived)(const std::string&), int64_t now_ms, int64_t ready_ms, int64_t expiry_new_ms,
                    int64_t expiry_extend_ms, RestoreState* state, Object* restored);
};

// What version_seq answers for "null": well-formed, but a null version has no fixed seq (find it
// by its id). Real seqs are >= 0.
constexpr int64_t kNullVersionSeq = -1;
// The seq a version id encodes (no lookup), kNullVersionSeq for "null", nullopt for a malformed id
// (S3: InvalidArgument). A well-formed id may still name no version (S3: NoSuchVersion).
std::optional<int64_t> version_seq(std::string_view id);
// A fresh opaque version id for seq (32 URL-safe characters, partly random). REQUIRES: seq >= 1.
std::string make_version_id(int64_t seq);

// The smallest byte string greater than every string starting with p, or nullopt (p all 0xFF).
std::optional<std::string> next_prefix(const std::string& p);

}  // namespace localaws::s3
