// localaws: a local emulator of Amazon S3 and Amazon DynamoDB.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>
#include <algorithm>
#include <sys/wait.h>
#include <unistd.h>

#include "control/fixtures.h"

#include "common/log.h"
#include "common/suggest.h"
#include "server/server.h"

namespace {

// The signal thread stops the server while main() may be returning from run() and destroying
// it: the mutex keeps stop() and the destruction apart (ASan found stop() reading a freed Server).
std::mutex g_server_mu;
localaws::Server* g_server = nullptr;
bool g_stop_requested = false;  // guarded by g_server_mu

void install_signal_thread() {
  // Block SIGINT/SIGTERM in every thread and wait for them on one thread, which stops the
  // server: in-flight requests finish, then run() returns.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int sig = 0;
    sigwait(&set, &sig);
    localaws::log::info(std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", shutting down");
    std::lock_guard<std::mutex> lock(g_server_mu);
    g_stop_requested = true;  // a signal during start-up stops the server as soon as it exists
    if (g_server) g_server->stop();
  }).detach();
}

// Runs every executable file of `dir` in name order, as LocalStack's ready.d does, with the
// endpoint and default credentials in its environment. A failing script is logged, not fatal.
void run_init_scripts(const std::string& dir, const std::string& endpoint, const std::string& region,
                      const std::string& ca_bundle) {
  std::vector<std::filesystem::path> scripts;
  for (auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file() && ::access(e.path().c_str(), X_OK) == 0) scripts.push_back(e.path());
  }
  std::sort(scripts.begin(), scripts.end());
  // The environment is built before fork(): after it, only async-signal-safe calls are allowed.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; e++) {
    std::string kv = *e;
    if (kv.rfind("AWS_ENDPOINT_URL=", 0) == 0 || kv.rfind("LOCALAWS_ENDPOINT=", 0) == 0) continue;
    if (!ca_bundle.empty() && kv.rfind("AWS_CA_BUNDLE=", 0) == 0) continue;
    env_strings.push_back(kv);
  }
  env_strings.push_back("AWS_ENDPOINT_URL=" + endpoint);
  env_strings.push_back("LOCALAWS_ENDPOINT=" + endpoint);
  for (const char* k : {"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test"}) {
    std::string name = std::string(k).substr(0, std::string(k).find('=') + 1);
    if (!getenv(name.substr(0, name.size() - 1).c_str())) env_strings.push_back(k);
  }
  if (!ca_bundle.empty()) env_strings.push_back("AWS_CA_BUNDLE=" + ca_bundle);
  if (!getenv("AWS_DEFAULT_REGION")) env_strings.push_back("AWS_DEFAULT_REGION=" + region);
  if (!getenv("AWS_REGION")) env_strings.push_back("AWS_REGION=" + region);
  std::vector<char*> envp;
  for (auto& kv : env_strings) envp.push_back(kv.data());
  envp.push_back(nullptr);
  for (auto& script : scripts) {
    std::string path = script.string();
    pid_t pid = fork();
    if (pid == 0) {
      sigset_t none;
      sigemptyset(&none);
      pthread_sigmask(SIG_SETMASK, &none, nullptr);
      char* argv[] = {path.data(), nullptr};
      execve(path.c_str(), argv, envp.data());
      _exit(127);
    }
    int status = 0;
    if (pid > 0) waitpid(pid, &status, 0);
    int code = pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 0) {
      localaws::log::info("init script " + script.filename().string() + " finished");
    } else {
      localaws::log::warn("init script " + script.filename().string() + " failed with exit code " +
                          std::to_string(code));
    }
  }
}

