// Our view of one HTTP request, independent of any HTTP library: raw target (for SigV4), decoded
// query, lower-case header names, and the body as a stream.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "http/body.h"

namespace localaws::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;  // lower-case names, in order

struct Request {
  std::string method;       // GET, HEAD, PUT, POST, DELETE, OPTIONS, PATCH
  std::string target;       // the request target exactly as sent
  std::string raw_path;     // target before '?', still percent-encoded
  std::string raw_query;    // target after '?', as sent
  QueryParams query;        // decoded ('+' is a space), in order
  HeaderList headers;
  std::string remote_addr;
  bool secure = false;  // arrived over TLS (--tls, --tls-port): absolute URLs we render say https
  std::string request_id;
  std::unique_ptr<Body> body;  // never null

  // First value of a header (name in lower case), or nullptr.
  const std::string* header(std::string_view lower_name) const;
  std::string header_or(std::string_view lower_name, std::string fallback = "") const;
  bool has_header(std::string_view lower_name) const { return header(lower_name) != nullptr; }
  // All values of a header joined with ",", as SigV4 canonicalisation and HTTP semantics want.
  std::string header_joined(std::string_view lower_name) const;
  const std::string* query_param(std::string_view name) const;
  bool has_query(std::string_view name) const { return query_param(name) != nullptr; }
  // The Host header without the port.
  std::string host_name() const;
  // "http://" or "https://" (secure) and the Host header as sent: the start of absolute URLs.
  std::string origin() const { return (secure ? "https://" : "http://") + header_or("host", "localhost"); }
};

// The one way a Request is built (the HTTP adapter, fixtures, fuzz targets, tests): the target
// split into raw path and raw query, the query decoded (a malformed escape leaves the list empty;
// SigV4 still works on the raw query), header names lower-cased with values exactly as given, in
// order. A null body becomes an empty one.
Request make_request(std::string method, std::string target, const HeaderList& headers_as_sent,
                     std::unique_ptr<Body> body = nullptr);

}  // namespace localaws::http
