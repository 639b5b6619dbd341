// Buckets read and written by DynamoDB export and import jobs (s3_bridge.h).
#include "dynamodb/s3_bridge.h"

#include <zlib.h>

#include <stdexcept>

#include "auth/accounts.h"
#include "common/crypto.h"
#include "s3/acl.h"
#include "s3/handlers.h"
#include "s3/policy.h"
#include "s3/sse.h"
#include "server/runtime.h"

namespace localaws::ddb::s3io {

Failure no_such_bucket() {
  return {"S3NoSuchBucket", "The specified bucket does not exist (Service: Amazon S3; Status Code: 404; Error Code: "
                            "NoSuchBucket)"};
}
Failure access_denied() {
  return {"S3AccessDenied", "Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied)"};
}

// --- ObjectBuilder ---------------------------------------------------------------------------

struct ObjectBuilder::Gzip {
  z_stream zs{};
  bool open = false;
  ~Gzip() {
    if (open) deflateEnd(&zs);
  }
};

ObjectBuilder::ObjectBuilder(const storage::BlobStore& blobs, bool gzip)
    : w_(blobs, s3::kMaxPutSize, s3::Algo::kNone) {
  if (!gzip) return;
  gz_ = std::make_unique<Gzip>();
  // windowBits 15 + 16: a gzip member (RFC 1952), as AWS's .json.gz files are.
  if (deflateInit2(&gz_->zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  gz_->open = true;
}

ObjectBuilder::~ObjectBuilder() = default;

void ObjectBuilder::emit(const char* data, size_t n) {
  if (!w_.write(data, n)) throw std::runtime_error("cannot write the object's blob");
}

void ObjectBuilder::append(std::string_view bytes) {
  in_ += bytes.size();
  if (!gz_) return emit(bytes.data(), bytes.size());
  z_stream& zs = gz_->zs;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  char out[16384];
  while (zs.avail_in > 0) {
    zs.next_out = reinterpret_cast<Bytef*>(out);
    zs.avail_out = sizeof out;
    deflate(&zs, Z_NO_FLUSH);
    emit(out, sizeof out - zs.avail_out);
  }
}

s3::Received ObjectBuilder::finish() {
  if (gz_) {
    z_stream& zs = gz_->zs;
    char out[16384];
    int rc = Z_OK;
    zs.avail_in = 0;
    while (rc != Z_STREAM_END) {
      zs.next_out = reinterpret_cast<Bytef*>(out);
      zs.avail_out = sizeof out;
      rc = deflate(&zs, Z_FINISH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) throw std::runtime_error("deflate failed");
      emit(out, sizeof out - zs.avail_out);
    }
  }
  return w_.commit();
}

// --- BucketAccess ----------------------------------------------------------------------------

namespace {
s3::Ownership ownership_of(const s3::Bucket& b) {
  const std::string* o = b.get("ownership");
  return o ? s3::ownership_from_name(*o).value_or(s3::Ownership::kObjectWriter) : s3::Ownership::kObjectWriter;
}

std::string canonical_id(Runtime& rt, const std::string& account) {
  if (auto* a = rt.accounts.by_account_id(account)) return a->canonical_user_id;
  return auth::Accounts::derive_canonical_id(account);
}

s3::Owner owner_for(Runtime& rt, const std::string& account, const std::string& canonical) {
  if (auto* a = rt.accounts.by_account_id(account)) return {a->canonical_user_id, a->display_name, account};
  return {canonical, "account-" + account, account};
}
}  // namespace

BucketAccess::BucketAccess(Runtime& rt, s3::Bucket b, std::string account)
    : rt_(&rt), store_(std::make_shared<s3::Store>(*rt.db, *rt.blobs)), bucket_(std::move(b)),
      account_(std::move(account)), canonical_(canonical_id(rt, account_)) {}

std::optional<BucketAccess> BucketAccess::open(Runtime& rt, const std::string& account, const std::string& bucket,
                                               const std::string* expected_owner, Failure* fail) {
  s3::Store store(*rt.db, *rt.blobs);
  auto b = store.bucket(bucket);
  if (!b) {
    *fail = no_such_bucket();
    return std::nullopt;
  }
  if (expected_owner && *expected_owner != b->owner.account) {
    *fail = access_denied();
    return std::nullopt;
  }
  return BucketAccess(rt, std::move(*b), account);
}

const storage::BlobStore& BucketAccess::blobs() const { return *rt_->blobs; }

bool BucketAccess::may(const char* action, const std::string& key, const s3::Object* obj) const {
  std::string_view act = action;
  bool bucket_level = act == "s3:ListBucket";
  bool same_account = account_ == bucket_.owner.account;
  s3::Effect policy = s3::Effect::kNone;
  if (const std::string* text = bucket_.get("policy")) {
    std::string resource = "arn:aws:s3:::" + bucket_.name + (bucket_level ? "" : "/" + key);
    policy = s3::evaluate_policy(*text, s3::PolicyCaller{false, account_, canonical_}, action, resource);
  }
  if (policy == s3::Effect::kDeny) return false;
  bool enforced = ownership_of(bucket_) == s3::Ownership::kBucketOwnerEnforced;
  if (same_account && (!obj || enforced || obj->owner.id == bucket_.owner.id)) return true;
  if (policy == s3::Effect::kAllow) return true;
  if (enforced) return false;  // ACLs disabled: only the owner and the policy grant access
  s3::Requester who{false, canonical_, account_};
  if (obj) {
    s3::Acl acl = s3::Acl::decode(obj->meta.acl);
    if (acl.empty()) acl = s3::private_acl({obj->owner.id, obj->owner.name});
    return s3::acl_grants(acl, s3::kRead, who, false);
  }
  const std::string* text = bucket_.get("acl");
  s3::Acl acl = text ? s3::Acl::decode(*text) : s3::Acl{};
  if (acl.empty()) acl = s3::private_acl({bucket_.owner.id, bucket_.owner.name});
  return s3::acl_grants(acl, bucket_level ? s3::kRead : s3::kWrite, who, false);
}

Written BucketAccess::commit(const std::string& key, const s3::Received& r, const std::string& content_type,
                             const Sse& sse) {
  s3::ObjectMeta meta;
  meta.headers.emplace_back("content-type", content_type);
  if (sse.algo == "AES256") {
    meta.sse_algo = "AES256";
  } else if (sse.algo == "KMS") {
    meta.sse_algo = "aws:kms";
    meta.kms_key_id = s3::kms_key_arn(bucket_, sse.kms_key_id);
  } else if (auto def = s3::bucket_sse(s3::Options{rt_->config.region, rt_->config.s3_legacy_defaults}, bucket_)) {
    meta.sse_algo = def->algo;
    if (def->algo != "AES256") meta.kms_key_id = s3::kms_key_arn(bucket_, def->kms_key_id);
    meta.bucket_key = def->bucket_key;
  }
  bool owner_owns = account_ == bucket_.owner.account || ownership_of(bucket_) == s3::Ownership::kBucketOwnerEnforced;
  s3::Owner owner = owner_owns ? bucket_.owner : owner_for(*rt_, account_, canonical_);
  std::string etag = s3::new_etag(meta, r.md5);
  s3::Object o{bucket_.name, key, r.size, etag, rt_->clock.now_ms(), r.blob_id, owner, std::move(meta)};
  if (store_->put_object(o, s3::WriteCond{}) != s3::St::kOk) throw std::runtime_error("the bucket is gone");
  return {key, etag.size() >= 2 ? etag.substr(1, etag.size() - 2) : etag, base64_encode(r.md5), r.size};
}

Written BucketAccess::put(const std::string& key, std::string_view bytes, const std::string& content_type,
                          const Sse& sse) {
  ObjectBuilder b(blobs(), false);
  b.append(bytes);
  return commit(key, b.finish(), content_type, sse);
}

void BucketAccess::list(const std::string& prefix, const std::function<bool(const s3::Object&)>& visit) {
  s3::ListQuery q;
  q.prefix = prefix;
  q.lower = prefix;
  q.max = 1000;
  for (;;) {
    s3::ListPage page = store_->list_objects(bucket_.name, q);
    for (auto& e : page.entries)
      if (!e.is_prefix && !visit(e.obj)) return;
    if (!page.truncated) return;
    q.lower = page.next_lower;
  }
}

std::optional<std::string> BucketAccess::read(const s3::Object& o, uint64_t max, std::string* why) {
  if (!o.meta.ssec_key_md5.empty()) {
    *why = "The object is encrypted with a customer-provided key (SSE-C)";
    return std::nullopt;
  }
  if (o.size > max) {
    *why = "The object is larger than localaws imports (" + std::to_string(max) + " bytes)";
    return std::nullopt;
  }
  auto f = rt_->blobs->open(o.blob_id);
  std::string out(o.size, '\0');
  if (o.size && (!f || f->read_at(0, out.data(), out.size()) != static_cast<int64_t>(out.size()))) {
    *why = "The object could not be read";
    return std::nullopt;
  }
  return out;
}

}  // namespace localaws::ddb::s3io
