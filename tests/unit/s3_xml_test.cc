// Golden XML of S3 results and errors, in AWS's shape.
#include <catch2/catch.hpp>

#include "s3/error.h"
#include "s3/xml.h"

using namespace localaws::s3;

TEST_CASE("s3 error documents") {
  S3Error e("NoSuchKey");
  e.with("Key", "a&b<c>");
  CHECK(e.status == 404);
  CHECK(error_xml(e, "REQ1", "HOST1") ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
        "<Key>a&amp;b&lt;c&gt;</Key><RequestId>REQ1</RequestId><HostId>HOST1</HostId></Error>");
}

TEST_CASE("s3 error table statuses") {
  CHECK(S3Error("NotImplemented").status == 501);
  CHECK(S3Error("InvalidRange").status == 416);
  CHECK(S3Error("PreconditionFailed").status == 412);
  CHECK(S3Error("MissingContentLength").status == 411);
  CHECK(S3Error("BucketNotEmpty").status == 409);
  CHECK(S3Error("MethodNotAllowed").status == 405);
  CHECK(S3Error("AccessDenied").status == 403);
  CHECK(S3Error("InvalidBucketName").status == 400);
  CHECK(S3Error("SomethingUnknown").status == 500);
}

TEST_CASE("s3 signature errors carry the signing details") {
  localaws::auth::AuthError a;
  a.status = 403;
  a.code = "SignatureDoesNotMatch";
  a.message = "The request signature we calculated does not match the signature you provided.";
  a.access_key_id = "AKID";
  a.string_to_sign = "AWS4-HMAC-SHA256\n...";
  a.signature_provided = "abcd";
  a.canonical_request = "GET\n/\n";
  a.string_to_sign_bytes = "41 57";
  a.canonical_request_bytes = "47 45";
  auto e = from_auth_error(a);
  CHECK(error_xml(e, "R", "H") ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the "
        "signature you provided.</Message><AWSAccessKeyId>AKID</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256\n..."
        "</StringToSign><SignatureProvided>abcd</SignatureProvided><StringToSignBytes>41 57</StringToSignBytes>"
        "<CanonicalRequest>GET\n/\n</CanonicalRequest><CanonicalRequestBytes>47 45</CanonicalRequestBytes>"
        "<RequestId>R</RequestId><HostId>H</HostId></Error>");
}

TEST_CASE("s3 auth errors keep their extra elements in order") {
  localaws::auth::AuthError a;
  a.status = 403;
  a.code = "RequestTimeTooSkewed";
  a.message = "The difference between the request time and the current time is too large.";
  a.extra = {{"RequestTime", "20200101T000000Z"}, {"ServerTime", "2026-01-01T00:00:00Z"},
             {"MaxAllowedSkewMilliseconds", "900000"}};
  auto e = from_auth_error(a);
  CHECK(e.status == 403);
  CHECK(error_xml(e, "R", "H") ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current "
        "time is too large.</Message><RequestTime>20200101T000000Z</RequestTime><ServerTime>2026-01-01T00:00:00Z"
        "</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds><RequestId>R</RequestId>"
        "<HostId>H</HostId></Error>");
}

TEST_CASE("s3 result documents carry the S3 namespace") {
  XmlDoc doc("CopyObjectResult");
  doc.root.add("LastModified", "2009-10-12T17:50:30.000Z").add("ETag", "\"9b2cf535f27731c974343645a3985328\"");
  CHECK(doc.str() ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<CopyObjectResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LastModified>2009-10-12T17:50:30.000Z"
        "</LastModified><ETag>\"9b2cf535f27731c974343645a3985328\"</ETag></CopyObjectResult>");
  XmlDoc loc("LocationConstraint");
  CHECK(loc.str() ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>");
}

TEST_CASE("XmlOut writes what XmlDoc writes for the same calls", "[s3][xml]") {
  std::string every;  // every byte value but NUL, then multi-byte UTF-8
  for (int i = 1; i < 128; i++) every.push_back(static_cast<char>(i));
  every += "\xc3\xa9\xf0\x9f\x98\x80";
  XmlDoc doc("ListBucketResult");
  doc.root.add("Name", "b").add("Prefix", "").add("KeyCount", uint64_t{2}).add_bool("IsTruncated", false);
  auto k = doc.root.child("Contents");
  k.add("Key", every).add("ETag", "\"e\"");
  k.child("Owner").add("ID", "o");
  doc.root.child("CommonPrefixes").add("Prefix", "a&b<c>/");
  XmlOut out("ListBucketResult");
  out.add("Name", "b").add("Prefix", "").add("KeyCount", uint64_t{2}).add_bool("IsTruncated", false);
  out.open("Contents").add("Key", every).add("ETag", "\"e\"");
  out.open("Owner").add("ID", "o").close("Owner").close("Contents");
  out.open("CommonPrefixes").add("Prefix", "a&b<c>/").close("CommonPrefixes");
  CHECK(out.finish() == doc.str());
}
