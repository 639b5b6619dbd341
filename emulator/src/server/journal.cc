#include "server/journal.h"

namespace localaws {

void Journal::add(JournalEntry e) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(std::move(e));
  while (entries_.size() > capacity_) entries_.pop_front();
}

std::vector<JournalEntry> Journal::recent(size_t limit) const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = std::min(limit, entries_.size());
  return std::vector<JournalEntry>(entries_.end() - static_cast<std::ptrdiff_t>(n), entries_.end());
}

void Journal::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
}

}  // namespace localaws
