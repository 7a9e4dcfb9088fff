// OutsideWork::run runs what is put into a graph from other threads, however late it comes,
// and returns only once the graph is idle and no outside work is pending.
#include "etl/pipeline/outside_work.hpp"

#include <gtest/gtest.h>
#include <tbb/flow_graph.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace etl {
namespace {

namespace flow = tbb::flow;

TEST(OutsideWork, ReturnsAtOnceWhenNothingIsPending) {
  flow::graph graph;
  OutsideWork outside;
  outside.run(graph);
}

// Two outside threads put with pauses between (the graph is idle meanwhile); a task starts
// more outside work (as a fetch does) whose put comes from a third thread after the task
// ended. run() returns after the last of them, with every message processed.
TEST(OutsideWork, RunsEveryLatePutAndReturnsAfterTheLastOutsideWork) {
  flow::graph graph;
  OutsideWork outside;
  std::atomic<int> done{0};
  std::vector<std::thread> late;
  std::mutex late_mutex;
  flow::function_node<int> sink(graph, flow::unlimited, [&](int) { done += 1; });
  flow::function_node<int> node(graph, flow::serial, [&](int v) {
    done += 1;
    if (v % 10 != 0) return;
    outside.begin();  // outside work started by a task, finished on another thread
    const std::lock_guard lock(late_mutex);
    late.emplace_back([&, v] {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      sink.try_put(v);
      outside.put_and_end();
    });
  });
  std::vector<std::thread> sources;
  for (int s = 0; s < 2; ++s) {
    outside.begin();
    sources.emplace_back([&, s] {
      for (int i = 0; i < 50; ++i) {
        if (i % 10 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        node.try_put(s * 50 + i);
        outside.put();
      }
      outside.end();
    });
  }
  outside.run(graph);
  EXPECT_EQ(done.load(), 100 + 10) << "every message, and the late ones the tasks started";
  for (auto& t : sources) t.join();
  const std::lock_guard lock(late_mutex);
  for (auto& t : late) t.join();
}

}  // namespace
}  // namespace etl
