// S3's schema and queries on top of the generic storage layer. Every mutation is one SQLite
// write transaction; not-found and conflicts come back as St values, never exceptions.
// Blob ownership: a blob handed to put_object/put_part/complete_upload belongs to the store from
// then on; it is removed when the call fails, and the blob it replaces is removed after commit.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/blob_store.h"
#include "storage/sqlite.h"

namespace localaws::s3 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

enum class St { kOk, kNoSuchBucket, kNoSuchKey, kNoSuchUpload, kExists, kNotEmpty, kPreconditionFailed };

struct Owner {
  std::string id;       // canonical user id
  std::string name;     // display name
  std::string account;  // 12-digit account id
};

struct Bucket {
  std::string name;
  std::string region;
  Owner owner;
  int64_t created_ms = 0;
  // Subresource documents by name ("acl", "ownership", "pab", "policy" ...), serialized by their
  // owners (s3/acl.h, s3/policy.h): the store keeps them, it does not read them.
  std::map<std::string, std::string> config;
  const std::string* get(const std::string& name) const {
    auto it = config.find(name);
    return it == config.end() ? nullptr : &it->second;
  }
};

// Everything about an object besides its bytes, stored as one JSON column.
struct ObjectMeta {
  Pairs headers;  // content-type, content-encoding, content-disposition, content-language, cache-control, expires
  Pairs user;     // x-amz-meta-* names without the prefix, lower case
  Pairs tags;
  std::string storage_class = "STANDARD";
  std::string checksum_algo;   // "CRC32" ... or empty
  std::string checksum_value;  // base64 (composite: "<b64>-N")
  std::string checksum_type;   // FULL_OBJECT or COMPOSITE
  std::vector<uint64_t> part_sizes;  // multipart objects: size of each part, in order
  std::string acl;                   // serialized s3::Acl ("" = private to the owner)
  std::string to_json() const;
  static ObjectMeta from_json(const std::string& s);
};

struct Object {
  std::string bucket;
  std::string key;
  uint64_t size = 0;
  std::string etag;  // quoted, as S3 shows it
  int64_t last_modified_ms = 0;
  std::string blob_id;
  Owner owner;
  ObjectMeta meta;
};

struct Upload {
  std::string id;
  std::string bucket;
  std::string key;
  int64_t initiated_ms = 0;
  Owner owner;
  ObjectMeta meta;  // what the completed object gets; checksum_algo/type as requested
};

struct Part {
  int number = 0;
  uint64_t size = 0;
  std::string etag;  // quoted
  std::string blob_id;
  int64_t last_modified_ms = 0;
  std::string checksum;  // base64 of the upload's algorithm, or empty
};

// Conditional write headers of PutObject / CompleteMultipartUpload, checked inside the write.
struct WriteCond {
  bool if_none_match_star = false;
  std::optional<std::string> if_match;
};

struct ListQuery {
  std::string prefix;
  std::string delimiter;
  std::string lower;  // inclusive lower bound of the first key (the seek position)
  size_t max = 1000;
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

class Store {
 public:
  Store(storage::Database& db, storage::BlobStore& blobs);

  // Buckets. create_bucket -> kOk or kExists (with *existing filled).
  St create_bucket(const Bucket& b, Bucket* existing);
  std::optional<Bucket> bucket(const std::string& name);
  // Buckets of an account by name, names > after, starting with prefix, at most limit.
  std::vector<Bucket> list_buckets(const std::string& account, const std::string& prefix, const std::string& after,
                                   size_t limit);
  // kOk, kNoSuchBucket, kNotEmpty (objects or in-progress uploads).
  St delete_bucket(const std::string& name);
  // Sets (or with nullopt removes) one subresource document. kOk, kNoSuchBucket.
  St set_bucket_config(const std::string& name, const std::string& key, const std::optional<std::string>& value);

  // Objects.
  std::optional<Object> object(const std::string& bucket, const std::string& key);
  // kOk, kNoSuchBucket, kNoSuchKey (If-Match on a missing key), kPreconditionFailed.
  St put_object(const Object& o, const WriteCond& cond);
  // kOk (deleted or already missing), kNoSuchBucket.
  St delete_object(const std::string& bucket, const std::string& key);
  St set_tags(const std::string& bucket, const std::string& key, const Pairs& tags);
  St set_object_acl(const std::string& bucket, const std::string& key, const std::string& acl);
  ListPage list_objects(const std::string& bucket, const ListQuery& q);

  // Multipart uploads.
  St create_upload(const Upload& u);  // kOk, kNoSuchBucket
  std::optional<Upload> upload(const std::string& bucket, const std::string& key, const std::string& id);
  St put_part(const std::string& upload_id, const Part& p);  // kOk, kNoSuchUpload
  std::vector<Part> parts(const std::string& upload_id);
  // Switches the object to o and drops the upload; part blobs go after commit.
  St complete_upload(const std::string& upload_id, const Object& o, const WriteCond& cond);
  St abort_upload(const std::string& bucket, const std::string& key, const std::string& id);
  // Uploads of a bucket in (key, initiated, id) order from key >= lower, at most limit.
  std::vector<Upload> list_uploads(const std::string& bucket, const std::string& lower, size_t limit);

  void collect_blobs(std::unordered_set<std::string>& out);
  void reset();

 private:
  template <typename F>
  St update_meta(const std::string& bucket, const std::string& key, F&& change);
  storage::Database& db_;
  storage::BlobStore& blobs_;
};

// The smallest byte string greater than every string starting with p, or nullopt (p all 0xFF).
std::optional<std::string> next_prefix(const std::string& p);

}  // namespace localaws::s3
