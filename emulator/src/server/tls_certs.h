// The certificates behind --tls / --tls-port: a CA (generated on first use and kept in
// DATA_DIR/tls/, or given with --tls-ca) and a server certificate signed by it for the names
// clients use to reach localaws.
#pragma once
#include <string>
#include <vector>

#include "server/config.h"

namespace localaws::tls {

struct Material {
  std::string ca_path;   // the CA certificate clients trust (AWS_CA_BUNDLE, NODE_EXTRA_CA_CERTS)
  std::string cert_pem;  // the server certificate followed by the CA certificate
  std::string key_pem;   // the server certificate's private key
};

// The names the server certificate covers: localhost, 127.0.0.1, ::1, *.localhost,
// s3.localhost, *.s3.localhost, and for --s3-domain D: D, *.D, *.s3.D; a specific --host too.
// Entries are "DNS:name" or "IP:address".
std::vector<std::string> server_names(const Config& cfg);

// Loads config.tls_ca (one PEM file with the CA certificate and its key), or the CA kept in
// `dir` (ca.pem 0644, ca-key.pem 0600), generating it there when absent; then issues a fresh
// server certificate (EC P-256) for server_names(). Throws std::runtime_error with a message fit
// for the user when a file cannot be read, parsed or written.
Material prepare(const Config& cfg, const std::string& dir);

// The subjectAltName entries of a PEM certificate, as "DNS:name" / "IP:address" (unit tests).
std::vector<std::string> subject_alt_names(const std::string& cert_pem);

}  // namespace localaws::tls
