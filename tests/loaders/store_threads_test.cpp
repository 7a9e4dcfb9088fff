// The store's own lock: threads share one Store (one connection) without a lock of their own.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <thread>

#include "loaders/store.hpp"
#include "tests/loaders/fixture_records.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl {
namespace {

class StoreThreadsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(StoreThreadsTest, ThreadsShareOneStoreWithoutALockOfTheirOwn) {
  test::TempDir dir;
  const std::string url =
      GetParam() == "sqlite" ? "sqlite:" + dir.file("etl.db") : test::PgServer::shared().fresh_database();
  auto store = open_store(url);
  constexpr int kThreads = 4, kBatches = 10, kRows = 5;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<PropertyRecord> batch;
        std::vector<std::string> ids;
        for (int i = 0; i < kRows; ++i) {
          PropertyRecord r;
          r.address_id = fmt::format("t{}-{}-{}", t, b, i);
          r.raw_json = "{\"addressID\":\"" + r.address_id + "\"}";
          r.payload_hash = test::fnv1a64(r.raw_json);
          ids.push_back(r.address_id);
          batch.push_back(std::move(r));
        }
        try {
          if (!store->upsert_batch(batch, 1'700'000'000).failures.empty()) ++failures[t];
          if (store->lookup(ids, 1'700'000'001).size() != ids.size()) ++failures[t];
        } catch (const std::exception&) {
          ++failures[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  EXPECT_EQ(test::count_rows(url, "properties"), kThreads * kBatches * kRows);
}

INSTANTIATE_TEST_SUITE_P(Dialects, StoreThreadsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace etl
