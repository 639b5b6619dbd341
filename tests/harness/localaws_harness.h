// localaws test harness: an emulator inside your Catch2 (or any) test process, on a free port,
// with its own temporary data, reset between tests.
//
//   localaws::testing::Emulator emu;           // in memory, port 0, credentials test/test
//   emu.endpoint();                            // "http://127.0.0.1:41234"
//   emu.reset();                               // empty every bucket and table
//   emu.advance_clock(std::chrono::hours(24 * 31)); emu.run_lifecycle();  // rules take effect
//   auto env = emu.environment();              // AWS_* variables for a child process
//   emu.add_fault(R"({"service": "s3", "error": "SlowDown", "count": 2})");  // watch retries
//   Emulator tls_emu(Options{.tls = true});    // https://..., trusted with tls_emu.ca_file()
//
// The emulator runs on background threads of the calling process; it stops in the destructor.
#pragma once
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "auth/authenticator.h"

namespace localaws {
class Server;
}

namespace localaws::testing {

struct Options {
  bool in_memory = true;            // false: a temporary data directory (removed at the end)
  std::string region = "us-east-1";
  auth::Mode auth = auth::Mode::kVerify;
  std::string accounts_file;        // extra accounts (see the README)
  bool access_log = false;
  // Serve HTTPS instead of HTTP (localaws --tls): endpoint() is https://127.0.0.1:PORT, with a
  // certificate from a CA generated for this emulator (ca_file(); AWS_CA_BUNDLE in environment()).
  bool tls = false;
};

class Emulator {
 public:
  Emulator();
  explicit Emulator(Options options);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  const std::string& endpoint() const { return endpoint_; }
  int port() const;
  // The CA certificate (PEM) that verifies the emulator's HTTPS certificate; "" without tls.
  const std::string& ca_file() const;
  const std::string& region() const { return options_.region; }
  std::string access_key_id() const { return "test"; }
  std::string secret_access_key() const { return "test"; }

  // Deletes every bucket, object, table and item (all services), returns the emulator clock to
  // real time and removes every fault rule, as POST /_localaws/reset.
  void reset();
  // Deletes one service's state: "s3" or "dynamodb". Throws std::invalid_argument otherwise.
  void reset(const std::string& service);

  // The emulator clock: "now" for S3 lifecycle, object timestamps and retention, multipart abort
  // rules, DynamoDB time to live and transaction tokens (never for signatures). Real time until
  // moved, as POST /_localaws/clock.
  std::chrono::system_clock::time_point now() const;
  void advance_clock(std::chrono::milliseconds by);
  void set_clock(std::chrono::system_clock::time_point at);
  void freeze_clock(bool frozen = true);
  void real_clock();
  // One sweep now, on the emulator clock, as POST /_localaws/lifecycle/run and /_localaws/ttl/run:
  // the JSON text of what it removed.
  std::string run_lifecycle();
  std::string run_ttl();

  // Fault injection (docs/harness.md "Fault injection"), as POST/DELETE /_localaws/faults:
  // add_fault takes a rule's JSON text, e.g. {"service": "s3", "operation": "PutObject",
  // "error": "SlowDown", "count": 2}, and returns its id ("f1"); it throws std::invalid_argument
  // with the reason when the rule is not valid (the 400 InvalidFault of the HTTP API).
  std::string add_fault(const std::string& rule_json);
  // Throws std::invalid_argument when no rule has this id.
  void remove_fault(const std::string& id);
  void clear_faults();
  // The rules with how often each fired: the JSON text of GET /_localaws/faults's "faults".
  std::string faults() const;

  // AWS_* variables that aim an SDK or the aws CLI at this emulator, and AWS_CONFIG_FILE /
  // AWS_SHARED_CREDENTIALS_FILE pointing at empty files so the user's real ~/.aws is never read;
  // with tls, AWS_CA_BUNDLE = ca_file().
  std::map<std::string, std::string> environment() const;
  // setenv() of environment() in this process (for code under test that reads the environment).
  void export_environment() const;

 private:
  Options options_;
  std::string scratch_dir_;
  std::unique_ptr<Server> server_;
  std::string endpoint_;
};

}  // namespace localaws::testing
