// Bounds the number of properties between discovery and the load batch, so memory stays
// flat however big the area is. Discovery (its own thread, never a TBB worker) blocks on
// acquire; every item gives its unit back when it is skipped, loaded or dropped.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace etl {

class WorkGate {
 public:
  explicit WorkGate(std::size_t capacity) : available_(capacity) {}

  // Waits for n units; returns false if the gate was closed while waiting.
  bool acquire(std::size_t n) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return closed_ || available_ >= n; });
    if (closed_) return false;
    available_ -= n;
    return true;
  }

  void release(std::size_t n) {
    {
      std::lock_guard lock(mutex_);
      available_ += n;
    }
    cv_.notify_all();
  }

  // Wakes every waiter for good (stop requested).
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::size_t available_;
  bool closed_ = false;
};

// One unit of a WorkGate, given back on destruction or by release().
class GateUnit {
 public:
  GateUnit() = default;
  explicit GateUnit(WorkGate* gate) : gate_(gate) {}
  GateUnit(GateUnit&& o) noexcept : gate_(o.gate_) { o.gate_ = nullptr; }
  GateUnit& operator=(GateUnit&& o) noexcept {
    if (this != &o) {
      release();
      gate_ = o.gate_;
      o.gate_ = nullptr;
    }
    return *this;
  }
  GateUnit(const GateUnit&) = delete;
  GateUnit& operator=(const GateUnit&) = delete;
  ~GateUnit() { release(); }

  void release() {
    if (gate_) gate_->release(1);
    gate_ = nullptr;
  }

 private:
  WorkGate* gate_ = nullptr;
};

}  // namespace etl
