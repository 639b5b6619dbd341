// Tables as last read, so that an item request neither reads the ddb_tables row nor parses the
// table's metadata JSON. Entries are tagged with the generation of the database's "ddb_tables"
// watch at which they were read (store.cc calls Connection::changed("ddb_tables") on every write
// of a table row) and serve only transactions that began at that generation.
// One cache per DynamoDB service instance; bounded (cleared whole when full).
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "storage/sqlite.h"

namespace localaws::ddb {

struct Table;

class TableCache {
 public:
  static constexpr const char* kWatch = "ddb_tables";
  explicit TableCache(storage::Database& db) : watch_(db.watch(kWatch)) {}

  // The table cached for this transaction, or null.
  std::shared_ptr<const Table> get(const storage::Connection& c, const std::string& key);
  // Keeps t as read by c's transaction (unless that transaction changed tables itself).
  void put(const storage::Connection& c, const std::string& key, const Table& t);
  static std::string key(const std::string& account, const std::string& region, const std::string& name) {
    return account + '\n' + region + '\n' + name;
  }

 private:
  storage::Watch& watch_;
  std::mutex mu_;
  std::unordered_map<std::string, std::pair<uint64_t, std::shared_ptr<const Table>>> entries_;
};

}  // namespace localaws::ddb
