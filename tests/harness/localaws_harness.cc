#include "localaws_harness.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "common/crypto.h"
#include "common/log.h"
#include "server/server.h"

namespace fs = std::filesystem;

namespace localaws::testing {

Emulator::Emulator() : Emulator(Options{}) {}

Emulator::Emulator(Options options) : options_(std::move(options)) {
  scratch_dir_ = (fs::temp_directory_path() / ("localaws-harness-" + random_hex(6))).string();
  fs::create_directories(scratch_dir_);
  Config cfg;
  cfg.host = "127.0.0.1";
  cfg.port = 0;
  cfg.in_memory = options_.in_memory;
  cfg.data_dir = (fs::path(scratch_dir_) / "data").string();
  cfg.region = options_.region;
  cfg.auth_mode = options_.auth;
  cfg.accounts_file = options_.accounts_file;
  cfg.access_log = options_.access_log;
  cfg.tls = options_.tls;
  if (!options_.access_log && log::level() < log::Level::kWarn) log::set_level(log::Level::kWarn);
  server_ = std::make_unique<Server>(cfg);
  if (!server_->bind()) throw std::runtime_error("localaws harness: cannot bind a port on 127.0.0.1");
  server_->start();
  endpoint_ = server_->endpoint();
  // Empty files, so SDKs in child processes never read the developer's real configuration.
  std::ofstream(fs::path(scratch_dir_) / "aws-config").flush();
  std::ofstream(fs::path(scratch_dir_) / "aws-credentials").flush();
}

Emulator::~Emulator() {
  server_.reset();
  std::error_code ec;
  fs::remove_all(scratch_dir_, ec);
}

int Emulator::port() const { return server_->port(); }
const std::string& Emulator::ca_file() const { return server_->tls_ca_path(); }

void Emulator::reset() {
  auto& rt = server_->runtime();
  for (auto* s : rt.services()) s->reset();
  rt.sweep_orphan_blobs();
  rt.clock.reset();
  rt.faults.clear();
}

std::string Emulator::add_fault(const std::string& rule_json) {
  auto doc = nlohmann::json::parse(rule_json, nullptr, false);
  if (doc.is_discarded()) throw std::invalid_argument("localaws harness: the fault rule is not valid JSON");
  auto& rt = server_->runtime();
  auto status_of = [&rt](const std::string& service, const std::string& code) -> std::optional<int> {
    Service* s = rt.service(service);
    return s ? s->error_status(code) : std::nullopt;
  };
  return rt.faults.add(doc, status_of).at("id").get<std::string>();  // std::invalid_argument: the reason
}

void Emulator::remove_fault(const std::string& id) {
  if (!server_->runtime().faults.remove(id)) throw std::invalid_argument("localaws harness: no fault rule " + id);
}

void Emulator::clear_faults() { server_->runtime().faults.clear(); }

std::string Emulator::faults() const { return server_->runtime().faults.list().dump(); }

std::chrono::system_clock::time_point Emulator::now() const {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(server_->runtime().clock.now_ms()));
}
void Emulator::advance_clock(std::chrono::milliseconds by) { server_->runtime().clock.advance(by.count()); }
void Emulator::set_clock(std::chrono::system_clock::time_point at) {
  server_->runtime().clock.set(std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count());
}
void Emulator::freeze_clock(bool frozen) { server_->runtime().clock.freeze(frozen); }
void Emulator::real_clock() { server_->runtime().clock.reset(); }
std::string Emulator::run_lifecycle() { return server_->runtime().service("s3")->run_timers().dump(); }
std::string Emulator::run_ttl() { return server_->runtime().service("dynamodb")->run_timers().dump(); }

void Emulator::reset(const std::string& service) {
  Service* s = server_->runtime().service(service);
  if (!s) throw std::invalid_argument("unknown service " + service + " (s3, dynamodb)");
  s->reset();
}

std::map<std::string, std::string> Emulator::environment() const {
  std::map<std::string, std::string> env = {
      {"AWS_ENDPOINT_URL", endpoint_},
      {"AWS_ACCESS_KEY_ID", access_key_id()},
      {"AWS_SECRET_ACCESS_KEY", secret_access_key()},
      {"AWS_REGION", options_.region},
      {"AWS_DEFAULT_REGION", options_.region},
      {"AWS_CONFIG_FILE", (fs::path(scratch_dir_) / "aws-config").string()},
      {"AWS_SHARED_CREDENTIALS_FILE", (fs::path(scratch_dir_) / "aws-credentials").string()},
  };
  if (options_.tls) env["AWS_CA_BUNDLE"] = ca_file();
  return env;
}

void Emulator::export_environment() const {
  ::unsetenv("AWS_PROFILE");
  ::unsetenv("AWS_SESSION_TOKEN");
  ::unsetenv("AWS_CA_BUNDLE");  // set again below for a tls emulator
  for (auto& [k, v] : environment()) ::setenv(k.c_str(), v.c_str(), 1);
}

}  // namespace localaws::testing
