// Drives one service (S3 or DynamoDB) in-process, the way server.cc does, through its public
// Service interface only: an in-memory Runtime, a signed-in principal, handle() then finish().
// An exception escaping handle() would be a 500 InternalError for the client, which bad input
// must never cause, so it aborts the run.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "server/runtime.h"
#include "server/service.h"

namespace localaws::fuzz {

inline Runtime& runtime() {
  static Runtime* rt = [] {
    Config cfg;
    cfg.in_memory = true;
    cfg.log_level = "off";
    cfg.access_log = false;
    return new Runtime(cfg);  // never freed: the fuzzer exits without unwinding
  }();
  return *rt;
}

inline auth::Principal principal() {
  auto& rt = runtime();
  return auth::Principal::from(rt.accounts.default_account(), "test");
}

inline void handle(Service& svc, http::Request& req) {
  http::Response res;
  try {
    svc.handle(req, principal(), res);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "handle() threw: %s\n", e.what());
    std::abort();
  }
  svc.finish(req, res);
}

}  // namespace localaws::fuzz
