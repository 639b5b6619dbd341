// DeleteObject and DeleteObjects.
#include "common/crypto.h"
#include "common/strings.h"
#include "http/body.h"
#include "s3/handlers.h"

namespace localaws::s3 {

void delete_object(Ctx& c) {
  raise(c.store().delete_object(c.bucket, c.key), c);
  c.res.status = 204;
}

namespace {
// DeleteObjects must carry Content-MD5 or an x-amz-checksum-* of its body, as S3 requires.
void verify_body_integrity(const http::Request& req, const std::string& body) {
  if (auto* h = req.header("content-md5")) {
    std::string want;
    if (!base64_decode(trim(*h), want) || want.size() != 16) throw S3Error("InvalidDigest");
    if (want != md5_raw(body)) throw S3Error("BadDigest");
    return;
  }
  for (Algo a : kAllAlgos) {
    auto* h = req.header(algo_header(a));
    if (!h) continue;
    Checksummer cs(a);
    cs.update(body.data(), body.size());
    if (base64_encode(cs.final()) != trim(*h))
      throw S3Error("BadDigest", std::string("The ") + algo_name(a) + " you specified did not match the calculated checksum.");
    return;
  }
  throw S3Error("InvalidRequest", "Missing required header for this request: Content-MD5");
}
}  // namespace

void delete_objects(Ctx& c) {
  std::string body = read_small_body(c, 2 * 1024 * 1024);
  verify_body_integrity(c.req, body);
  pugi::xml_document doc;
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != "Delete") throw S3Error("MalformedXML");
  auto root = doc.document_element();
  bool quiet = iequals(trim(child_text(root, "Quiet").value_or("false")), "true");
  std::vector<std::pair<std::string, std::string>> keys;  // key, version id
  for (auto obj : root.children("Object")) {
    auto k = child_text(obj, "Key");
    if (!k) throw S3Error("MalformedXML");
    keys.emplace_back(*k, child_text(obj, "VersionId").value_or(""));
  }
  if (keys.empty() || keys.size() > 1000) throw S3Error("MalformedXML");
  // ---- checks end; each key is deleted in its own transaction ----
  XmlDoc out("DeleteResult");
  for (auto& [key, version] : keys) {
    if (key.size() > 1024) {
      out.root.child("Error").add("Key", key).add("Code", "KeyTooLongError").add("Message", "Your key is too long");
      continue;
    }
    if (!version.empty() && version != "null") {
      out.root.child("Error").add("Key", key).add("VersionId", version).add("Code", "NoSuchVersion")
          .add("Message", "The specified version does not exist.");
      continue;
    }
    raise(c.store().delete_object(c.bucket, key), c);
    if (!quiet) {
      auto d = out.root.child("Deleted");
      d.add("Key", key);
      if (!version.empty()) d.add("VersionId", version);
    }
  }
  reply_xml(c, out);
}

}  // namespace localaws::s3
