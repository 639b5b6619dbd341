#include "server/worker_pool.h"

namespace localaws {

WorkerPool::WorkerPool(size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < n; i++) {
    workers_.push_back(std::make_unique<Worker>());
    Worker* w = workers_.back().get();
    w->thread = std::thread([this, w] { run(w); });
  }
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> job) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!idle_.empty()) {
    Worker* w = idle_.back();
    idle_.pop_back();
    w->job = std::move(job);
    w->cv.notify_one();
  } else {
    backlog_.push_back(std::move(job));
  }
}

bool WorkerPool::busy() {
  std::lock_guard<std::mutex> lock(mu_);
  return !backlog_.empty();
}

void WorkerPool::run(Worker* w) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!w->job && !backlog_.empty()) {
      w->job = std::move(backlog_.front());
      backlog_.pop_front();
    }
    if (w->job) {
      auto job = std::move(w->job);
      w->job = nullptr;
      lock.unlock();
      job();
      lock.lock();
      continue;
    }
    if (stopping_) return;
    idle_.push_back(w);
    w->cv.wait(lock, [&] { return w->job || stopping_; });
    if (!w->job) {  // woken to stop: leave the idle list
      for (auto it = idle_.begin(); it != idle_.end(); ++it) {
        if (*it == w) {
          idle_.erase(it);
          break;
        }
      }
    }
  }
}

void WorkerPool::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (joined_) return;
    joined_ = true;
    stopping_ = true;
    for (auto& w : workers_) w->cv.notify_one();
  }
  for (auto& w : workers_) w->thread.join();
}

}  // namespace localaws
