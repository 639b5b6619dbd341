// The TLS certificates (server/tls_certs.h): the CA kept in the directory and reused, the server
// certificate's names following the flags, file modes, a given CA, and refusals.
#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "server/tls_certs.h"
#include "temp_dir.h"

using namespace localaws;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

mode_t mode_of(const std::filesystem::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("tls: the CA is generated once, kept 0644/0600, and reused") {
  testing::TempDir dir;
  Config cfg;
  tls::Material first = tls::prepare(cfg, (dir.path / "tls").string());
  auto ca = dir.path / "tls" / "ca.pem";
  REQUIRE(first.ca_path == std::filesystem::absolute(ca).string());
  CHECK(mode_of(ca) == 0644);
  CHECK(mode_of(dir.path / "tls" / "ca-key.pem") == 0600);
  std::string ca_pem = slurp(ca);
  CHECK(ca_pem.find("PRIVATE KEY") == std::string::npos);
  // The server certificate, then the CA as its chain.
  CHECK(first.cert_pem.find(ca_pem) != std::string::npos);

  cfg.s3_domain = "example.test";
  tls::Material second = tls::prepare(cfg, (dir.path / "tls").string());
  CHECK(slurp(ca) == ca_pem);
  auto names = tls::subject_alt_names(second.cert_pem);
  for (const char* n : {"DNS:localhost", "DNS:*.localhost", "DNS:*.s3.localhost", "IP:127.0.0.1", "IP:::1",
                        "DNS:example.test", "DNS:*.example.test", "DNS:*.s3.example.test"}) {
    CHECK(has(names, n));
  }
  CHECK_FALSE(has(tls::subject_alt_names(first.cert_pem), "DNS:example.test"));
}

TEST_CASE("tls: server names") {
  Config cfg;
  cfg.host = "0.0.0.0";
  CHECK(tls::server_names(cfg).size() == 6);
  cfg.host = "192.168.1.5";
  cfg.s3_domain = "10.0.0.1";
  auto names = tls::server_names(cfg);
  CHECK(has(names, "IP:192.168.1.5"));
  CHECK(has(names, "IP:10.0.0.1"));
  cfg.s3_domain = "bad,DNS:evil.example";  // never an extension-syntax injection
  CHECK(tls::server_names(cfg).size() == 7);
}

TEST_CASE("tls: a given CA signs; a file without a key is refused") {
  testing::TempDir dir;
  Config gen;
  tls::prepare(gen, (dir.path / "made").string());
  auto both = dir.path / "both.pem";
  { std::ofstream(both) << slurp(dir.path / "made" / "ca.pem") << slurp(dir.path / "made" / "ca-key.pem"); }
  Config cfg;
  cfg.tls_ca = both.string();
  tls::Material m = tls::prepare(cfg, (dir.path / "unused").string());
  CHECK(m.ca_path == std::filesystem::absolute(both).string());
  CHECK_FALSE(std::filesystem::exists(dir.path / "unused"));
  CHECK(m.cert_pem.find(slurp(dir.path / "made" / "ca.pem")) != std::string::npos);

  cfg.tls_ca = (dir.path / "made" / "ca.pem").string();  // the certificate alone
  CHECK_THROWS_WITH(tls::prepare(cfg, dir.path.string()), Catch::Contains("private key"));
}
