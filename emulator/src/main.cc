// localaws: a local emulator of Amazon S3 and Amazon DynamoDB.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "common/log.h"
#include "server/server.h"

namespace {

localaws::Server* g_server = nullptr;

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
    if (g_server) g_server->stop();
  }).detach();
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
                 "Write the endpoint (http://host:port) to this file once listening")
      ->envname("LOCALAWS_READY_FILE");
  app.add_flag("--print-endpoint", print_endpoint, "Print only the endpoint on stdout once listening")
      ->envname("LOCALAWS_PRINT_ENDPOINT");
  app.add_option("--threads", cfg.threads, "Worker threads (0: 128, enough for many keep-alive connections)")
      ->envname("LOCALAWS_THREADS")->check(CLI::Range(0, 4096));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
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
    std::fprintf(stderr, "localaws: cannot listen on %s:%d (is the port in use?)\n", cfg.host.c_str(), cfg.port);
    return 1;
  }
  g_server = server.get();
  std::string endpoint = server->endpoint();
  if (print_endpoint) {
    std::printf("%s\n", endpoint.c_str());
    std::fflush(stdout);
  } else {
    log::info("localaws " LOCALAWS_VERSION " listening on " + endpoint + " (region " + cfg.region + ", auth " + auth +
              ", " + (cfg.in_memory ? std::string("in memory") : "data in " + cfg.data_dir) + ")");
  }
  if (!cfg.ready_file.empty()) {
    // Write then rename, so a watcher never reads a half-written file.
    std::string tmp = cfg.ready_file + ".tmp";
    { std::ofstream(tmp) << endpoint << "\n"; }
    std::filesystem::rename(tmp, cfg.ready_file);
  }
  server->run();
  g_server = nullptr;
  server.reset();
  log::info("localaws stopped");
  return 0;
}
