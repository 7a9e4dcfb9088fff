// Runs a flow graph's tasks on the calling thread without spinning while the graph waits on
// work outside it: discovery's thread and the HTTP requests in flight, which put into the
// graph when they complete. A thread in tbb::flow::graph::wait_for_all() with such work
// pending (held by reserve_wait) spins: oneTBB's waiter yields ~100 times after each task
// before it sleeps, 110,000 sched_yield calls for 100 properties fetched at 200 ms latency.
// Here the graph is waited for only while it has tasks; between them the thread sleeps on a
// condition variable until the outside puts something or has finished.
#pragma once

#include <tbb/flow_graph.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace etl {

class OutsideWork {
 public:
  // Work that will put into the graph has started (a request sent, discovery begun).
  void begin();
  // It has put into the graph (call after the try_put) or finished without putting.
  void put();
  void end();
  void put_and_end();

  // Returns once the graph has no tasks and no outside work is pending.
  void run(tbb::flow::graph& graph);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::int64_t pending_ = 0;
  std::uint64_t puts_ = 0;
};

}  // namespace etl