// CLI11 refuses an unknown flag with "The following arguments were not expected: 4566 --prot":
// name the flag and the one it is probably a typo of. Returns the exit status.
int refuse_unknown_flags(const CLI::App& app, const CLI::ExtrasError& e) {
  std::vector<std::string> flags;
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& name : o->get_lnames()) flags.push_back("--" + name);
  }
  bool named = false;
  for (const std::string& arg : app.remaining()) {
    if (arg.size() < 2 || arg[0] != '-') continue;  // a value, most likely the unknown flag's
    std::string flag = arg.substr(0, arg.find('='));
    std::string near = localaws::nearest_name(flag, flags);
    std::fprintf(stderr, "localaws: unknown option %s%s\n", flag.c_str(),
                 near.empty() ? "" : ("; did you mean " + near + "?").c_str());
    named = true;
  }
  if (!named) std::fprintf(stderr, "localaws: %s\n", e.what());
  std::fprintf(stderr, "Run with --help for more information.\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace localaws;
  Config cfg;
  std::string auth = "verify";
  bool print_endpoint = false;

  CLI::App app{"localaws: a local emulator of Amazon S3 and Amazon DynamoDB.\n"
               "Every flag can also be set with the LOCALAWS_<FLAG> environment variable\n"
               "(for example LOCALAWS_PORT=4567, LOCALAWS_IN_MEMORY=1)."};
  app.option_defaults()->always_capture_default();
  app.add_option("--host", cfg.host, "Address to listen on (0.0.0.0 exposes it to the network)")
      ->envname("LOCALAWS_HOST");
  app.add_option("--port", cfg.port, "Port to listen on; 0 picks a free port")
      ->envname("LOCALAWS_PORT")->check(CLI::Range(0, 65535));
  app.add_option("--data-dir", cfg.data_dir, "Directory for the database and object bytes (kept across restarts)")
      ->envname("LOCALAWS_DATA_DIR");
  app.add_flag("--in-memory", cfg.in_memory,
               "Keep metadata in memory and object bytes in a temporary directory removed on exit")
      ->envname("LOCALAWS_IN_MEMORY");
  app.add_option("--region", cfg.region, "Default region reported for buckets and tables")->envname("LOCALAWS_REGION");
  app.add_option("--auth", auth,
                 "verify: check SigV4 for known keys, accept unknown keys as the default account; "
                 "strict: also refuse unknown keys; off: no signature checks")
      ->envname("LOCALAWS_AUTH")->check(CLI::IsMember({"verify", "strict", "off"}));
  app.add_option("--accounts", cfg.accounts_file,
                 "JSON file listing accounts: [{accessKeyId, secretAccessKey, accountId, canonicalUserId?, "
                 "displayName?, email?}]")
      ->envname("LOCALAWS_ACCOUNTS")->check(CLI::ExistingFile);
  app.add_flag("--fsync", cfg.fsync, "fsync object files, directories and the database on every write")
      ->envname("LOCALAWS_FSYNC");
  app.add_option("--log-level", cfg.log_level, "debug, info (one access-log line per request), warn, error, off")
      ->envname("LOCALAWS_LOG_LEVEL")->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
  app.add_option("--ready-file", cfg.ready_file,
                 "Write the endpoint (http://host:port) to this file once listening (with --tls-port, the "
                 "HTTPS endpoint on a second line)")
      ->envname("LOCALAWS_READY_FILE");
  app.add_flag("--print-endpoint", print_endpoint,
               "Print only the endpoint on stdout once listening (with --tls-port, the HTTPS one on a second line)")
      ->envname("LOCALAWS_PRINT_ENDPOINT");
  app.add_option("--fixtures", cfg.fixtures,
                 "Fixture file or directory (*.json, loaded in name order) to load at start; see docs/fixtures.md")
      ->envname("LOCALAWS_FIXTURES")->check(CLI::ExistingPath);
  app.add_option("--init-dir", cfg.init_dir,
                 "Directory of executables run once, in name order, when the server is ready "
                 "(with AWS_ENDPOINT_URL and test credentials in their environment)")
      ->envname("LOCALAWS_INIT_DIR")->check(CLI::ExistingDirectory);
  app.add_option("--control-token", cfg.control_token,
                 "Require this token (Authorization: Bearer TOKEN or X-Localaws-Token: TOKEN) for the "
                 "control API /_localaws/* except GET /_localaws/health")
      ->envname("LOCALAWS_CONTROL_TOKEN");
  app.add_option("--ttl-interval", cfg.ttl_interval, "Seconds between sweeps deleting expired DynamoDB items (TTL)")
      ->envname("LOCALAWS_TTL_INTERVAL")->check(CLI::Range(0.05, 86400.0));
  app.add_option("--stream-shard-records", cfg.stream_shard_records,
                 "DynamoDB Streams: records per shard before a child shard opens (default 100000)")
      ->envname("LOCALAWS_STREAM_SHARD_RECORDS")->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  app.add_option("--stream-shard-seconds", cfg.stream_shard_seconds,
                 "DynamoDB Streams: age in seconds after which a shard is replaced by a child shard on the "
                 "next write (0 = never, the default)")
      ->envname("LOCALAWS_STREAM_SHARD_SECONDS")->check(CLI::Range(0.0, 1e9));
  app.add_option("--lifecycle-interval", cfg.lifecycle_interval,
                 "Seconds between S3 lifecycle sweeps (expirations, transitions, aborted uploads)")
      ->envname("LOCALAWS_LIFECYCLE_INTERVAL")->check(CLI::Range(0.05, 86400.0));
  std::string s3_defaults = "modern";
  app.add_option("--s3-defaults", s3_defaults,
                 "modern: new buckets as AWS since April 2023 (Block Public Access on, ACLs disabled); "
                 "legacy: as before (ACLs on, no public access block)")
      ->envname("LOCALAWS_S3_DEFAULTS")->check(CLI::IsMember({"modern", "legacy"}));
  app.add_option("--s3-domain", cfg.s3_domain,
                 "Domain for virtual-hosted S3 addressing (<bucket>.<domain>) besides localhost")
      ->envname("LOCALAWS_S3_DOMAIN");
  app.add_flag("--tls", cfg.tls,
               "Serve HTTPS instead of HTTP on --port, with a certificate from the CA in DATA_DIR/tls/ca.pem "
               "(generated on first use; trust it with AWS_CA_BUNDLE)")
      ->envname("LOCALAWS_TLS");
  app.add_option("--tls-port", cfg.tls_port,
                 "Also serve HTTPS on this port (0 picks a free port), beside HTTP on --port; the ready "
                 "file then holds the HTTP endpoint on line 1 and the HTTPS one on line 2")
      ->envname("LOCALAWS_TLS_PORT")->check(CLI::Range(0, 65535));
  app.add_option("--tls-ca", cfg.tls_ca,
                 "PEM file with a CA certificate and its private key to sign the server certificate with, "
                 "instead of the CA localaws generates")
      ->envname("LOCALAWS_TLS_CA")->check(CLI::ExistingFile);
  app.add_option("--threads", cfg.threads,
                 "Worker threads: requests handled at once (0: 64). Idle and half-sent connections use none")
      ->envname("LOCALAWS_THREADS")->check(CLI::Range(0, 4096));
  app.add_option("--max-connections", cfg.max_connections,
                 "Open connections allowed at once, idle ones included; more get 503 SlowDown "
                 "(0: 10000, or fewer when the open-file limit is lower)")
      ->envname("LOCALAWS_MAX_CONNECTIONS")->check(CLI::Range(0, 1000000));
  app.add_option("--header-timeout", cfg.header_timeout_s,
                 "Seconds a client has to send a request's whole header block once it has begun")
      ->envname("LOCALAWS_HEADER_TIMEOUT")->check(CLI::Range(1, 3600));
  app.add_option("--idle-timeout", cfg.idle_timeout_s, "Seconds an idle keep-alive connection stays open")
      ->envname("LOCALAWS_IDLE_TIMEOUT")->check(CLI::Range(1, 86400));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    return refuse_unknown_flags(app, e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  // A data directory named on the command line and --in-memory contradict each other; one from
  // the environment (the container image sets LOCALAWS_DATA_DIR) yields to --in-memory, said aloud.
  if (cfg.in_memory) {
    bool dir_flag = false;
    for (int i = 1; i < argc; ++i) {
      std::string_view a = argv[i];
      if (a == "--") break;
      dir_flag = dir_flag || a == "--data-dir" || a.rfind("--data-dir=", 0) == 0;
    }
    if (dir_flag) {
      std::fprintf(stderr, "localaws: --in-memory and --data-dir cannot be used together\n");
      return 2;
    }
    if (std::getenv("LOCALAWS_DATA_DIR"))
      std::fprintf(stderr, "localaws: --in-memory: LOCALAWS_DATA_DIR (%s) is not used\n", std::getenv("LOCALAWS_DATA_DIR"));
  }
  if (cfg.tls && cfg.tls_port >= 0) {
    std::fprintf(stderr, "localaws: use --tls (HTTPS on --port) or --tls-port (HTTPS beside HTTP), not both\n");
    return 2;
  }
  cfg.s3_legacy_defaults = s3_defaults == "legacy";
  cfg.auth_mode = auth == "strict" ? auth::Mode::kStrict : auth == "off" ? auth::Mode::kOff : auth::Mode::kVerify;
  log::Level level;
  log::parse_level(cfg.log_level, level);
  log::set_level(level);

  install_signal_thread();
  std::unique_ptr<Server> server;
  try {
    server = std::make_unique<Server>(cfg);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "localaws: %s\n", e.what());
    return 1;
  }
  if (!server->bind()) {
    std::string ports = std::to_string(cfg.port) + (cfg.tls_port >= 0 ? " or " + std::to_string(cfg.tls_port) : "");
    std::fprintf(stderr, "localaws: cannot listen on %s:%s (is the port in use?)\n", cfg.host.c_str(), ports.c_str());
    return 1;
  }
  {
    std::lock_guard<std::mutex> lock(g_server_mu);
    g_server = server.get();
    if (g_stop_requested) server->stop();  // the serve loop below then returns at once
  }
  std::string endpoint = server->endpoint();
  std::string endpoint_lines;  // one endpoint a line: HTTP first, then HTTPS with --tls-port
  for (auto& e : server->endpoints()) endpoint_lines += e + "\n";
  if (!cfg.fixtures.empty()) {
    try {
      auto stats = control::load_fixture_path(server->runtime(), cfg.fixtures);
      log::info("fixtures loaded from " + cfg.fixtures + ": " + stats.to_json().dump());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "localaws: fixtures: %s\n", e.what());
      return 1;
    }
  }
  if (print_endpoint) {
    std::printf("%s", endpoint_lines.c_str());
    std::fflush(stdout);
  } else {
    std::string listening;
    for (auto& e : server->endpoints()) listening += (listening.empty() ? "" : " and ") + e;
    log::info("localaws " LOCALAWS_VERSION " listening on " + listening + " (region " + cfg.region + ", auth " + auth +
              ", " + (cfg.in_memory ? std::string("in memory") : "data in " + cfg.data_dir) +
              "); console: " + endpoint + "/_localaws/console");
  }
  if (!server->tls_ca_path().empty())
    log::info("TLS CA: " + server->tls_ca_path() + " (AWS_CA_BUNDLE=" + server->tls_ca_path() + ")");
  if (!cfg.ready_file.empty()) {
    // Write then rename, so a watcher never reads a half-written file.
    std::string tmp = cfg.ready_file + ".tmp";
    { std::ofstream(tmp) << endpoint_lines; }
    std::filesystem::rename(tmp, cfg.ready_file);
  }
  std::thread init_thread;
  if (!cfg.init_dir.empty()) {
    init_thread = std::thread([&] { run_init_scripts(cfg.init_dir, endpoint, cfg.region, server->tls_ca_path()); });
  }
  server->run();
  if (init_thread.joinable()) init_thread.join();
  {
    std::lock_guard<std::mutex> lock(g_server_mu);
    g_server = nullptr;
  }
  server.reset();
  log::info("localaws stopped");
  return 0;
}
