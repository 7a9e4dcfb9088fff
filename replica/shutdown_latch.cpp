#include "replica/shutdown_latch.hpp"

namespace replica {

void ShutdownLatch::trigger() {
  {
    std::lock_guard lock(mutex_);
    triggered_ = true;
  }
  cv_.notify_all();
}

bool ShutdownLatch::triggered() const {
  std::lock_guard lock(mutex_);
  return triggered_;
}

bool ShutdownLatch::sleep_for(std::chrono::milliseconds d) const {
  std::unique_lock lock(mutex_);
  return !cv_.wait_for(lock, d, [this] { return triggered_; });
}

}  // namespace replica
