#include <catch2/catch.hpp>

#include "s3/form.h"

using namespace localaws::s3;

namespace {
const std::string kBody =
    "--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/${filename}\r\n"
    "--XyZ\r\nContent-Disposition: form-data; name=\"Content-Type\"\r\n\r\nimage/png\r\n"
    "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
    "line1\r\n--Xy not the end\r\n"
    "--XyZ\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nignored\r\n--XyZ--\r\n";

struct Result {
  std::string file, filename;
  bool ok = true, complete = false;
  std::vector<std::pair<std::string, std::string>> fields;
};

Result run(size_t step) {
  Result r;
  FormReader reader("XyZ", {[&](const std::string& fn, const std::string&) {
                              r.filename = fn;
                              return true;
                            },
                            [&](const char* d, size_t n) {
                              r.file.append(d, n);
                              return true;
                            }});
  for (size_t i = 0; i < kBody.size() && r.ok; i += step) r.ok = reader.feed(kBody.data() + i, std::min(step, kBody.size() - i));
  r.complete = reader.complete();
  r.fields = reader.fields();
  return r;
}
}  // namespace

TEST_CASE("s3 form: multipart/form-data read in any chunking") {
  for (size_t step : {1, 2, 3, 7, 64, 100000}) {
    Result r = run(step);
    REQUIRE(r.ok);
    CHECK(r.complete);
    CHECK(r.filename == "a.png");
    CHECK(r.file == "line1\r\n--Xy not the end");
    REQUIRE(r.fields.size() == 2);
    CHECK(r.fields[0] == std::make_pair(std::string("key"), std::string("uploads/${filename}")));
    CHECK(r.fields[1].second == "image/png");
  }
}

TEST_CASE("s3 form: boundary and malformed bodies") {
  CHECK(form_boundary("multipart/form-data; boundary=abc") == "abc");
  CHECK(form_boundary("Multipart/Form-Data; boundary=\"a b\"") == "a b");
  CHECK(form_boundary("text/plain") == "");
  FormReader reader("b", {[](const std::string&, const std::string&) { return true; },
                          [](const char*, size_t) { return true; }});
  std::string bad = "garbage without a boundary";
  CHECK_FALSE(reader.feed(bad.data(), bad.size()));
}
