// Everything the server is configured with (flags and LOCALAWS_* variables, see main.cc).
#pragma once
#include <string>

#include "auth/authenticator.h"

namespace localaws {

struct Config {
  std::string host = "127.0.0.1";
  int port = 4566;                 // 0 picks a free port
  std::string data_dir = "./data";  // ignored with in_memory
  bool in_memory = false;
  std::string region = "us-east-1";
  auth::Mode auth_mode = auth::Mode::kVerify;
  std::string accounts_file;
  bool fsync = false;
  std::string log_level = "info";
  std::string ready_file;
  int threads = 0;  // worker threads (requests handled at once); 0 = default
  // Open connections, idle ones included; 0 = 10000 or what the open-file limit allows.
  int max_connections = 0;
  int header_timeout_s = 20;  // first byte of a request to the end of its header block
  int idle_timeout_s = 60;    // keep-alive connection with no request started
  bool access_log = true;
  std::string fixtures;  // a fixture file or directory loaded at start
  std::string init_dir;  // executables run in name order once the server is ready
  // When set, /_localaws/* (except GET health) needs "Authorization: Bearer <token>" or
  // "X-Localaws-Token: <token>": on a shared CI host anyone who can reach the port could
  // otherwise reset or restore everyone's data.
  std::string control_token;
  double ttl_interval = 60;        // seconds between DynamoDB time-to-live sweeps
  // DynamoDB Streams: a shard closes and a child shard opens after this many records, or (when
  // non-zero) on the first write after it is this many seconds old.
  int64_t stream_shard_records = 100000;
  double stream_shard_seconds = 0;
  double lifecycle_interval = 60;  // seconds between S3 lifecycle sweeps
  // S3 bucket defaults: false = AWS since April 2023 (Block Public Access on, ACLs disabled);
  // true (--s3-defaults legacy) = before (ACLs on, no public access block).
  bool s3_legacy_defaults = false;
  // Extra domain for virtual-hosted S3 requests (<bucket>.<domain>, <bucket>.s3.<domain>) besides
  // localhost and amazonaws.com.
  std::string s3_domain;
  // HTTPS (server/tls_front.h): tls = the listener on `port` speaks HTTPS; tls_port >= 0 = an
  // HTTPS listener beside the HTTP one (0 = a free port). The CA is DATA_DIR/tls/ca.pem unless
  // tls_ca names a PEM file with a CA certificate and key.
  bool tls = false;
  int tls_port = -1;
  std::string tls_ca;
};

}  // namespace localaws
