// Waits that shutdown can cut short: injected latency and hangs must not delay SIGTERM.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace replica {

class ShutdownLatch {
 public:
  void trigger();
  bool triggered() const;
  // Sleeps for `d`; returns false when woken early by trigger().
  bool sleep_for(std::chrono::milliseconds d) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  bool triggered_ = false;
};

}  // namespace replica
