// One way in. Every request — from the HTTP adapter (server/), fixture loading, the fuzz targets
// and the tests — goes through serve(): request id, the control plane or a service (DynamoDB by
// X-Amz-Target, otherwise S3), authentication, the service's handler, error mapping in the
// protocol of the service asked, the unread rest of the body, the request journal and the access
// log. Nothing here knows an HTTP library.
#pragma once
#include <optional>

#include "auth/authenticator.h"
#include "http/request.h"
#include "http/response.h"

namespace localaws {

struct Runtime;

struct ServeOptions {
  // Acts as this principal without checking a signature (fixture loading runs as the default
  // account). nullptr: authenticate the request as sent.
  const auth::Principal* principal = nullptr;
  // Record the request in the journal and the access log.
  bool record = true;
};

// Serves one request. REQUIRES: req.body is set (http::make_request sets an empty one). Assigns
// req.request_id when it is empty. Never throws: a failure inside a handler is the service's
// InternalError. On return res.close_connection tells the transport that the body was not read
// to its end (the connection cannot carry another request). When the request is recorded, its
// request id, path, query and headers have moved into the journal: req is spent.
http::Response serve(Runtime& rt, http::Request& req, const ServeOptions& opt = {});

// For `Expect: 100-continue`: decides from the request line and headers alone whether the body
// is wanted. nullopt: answer 100 Continue and read it. Otherwise the final response (an
// authentication or authorization failure, a missing bucket ...) to send instead, without
// reading the body; it is journaled and logged like any response.
std::optional<http::Response> serve_expect(Runtime& rt, http::Request& req);

// A fresh request id: 16 upper-case hex digits, as S3's x-amz-request-id.
std::string new_request_id();

}  // namespace localaws
