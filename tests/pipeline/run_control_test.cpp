// RunControl: the one place that decides whether the run goes on, and what it admits.
#include "etl/pipeline/run_control.hpp"

#include <gtest/gtest.h>

namespace etl {
namespace {

TEST(RunControl, TheLimitAdmitsExactlyThatMany) {
  std::atomic<int> stop{0};
  RunControl control(stop, 3, false);
  EXPECT_TRUE(control.limit_within(3));
  EXPECT_FALSE(control.limit_within(2));
  EXPECT_TRUE(control.admit("a"));
  EXPECT_TRUE(control.admit("b"));
  EXPECT_FALSE(control.limit_reached());
  EXPECT_TRUE(control.admit("c"));
  EXPECT_TRUE(control.limit_reached()) << "admitting the last one reaches the limit";
  EXPECT_TRUE(control.limit_used_up());
  EXPECT_FALSE(control.admit("d"));
  EXPECT_EQ(control.in_flight(), 3) << "one in flight per admitted item, none for a refused one";
  control.settle();
  EXPECT_EQ(control.in_flight(), 2);
  EXPECT_FALSE(control.admit("e")) << "a settled item gives no slot back";
  EXPECT_TRUE(control.take_result().limit_reached);
}

TEST(RunControl, NoLimitNeverRunsOut) {
  std::atomic<int> stop{0};
  RunControl control(stop, 0, false);
  for (int i = 0; i < 10'000; ++i) ASSERT_TRUE(control.admit(std::to_string(i)));
  EXPECT_EQ(control.in_flight(), 10'000);
  EXPECT_FALSE(control.limit_reached());
  EXPECT_FALSE(control.limit_used_up());
  EXPECT_FALSE(control.limit_within(1'000'000));
}

TEST(RunControl, TheFirstFatalErrorIsKeptAndStopsTheRun) {
  std::atomic<int> stop{0};
  RunControl control(stop, 0, false);
  EXPECT_FALSE(control.stopping());
  control.fail_fatally("database write failed: disk full");
  control.fail_fatally("database lookup failed: gone");
  EXPECT_TRUE(control.stopping());
  EXPECT_TRUE(control.fatal());
  const PipelineResult r = control.take_result();
  EXPECT_EQ(r.fatal_error, "database write failed: disk full");
  EXPECT_FALSE(r.interrupted) << "a fatal error is not a signal";
}

TEST(RunControl, ASignalStopsAndIsAnInterruption) {
  std::atomic<int> stop{0};
  RunControl control(stop, 0, false);
  stop = 2;
  EXPECT_TRUE(control.stopping());
  EXPECT_FALSE(control.fatal());
  EXPECT_TRUE(control.take_result().interrupted);
}

TEST(RunControl, DryRunRecordsInsteadOfFetching) {
  std::atomic<int> stop{0};
  RunControl wet(stop, 0, false);
  EXPECT_TRUE(wet.admit("a"));
  EXPECT_TRUE(wet.take_result().would_fetch.empty());
  RunControl dry(stop, 2, true);
  EXPECT_FALSE(dry.admit("a"));
  EXPECT_FALSE(dry.admit("b"));
  EXPECT_FALSE(dry.admit("c")) << "past the limit: not recorded either";
  EXPECT_EQ(dry.in_flight(), 0) << "a dry run sends nothing on";
  EXPECT_TRUE(dry.limit_reached());
  EXPECT_EQ(dry.take_result().would_fetch, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace etl
