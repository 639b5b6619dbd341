// Put/GetBucketRequestPayment and Put/GetBucketAccelerateConfiguration: one setting each, stored
// as the value ("Requester", "Enabled" ...) and rendered in AWS's document.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketRequestPayment.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAccelerateConfiguration.html
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {
constexpr const char* kPayment = "requestPayment";
constexpr const char* kAccelerate = "accelerate";

// The one text element of a one-setting document, checked against the values AWS accepts.
std::string setting(const std::string& body, const char* root, const char* element,
                    std::initializer_list<const char*> allowed) {
  pugi::xml_document doc;
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != root) throw S3Error("MalformedXML");
  auto v = child_text(doc.document_element(), element);
  if (!v) throw S3Error("MalformedXML");
  for (const char* a : allowed) {
    if (*v == a) return *v;
  }
  throw S3Error("MalformedXML");
}
}  // namespace

bool requester_pays(const Bucket& b) {
  auto* p = b.get(kPayment);
  return p && *p == "Requester";
}

void get_bucket_request_payment(Ctx& c) {
  XmlDoc doc("RequestPaymentConfiguration");
  doc.root.add("Payer", requester_pays(*c.bkt) ? "Requester" : "BucketOwner");
  reply_xml(c, doc);
}

void put_bucket_request_payment(Ctx& c) {
  std::string body = read_small_body(c, 64 * 1024);
  verify_body_integrity(c.req, body);
  std::string payer = setting(body, "RequestPaymentConfiguration", "Payer", {"BucketOwner", "Requester"});
  // ---- checks end ----
  raise(c.store().set_bucket_config(c.bucket, kPayment,
                                    payer == "Requester" ? std::optional<std::string>(payer) : std::nullopt),
        c);
}

void get_bucket_accelerate(Ctx& c) {
  // Never configured: an empty document (no Status), as S3 answers.
  XmlDoc doc("AccelerateConfiguration");
  if (auto* s = c.bkt->get(kAccelerate)) doc.root.add("Status", *s);
  reply_xml(c, doc);
}

void put_bucket_accelerate(Ctx& c) {
  std::string body = read_small_body(c, 64 * 1024);
  std::string status = setting(body, "AccelerateConfiguration", "Status", {"Enabled", "Suspended"});
  // Acceleration endpoints are virtual-hosted HTTPS names: a dotted bucket cannot have one.
  if (c.bucket.find('.') != std::string::npos)
    throw S3Error("InvalidRequest",
                  "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names");
  // ---- checks end ----
  raise(c.store().set_bucket_config(c.bucket, kAccelerate, status), c);
}

}  // namespace localaws::s3
