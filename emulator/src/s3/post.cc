// POST Object: browser uploads with an HTML form (boto3's generate_presigned_post). The form's
// policy document is verified (SigV4 or SigV2 signature, expiration, every condition), then the
// file is stored like a PutObject by the account that signed the policy.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
#include <nlohmann/json.hpp>
#include <set>

#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"
#include "s3/form.h"
#include "s3/handlers.h"
#include "s3/sse.h"

namespace localaws::s3 {

using nlohmann::json;

namespace {

struct Form {
  std::map<std::string, std::string> fields;  // lower-case names
  std::string filename;
  const std::string* get(const std::string& n) const {
    auto it = fields.find(n);
    return it == fields.end() ? nullptr : &it->second;
  }
};

S3Error policy_failed(const std::string& why) { return S3Error("AccessDenied", "Invalid according to Policy: " + why); }

// The principal that signed the form's policy. Throws when the signature is wrong.
auth::Principal form_signer(const Ctx& c, const Form& f, const std::string& policy) {
  bool v4 = f.get("x-amz-signature") != nullptr;
  std::string key;
  if (v4) {
    auth::sigv4::Credential cred;
    if (!f.get("x-amz-credential") || !auth::sigv4::parse_credential(*f.get("x-amz-credential"), cred) ||
        !f.get("x-amz-algorithm") || *f.get("x-amz-algorithm") != "AWS4-HMAC-SHA256")
      throw S3Error("InvalidArgument", "Form field x-amz-credential or x-amz-algorithm is missing or invalid")
          .with("ArgumentName", "x-amz-credential");
    key = cred.access_key;
    auto* account = c.env.accounts.by_access_key(key);
    if (account && c.env.opts.auth_mode != auth::Mode::kOff) {
      std::string sk = auth::sigv4::derive_signing_key(account->secret_access_key, cred.date, cred.region, cred.service);
      if (!auth::sigv4::signatures_equal(auth::sigv4::signature(sk, policy), *f.get("x-amz-signature")))
        throw S3Error("SignatureDoesNotMatch");
    }
  } else {
    if (!f.get("awsaccesskeyid") || !f.get("signature"))
      throw S3Error("InvalidArgument", "Bucket POST must contain a field named 'AWSAccessKeyId'.")
          .with("ArgumentName", "AWSAccessKeyId");
    key = *f.get("awsaccesskeyid");
    auto* account = c.env.accounts.by_access_key(key);
    if (account && c.env.opts.auth_mode != auth::Mode::kOff &&
        auth::sigv2::sign(account->secret_access_key, policy) != *f.get("signature"))
      throw S3Error("SignatureDoesNotMatch");
  }
  auto* account = c.env.accounts.by_access_key(key);
  if (!account && c.env.opts.auth_mode == auth::Mode::kStrict) throw S3Error("InvalidAccessKeyId").with("AWSAccessKeyId", key);
  return auth::Principal::from(account ? *account : c.env.accounts.default_account(), key);
}

// Checks the policy's expiration and conditions against the form; returns content-length-range.
std::pair<uint64_t, uint64_t> check_policy(const Ctx& c, const Form& f, const std::string& policy_b64) {
  std::string text;
  if (!base64_decode(policy_b64, text)) throw S3Error("InvalidPolicyDocument", "Invalid Policy: Invalid JSON.");
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_object() || !doc.contains("conditions") || !doc["conditions"].is_array())
    throw S3Error("InvalidPolicyDocument", "Invalid Policy: Invalid JSON.");
  auto exp = parse_iso8601(doc.value("expiration", ""));
  if (!exp) throw S3Error("InvalidPolicyDocument", "Invalid Policy: Invalid 'expiration' value.");
  if (*exp < c.now_ms / 1000) throw policy_failed("Policy expired.");
  std::pair<uint64_t, uint64_t> range{0, kMaxPutSize};
  std::set<std::string> covered = {"bucket"};
  auto value_of = [&](std::string name) -> std::string {
    name = to_lower(name);
    if (name == "bucket") return c.bucket;
    auto* v = f.get(name);
    return v ? *v : "";
  };
  for (auto& cond : doc["conditions"]) {
    if (cond.is_object()) {
      for (auto& [k, v] : cond.items()) {
        covered.insert(to_lower(k));
        if (!v.is_string() || value_of(k) != v.get<std::string>())
          throw policy_failed("Policy Condition failed: [\"eq\", \"$" + k + "\", " + v.dump() + "]");
      }
      continue;
    }
    if (!cond.is_array() || cond.size() != 3 || !cond[0].is_string())
      throw S3Error("InvalidPolicyDocument", "Invalid Policy: Invalid Simple-Condition.");
    std::string op = to_lower(cond[0].get<std::string>());
    if (op == "content-length-range") {
      if (!cond[1].is_number_unsigned() || !cond[2].is_number_unsigned())
        throw S3Error("InvalidPolicyDocument", "Invalid Policy: Invalid content-length-range.");
      range = {cond[1].get<uint64_t>(), cond[2].get<uint64_t>()};
      continue;
    }
    if (!cond[1].is_string() || !cond[2].is_string() || cond[1].get<std::string>().rfind("$", 0) != 0)
      throw S3Error("InvalidPolicyDocument", "Invalid Policy: Invalid Simple-Condition.");
    std::string field = cond[1].get<std::string>().substr(1);
    covered.insert(to_lower(field));
    std::string want = cond[2].get<std::string>(), have = value_of(field);
    bool ok = op == "eq" ? have == want : op == "starts-with" ? starts_with(have, want) : false;
    if (op != "eq" && op != "starts-with") throw S3Error("InvalidPolicyDocument", "Invalid Policy: Invalid condition.");
    if (!ok) throw policy_failed("Policy Condition failed: " + cond.dump());
  }
  // Every form field must be covered by a condition, except these.
  for (auto& [name, v] : f.fields) {
    if (covered.count(name) || name == "policy" || name == "x-amz-signature" || name == "signature" ||
        name == "awsaccesskeyid" || starts_with(name, "x-ignore-"))
      continue;
    throw policy_failed("Extra input fields: " + name);
  }
  return range;
}

// The form fields S3 reads as the headers of a PutObject.
http::HeaderList form_headers(const Form& f) {
  http::HeaderList h;
  for (auto& [name, v] : f.fields) {
    if (name == "acl") {
      h.emplace_back("x-amz-acl", v);
    } else if (name == "tagging") {
      // A Tagging document; as x-amz-tagging the object stores it and the policy sees
      // s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys.
      std::string q;
      for (auto& [k, tv] : parse_tagging_xml(v)) q += (q.empty() ? "" : "&") + uri_encode(k) + "=" + uri_encode(tv);
      h.emplace_back("x-amz-tagging", q);
    } else if (name == "content-type" || name == "cache-control" || name == "content-disposition" ||
             name == "content-encoding" || name == "expires" || starts_with(name, "x-amz-meta-") ||
             starts_with(name, "x-amz-grant-") || name == "x-amz-storage-class" ||
             starts_with(name, "x-amz-object-lock-"))
      h.emplace_back(name, v);
  }
  return h;
}

// Reads the form's SSE fields as a PutObject's headers; SSE-C starts encrypting the file.
void start_sse(Ctx& c, const std::vector<std::pair<std::string, std::string>>& fields, NewSse& sse,
               std::string& nonce, HashingWriter& writer) {
  http::HeaderList h;
  for (auto& [k, v] : fields) {
    if (starts_with(to_lower(k), "x-amz-server-side-encryption")) h.emplace_back(to_lower(k), v);
  }
  std::swap(h, c.req.headers);
  try {
    sse = new_object_sse(c);
  } catch (...) {
    std::swap(h, c.req.headers);
    throw;
  }
  std::swap(h, c.req.headers);
  ObjectMeta scratch;
  nonce = sse.apply(scratch);
  if (sse.ssec) writer.encrypt_with({sse.ssec->key, nonce});
}
// The form's x-amz-checksum-algorithm / x-amz-checksum-<algo> fields (before the file, like the
// SSE ones): the checksum the file is stored with, and the value it must have. Without them the
// object gets S3's default CRC64NVME.
struct FormChecksum {
  Algo algo = Algo::kCrc64Nvme;
  std::string expected;  // base64; empty = computed only
};

FormChecksum form_checksum(const std::vector<std::pair<std::string, std::string>>& fields) {
  FormChecksum out;
  std::optional<Algo> named, valued;
  for (auto& [k, v] : fields) {
    std::string name = to_lower(k);
    if (!starts_with(name, "x-amz-checksum-")) continue;
    if (name == "x-amz-checksum-algorithm") {
      named = parse_algo(trim(v));
      if (!named)
        throw S3Error("InvalidRequest", "Checksum algorithm provided is unsupported. Please try again with any of the "
                                        "valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
      continue;
    }
    auto a = parse_algo(name.substr(15));
    if (!a) continue;
    if (valued)
      throw S3Error("InvalidRequest",
                    "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
    std::string raw;
    if (!base64_decode(trim(v), raw) || raw.size() != algo_raw_size(*a))
      throw S3Error("InvalidRequest", "Value for " + algo_header(*a) + " header is invalid.");
    valued = a;
    out.expected = trim(v);
  }
  if (named && valued && *named != *valued)
    throw S3Error("InvalidRequest", "Value for x-amz-checksum-algorithm header is invalid.");
  if (valued) out.algo = *valued;
  else if (named) out.algo = *named;
  return out;
}
}  // namespace

void post_object(Ctx& c) {
  std::string boundary = form_boundary(c.req.header_or("content-type"));
  if (boundary.empty())
    throw S3Error("PreconditionFailed").with("Condition", "Bucket POST must be of the enclosure-type multipart/form-data");
  HashingWriter writer(c.env.blobs, kMaxPutSize, Algo::kCrc64Nvme);
  FormChecksum checksum;
  Form form;
  // The x-amz-server-side-encryption* fields (before the file, as S3 requires) choose the
  // encryption before the first byte is stored: SSE-C encrypts the file as it arrives.
  NewSse sse;
  std::string sse_nonce;
  std::exception_ptr sse_error;
  FormReader reader(boundary, {[&](const std::string& filename, const std::string&) {
                                 form.filename = filename;
                                 try {
                                   checksum = form_checksum(reader.fields());
                                   writer.set_algo(checksum.algo);
                                   start_sse(c, reader.fields(), sse, sse_nonce, writer);
                                 } catch (...) {
                                   sse_error = std::current_exception();
                                   return false;
                                 }
                                 return true;
                               },
                               [&](const char* d, size_t n) { return writer.write(d, n); }});
  bool malformed = false;
  auto err = c.req.body->read([&](const char* d, size_t n) {
    if (reader.feed(d, n)) return true;
    malformed = true;
    return false;
  });
  if (malformed) c.res.close_connection = true;
  if (sse_error) std::rethrow_exception(sse_error);
  if (writer.fail() == HashingWriter::Fail::kIo) throw S3Error("InternalError", "The server could not store the object (disk full?)");
  if (err && !err->is_aborted()) body_failed(c, *err);
  if (malformed || !reader.complete())
    throw S3Error("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.");
  for (auto& [k, v] : reader.fields()) form.fields[to_lower(k)] = v;

  auto* key_field = form.get("key");
  if (!key_field)
    throw S3Error("InvalidArgument", "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.")
        .with("ArgumentName", "key");
  std::string key = *key_field;
  if (auto p = key.find("${filename}"); p != std::string::npos) key.replace(p, 11, form.filename);
  std::pair<uint64_t, uint64_t> range{0, kMaxPutSize};
  auth::Principal signer;  // anonymous without a policy
  if (auto* policy = form.get("policy")) {
    signer = form_signer(c, form, *policy);
    range = check_policy(c, form, *policy);
  }
  if (writer.size() < range.first) throw S3Error("EntityTooSmall").with("MinSizeAllowed", std::to_string(range.first));
  if (writer.size() > range.second) throw S3Error("EntityTooLarge").with("MaxSizeAllowed", std::to_string(range.second));
  Ctx pc{c.env, c.req, c.res, signer, Op::kPutObject, c.bucket, key, c.bkt, std::nullopt, c.now_ms};
  check_key(key);
  // The form's fields act as the PutObject's headers, for the policy's condition keys too
  // (s3:x-amz-acl, s3:x-amz-storage-class, s3:RequestObjectTag/<key> ...), beside the request's
  // own headers (aws:Referer, aws:UserAgent).
  http::HeaderList saved = form_headers(form);
  http::HeaderList with_form = saved;  // first: a form field wins over a header of the same name
  with_form.insert(with_form.end(), c.req.headers.begin(), c.req.headers.end());
  std::swap(with_form, c.req.headers);
  bool allowed = false;
  try {
    allowed = authorize(pc, Op::kPutObject, &*c.bkt, nullptr);
  } catch (...) {
    std::swap(with_form, c.req.headers);
    throw;
  }
  std::swap(with_form, c.req.headers);
  if (!allowed) throw S3Error("AccessDenied");
  std::swap(saved, c.req.headers);
  ObjectMeta meta;
  NewObjectAccess access;
  NewLock lock;
  try {
    meta = meta_from_headers(c.req);
    access = new_object_access(pc);
    lock = new_object_lock(pc);
  } catch (...) {
    std::swap(saved, c.req.headers);
    throw;
  }
  std::swap(saved, c.req.headers);
  meta.acl = access.acl;
  sse.apply(meta);
  if (sse.ssec) meta.ssec_nonce = encode_nonces(sse_nonce);  // the nonce the file was encrypted with
  if (!checksum.expected.empty() && writer.digests().checksum != checksum.expected)
    throw S3Error("BadDigest", std::string("The ") + algo_name(checksum.algo) +
                                   " you specified did not match the calculated checksum.");
  Received r = writer.commit();
  // ---- checks end; the row switches here ----
  std::string etag = new_etag(meta, r.md5);
  if (r.algo != Algo::kNone) {
    meta.checksum_algo = algo_name(r.algo);
    meta.checksum_value = r.checksum;
    meta.checksum_type = "FULL_OBJECT";
  }
  Object o{c.bucket, key, r.size, etag, c.now_ms, r.blob_id, access.owner, std::move(meta)};
  lock.apply(o);
  raise(c.store().put_object(o, {}), c);
  version_header(c, o, c.res);

  std::string location = c.req.origin() + "/" + uri_encode(c.bucket) + "/" + uri_encode(key, true);
  c.res.set_header("ETag", o.etag);
  c.res.set_header("Location", location);
  sse_headers(o.meta, c.res, true);
  if (auto* redirect = form.get("success_action_redirect")) {
    std::string sep = redirect->find('?') == std::string::npos ? "?" : "&";
    c.res.status = 303;
    c.res.set_header("Location", *redirect + sep + "bucket=" + uri_encode(c.bucket) + "&key=" + uri_encode(key) +
                                     "&etag=" + uri_encode(o.etag));
    return;
  }
  std::string status = form.get("success_action_status") ? *form.get("success_action_status") : "204";
  if (status == "201") {
    XmlDoc doc("PostResponse", false);
    doc.root.add("Location", location).add("Bucket", c.bucket).add("Key", key).add("ETag", o.etag);
    reply_xml(c, doc, 201);
    return;
  }
  c.res.status = status == "200" ? 200 : 204;
}

}  // namespace localaws::s3
