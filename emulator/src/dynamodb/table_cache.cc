#include "dynamodb/table_cache.h"

#include "dynamodb/store.h"

namespace localaws::ddb {

std::shared_ptr<const Table> TableCache::get(const storage::Connection& c, const std::string& key) {
  if (watch_.changing()) return nullptr;  // a write transaction is changing tables (maybe this one)
  uint64_t gen = c.seen(watch_);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.first != gen) return nullptr;
  return it->second.second;
}

void TableCache::put(const storage::Connection& c, const std::string& key, const Table& t) {
  if (watch_.changing()) return;
  auto entry = std::make_shared<const Table>(t);
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= 1024) entries_.clear();
  entries_[key] = {c.seen(watch_), std::move(entry)};
}

}  // namespace localaws::ddb
