// The run lock (loaders/run_lock.hpp) in both dialects: a whole run excludes every run, a
// shard run the same shard and whole runs; a released lock can be taken again; a running row
// the new holder's lock covers becomes abandoned when it begins its run; a PostgreSQL holder
// whose process has ended is waited for.
#include <gtest/gtest.h>

#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "loaders/run_lock.hpp"
#include "loaders/store.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl {
namespace {

class RunLockTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = GetParam() == "sqlite" ? "sqlite:" + dir_.file("etl.db") : test::PgServer::shared().fresh_database();
    store_ = open_store(url_);
  }
  bool refused(const std::string& shard) {
    try {
      take_run_lock(url_, shard);
      return false;
    } catch (const RunLockedError& e) {
      EXPECT_EQ(e.holder_pid(), getpid()) << e.what();  // the holder is this process
      EXPECT_NE(std::string(e.what()).find("another run holds the database (pid "), std::string::npos) << e.what();
      return true;
    }
  }

  test::TempDir dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_P(RunLockTest, AWholeRunExcludesEveryRunAndAShardOnlyItsOwnAndWholeRuns) {
  {
    const auto whole = take_run_lock(url_, "1/1");
    EXPECT_TRUE(refused("1/1"));
    EXPECT_TRUE(refused("2/3"));
  }
  const auto first = take_run_lock(url_, "1/2");
  EXPECT_TRUE(refused("1/2"));
  EXPECT_NO_THROW(take_run_lock(url_, "2/2"));  // N machines fill one database together
  EXPECT_THROW(take_run_lock(url_, "1/1"), RunLockedError);
}

TEST_P(RunLockTest, BeginningARunAbandonsTheRunningRowsItsLockCovers) {
  const auto begin = [&](const std::string& shard) {
    RunInfo info;
    info.command = "etl run " + shard;
    info.shard = shard;
    return store_->begin_run(info, 1'800'000'000);
  };
  const std::int64_t killed_shard = begin("1/2"), other_shard = begin("2/2");
  begin("1/2");  // shard 1/2's lock: its earlier row and whole runs' rows, not 2/2's
  auto status = [&](std::int64_t id) {
    for (const RunRow& r : store_->recent_runs(10))
      if (r.id == id) return r.status;
    ADD_FAILURE() << "no run " << id;
    return RunStatus::failed;
  };
  EXPECT_EQ(status(killed_shard), RunStatus::abandoned);
  EXPECT_EQ(status(other_shard), RunStatus::running);
  const std::int64_t whole = begin("1/1");  // a whole run's lock covers every run
  EXPECT_EQ(status(other_shard), RunStatus::abandoned);
  EXPECT_EQ(status(whole), RunStatus::running);
}

// A killed run never unlocks: its backend holds the lock until the server has ended it, a
// moment after the process. A run started in that moment waits for it instead of refusing.
TEST(PostgresRunLock, AHolderWhoseProcessHasEndedIsWaitedFor) {
  const std::string url = test::PgServer::shared().fresh_database();
  const pid_t ended = fork();
  if (ended == 0) _exit(0);
  waitpid(ended, nullptr, 0);
  // The lock as a run of that process held it: its pid in the application name, the whole-run key.
  PGconn* holder = PQconnectdb((url + "?application_name=propetl-run-lock%20pid%20" + std::to_string(ended)).c_str());
  ASSERT_EQ(PQstatus(holder), CONNECTION_OK) << PQerrorMessage(holder);
  PQclear(PQexec(holder, "SELECT pg_advisory_lock(1886547824, 0)"));  // kLockClass "prop", object 0
  std::thread server_ends_it([holder] {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    PQfinish(holder);
  });
  EXPECT_NO_THROW(take_run_lock(url, "1/1"));
  server_ends_it.join();
}

INSTANTIATE_TEST_SUITE_P(Dialects, RunLockTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace etl
