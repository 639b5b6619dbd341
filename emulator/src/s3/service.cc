#include "server/runtime.h"

namespace localaws {
namespace {
class S3Stub : public Service {
 public:
  const char* name() const override { return "s3"; }
  auth::ServiceKind kind() const override { return auth::ServiceKind::kS3; }
  void handle(http::Request&, const auth::Principal&, http::Response& res) override { res.status = 501; }
  void render_auth_error(const auth::AuthError& e, const http::Request&, http::Response& res) override {
    res.status = e.status;
  }
  void render_internal_error(const http::Request&, http::Response& res) override { res.status = 500; }
  void finish(const http::Request&, http::Response&) override {}
  void reset() override {}
  void collect_live_blobs(std::unordered_set<std::string>&) override {}
};
}  // namespace
std::unique_ptr<Service> make_s3_service(Runtime&) { return std::make_unique<S3Stub>(); }
}  // namespace localaws
