// OutsideWork (see outside_work.hpp): a counter of work outside the graph and a condition variable.
#include "etl/pipeline/outside_work.hpp"

namespace etl {

void OutsideWork::begin() {
  const std::lock_guard lock(mutex_);
  ++pending_;
}

void OutsideWork::put() {
  {
    const std::lock_guard lock(mutex_);
    ++puts_;
  }
  changed_.notify_one();
}

void OutsideWork::end() {
  {
    const std::lock_guard lock(mutex_);
    --pending_;
  }
  changed_.notify_one();
}

void OutsideWork::put_and_end() {
  {
    const std::lock_guard lock(mutex_);
    ++puts_;
    --pending_;
  }
  changed_.notify_one();
}

void OutsideWork::run(tbb::flow::graph& graph) {
  std::unique_lock lock(mutex_);
  for (;;) {
    const std::uint64_t seen = puts_;
    lock.unlock();
    // Runs every task put so far (and those they put); returns as soon as none is left. A
    // task that starts outside work calls begin() before it returns.
    graph.wait_for_all();
    lock.lock();
    changed_.wait(lock, [&] { return puts_ != seen || pending_ == 0; });
    if (puts_ == seen && pending_ == 0) return;
  }
}

}  // namespace etl
