// Drives S3 or DynamoDB in-process, the way the server does: an in-memory Runtime, a signed-in
// principal, the one request pipeline. A 500 InternalError (a handler threw) is something bad
// input must never cause, so it aborts the run.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "pipeline/serve.h"
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

// Through the one pipeline (pipeline/serve.h) as the signed-in principal. serve() turns an
// exception into a 500, so a 500 here is a handler that threw.
inline void handle(http::Request& req) {
  auto who = principal();
  http::Response res = serve(runtime(), req, ServeOptions{&who, false});
  if (res.status == 500) {
    std::fprintf(stderr, "a handler failed (500): %s\n", res.body.c_str());
    std::abort();
  }
}

}  // namespace localaws::fuzz
