// The shared state of one running emulator: configuration, accounts, storage and services.
#pragma once
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "auth/accounts.h"
#include "auth/authenticator.h"
#include "common/clock.h"
#include "control/snapshots.h"
#include "server/config.h"
#include "server/faults.h"
#include "server/journal.h"
#include "server/service.h"
#include "storage/blob_store.h"
#include "storage/dir_lock.h"
#include "storage/sqlite.h"

namespace localaws {

struct Runtime {
  Config config;
  auth::Accounts accounts;
  std::unique_ptr<auth::Authenticator> authenticator;
  std::string data_root;  // where blobs (and the database, unless in memory) live
  std::unique_ptr<storage::DirLock> data_lock;  // held while the storage below is open
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<storage::BlobStore> blobs;
  std::unique_ptr<Service> s3;
  std::unique_ptr<Service> dynamodb;
  std::unique_ptr<control::Snapshots> snapshots;
  Journal journal;
  Faults faults;  // POST /_localaws/faults
  EmuClock clock;  // data-plane time (POST /_localaws/clock moves it)
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  bool remove_data_root_on_exit = false;

  // Opens storage under config (creating the data dir, or a temp dir for --in-memory), loads
  // accounts, creates the services and sweeps orphan blobs. Throws std::runtime_error with a
  // message fit for the user on failure.
  explicit Runtime(Config cfg);
  ~Runtime();

  std::vector<Service*> services() { return {s3.get(), dynamodb.get()}; }
  Service* service(const std::string& name);
  // Removes blobs no row points to; returns how many.
  size_t sweep_orphan_blobs();
};

}  // namespace localaws
