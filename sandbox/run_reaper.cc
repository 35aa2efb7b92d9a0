#include "run_reaper.h"

namespace gradebox::sandbox {

RunReaper::RunReaper() : reaper_([this] { reap_until_stopped(); }) {}

RunReaper::~RunReaper() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  retired_.notify_all();
  reaper_.join();
}

void RunReaper::retire(std::unique_ptr<WarmInit> init) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_.push_back(std::move(init));
  }
  retired_.notify_all();
}

// ~WarmInit reaps the outer; ~RunCgroup then removes the directories.
void RunReaper::reap_until_stopped() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    retired_.wait(lock, [this] { return stopping_ || !finished_.empty(); });
    if (finished_.empty()) return;  // stopping, and nothing left to finish
    std::unique_ptr<WarmInit> init = std::move(finished_.front());
    finished_.pop_front();
    lock.unlock();
    init.reset();
    lock.lock();
  }
}

}  // namespace gradebox::sandbox
