#include "server/tls_certs.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace localaws::tls {

namespace {

namespace fs = std::filesystem;

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

constexpr long kDay = 24 * 3600;

Key new_key() {
  Key key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key) throw std::runtime_error("TLS: cannot generate an EC P-256 key");
  return key;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) throw std::runtime_error("TLS: bad certificate extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key`, signed by issuer_key (self-signed when issuer is null).
Cert new_cert(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key, long days) {
  Cert cert(X509_new(), X509_free);
  X509* x = cert.get();
  X509_set_version(x, 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);  // a client clock slightly behind still accepts it
  X509_gmtime_adj(X509_getm_notAfter(x), days * kDay);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localaws"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                             -1, -1, 0);
  X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
  X509* signer = issuer ? issuer : x;
  add_ext(x, signer, NID_subject_key_identifier, "hash");
  if (!issuer) {
    add_ext(x, signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_ext(x, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(x, signer, NID_authority_key_identifier, "keyid:always");
    add_ext(x, signer, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(x, signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_ext(x, signer, NID_ext_key_usage, "serverAuth");
  }
  return cert;
}

void sign(X509* cert, EVP_PKEY* key) {
  if (X509_sign(cert, key, EVP_sha256()) <= 0) throw std::runtime_error("TLS: cannot sign a certificate");
}

// What `write` puts into a memory BIO, as text.
template <typename Write>
std::string pem_text(Write write) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  write(bio.get());
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string cert_pem(X509* cert) {
  return pem_text([&](BIO* b) { PEM_write_bio_X509(b, cert); });
}

std::string key_pem(EVP_PKEY* key) {
  return pem_text([&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("TLS: cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes then renames, with the mode set whatever the umask.
void write_file(const std::string& path, const std::string& data, mode_t mode) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  bool ok = fd >= 0 && ::fchmod(fd, mode) == 0 &&
            ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("TLS: cannot write " + path);
  }
}

// The CA certificate and key from PEM text (both in one file, or two files' contents joined).
std::pair<Cert, Key> parse_ca(const std::string& pem, const std::string& where) {
  Bio cb(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Cert cert(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr), X509_free);
  Bio kb(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Key key(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  if (!cert || !key) throw std::runtime_error("TLS: " + where + " must hold a PEM CA certificate and its private key");
  if (X509_check_private_key(cert.get(), key.get()) != 1)
    throw std::runtime_error("TLS: the private key in " + where + " does not match its certificate");
  if (X509_check_ca(cert.get()) == 0) throw std::runtime_error("TLS: the certificate in " + where + " is not a CA");
  return {std::move(cert), std::move(key)};
}

bool is_ip(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

}  // namespace

std::vector<std::string> server_names(const Config& cfg) {
  std::vector<std::string> out = {"DNS:localhost", "DNS:*.localhost", "DNS:s3.localhost", "DNS:*.s3.localhost",
                                  "IP:127.0.0.1", "IP:::1"};
  auto add = [&](const std::string& entry) {
    for (auto& e : out) {
      if (e == entry) return;
    }
    out.push_back(entry);
  };
  auto valid_dns = [](const std::string& d) {
    return !d.empty() && d.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
                             std::string::npos;
  };
  const std::string& d = cfg.s3_domain;
  if (is_ip(d)) {
    add("IP:" + d);
  } else if (valid_dns(d)) {
    for (const char* prefix : {"", "*.", "*.s3."}) add(std::string("DNS:") + prefix + d);
  }
  const std::string& h = cfg.host;
  if (is_ip(h) && h != "0.0.0.0" && h != "::") {
    add("IP:" + h);
  } else if (!is_ip(h) && valid_dns(h)) {
    add("DNS:" + h);
  }
  return out;
}

Material prepare(const Config& cfg, const std::string& dir) {
  Material m;
  std::pair<Cert, Key> ca{Cert(nullptr, X509_free), Key(nullptr, EVP_PKEY_free)};
  if (!cfg.tls_ca.empty()) {
    m.ca_path = fs::absolute(cfg.tls_ca).string();
    ca = parse_ca(read_file(cfg.tls_ca), cfg.tls_ca);
  } else {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error("TLS: cannot create " + dir + ": " + ec.message());
    m.ca_path = fs::absolute(fs::path(dir) / "ca.pem").string();
    std::string key_path = (fs::path(dir) / "ca-key.pem").string();
    if (fs::exists(m.ca_path) && fs::exists(key_path)) {
      ca = parse_ca(read_file(m.ca_path) + read_file(key_path), m.ca_path + " and " + key_path);
    } else {
      Key key = new_key();
      Cert cert = new_cert(key.get(), "localaws local CA", nullptr, nullptr, 3650);
      sign(cert.get(), key.get());
      write_file(key_path, key_pem(key.get()), 0600);  // the key first: ca.pem present means both are
      write_file(m.ca_path, cert_pem(cert.get()), 0644);
      ca = {std::move(cert), std::move(key)};
    }
  }
  // The server certificate is issued afresh at every start (a millisecond), so it always covers
  // the names of this start's flags; clients trust the CA, which stays.
  Key key = new_key();
  Cert cert = new_cert(key.get(), "localhost", ca.first.get(), ca.second.get(), 825);
  std::string sans;
  for (auto& n : server_names(cfg)) sans += (sans.empty() ? "" : ",") + n;
  add_ext(cert.get(), ca.first.get(), NID_subject_alt_name, sans);
  sign(cert.get(), ca.second.get());
  m.cert_pem = cert_pem(cert.get()) + cert_pem(ca.first.get());
  m.key_pem = key_pem(key.get());
  return m;
}

std::vector<std::string> subject_alt_names(const std::string& pem) {
  std::vector<std::string> out;
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (!cert) return out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
    GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
    if (g->type == GEN_DNS) {
      out.push_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(g->d.dNSName)),
                                         ASN1_STRING_length(g->d.dNSName)));
    } else if (g->type == GEN_IPADD) {
      char buf[INET6_ADDRSTRLEN] = {};
      int len = ASN1_STRING_length(g->d.iPAddress);
      inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(g->d.iPAddress), buf, sizeof buf);
      out.push_back(std::string("IP:") + buf);
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

}  // namespace localaws::tls
