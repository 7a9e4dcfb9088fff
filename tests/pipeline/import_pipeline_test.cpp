#include <gtest/gtest.h>

#include <algorithm>

#include "etl/core/payload_hash.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "etl/pipeline/import_pipeline.hpp"
#include "tests/pipeline/pipeline_fakes.hpp"

namespace etl {
namespace {

std::vector<std::string> make_ids(int n, const std::string& prefix = "id-") {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back(prefix + std::to_string(10000 + i));
  return ids;
}

class PipelineTest : public ::testing::Test {
 protected:
  PipelineResult run(test::FakeApi& api) {
    options.municipalities = {Municipality{101, "København", "Region Hovedstaden", {"2300"}}};
    options.api_url = "http://fake";
    init_counters(counters, options);
    ImportPipeline pipeline(options, &store, api, counters, stop);
    return pipeline.run();
  }
  std::int64_t total(std::atomic<std::int64_t> MunicipalityCounters::*field) { return counters.total(field); }

  RunOptions options;
  test::MemoryStore store;
  RunCounters counters;
  std::atomic<int> stop{0};
};

TEST_F(PipelineTest, CommitsInBatches) {
  test::FakeApi api("København", make_ids(2500));
  options.batch_size = 50;
  run(api);
  EXPECT_EQ(store.rows.size(), 2500u);
  EXPECT_EQ(total(&MunicipalityCounters::loaded), 2500);
  std::size_t sum = 0;
  for (std::size_t b : store.batch_sizes) {
    EXPECT_LE(b, 50u);
    sum += b;
  }
  EXPECT_EQ(sum, 2500u);
  EXPECT_GE(store.batch_sizes.size(), 50u);
  EXPECT_EQ(counters.municipalities[0].hits, 2500);
}

// Lookups go in chunks of 1,000 IDs; only while fetchers starve (the first page) is a
// smaller chunk looked up.
TEST_F(PipelineTest, LooksUpStoredIdsInChunksOf1000) {
  const auto ids = make_ids(2500);
  for (const auto& id : ids) store.rows[id] = test::stored_state(id, 1);
  test::FakeApi api("København", ids);
  run(api);
  EXPECT_EQ(store.lookup_sizes, (std::vector<std::size_t>{50, 1000, 1000, 450}));
  EXPECT_TRUE(api.detail_requests().empty());
  EXPECT_EQ(total(&MunicipalityCounters::skipped), 2500);
}

TEST_F(PipelineTest, StoredIdsAreSkippedUnlessTheRefreshWantsThem) {
  const auto ids = make_ids(120);
  for (int i = 0; i < 100; ++i) store.rows[ids[i]] = test::stored_state(ids[i], i < 10 ? 1 : now_seconds());
  for (int i = 0; i < 100; ++i) store.municipality_of[ids[i]] = 101;
  test::FakeApi api("København", ids);
  options.refresh = RefreshPolicy::parse("stale:1d");
  run(api);
  EXPECT_EQ(api.detail_requests().size(), 30u);  // 20 new + 10 stale
  EXPECT_EQ(total(&MunicipalityCounters::skipped), 90);
  EXPECT_EQ(total(&MunicipalityCounters::loaded), 30);
}

// The stored search hash is the search item's: a stored property whose item changed (here:
// stored without a hash, as before hashes were kept) is fetched again, the others are not.
TEST_F(PipelineTest, AStoredPropertyWhoseSearchItemChangedIsFetchedAgain) {
  const auto ids = make_ids(50);
  for (const auto& id : ids) store.rows[id] = test::stored_state(id, 1);
  store.rows[ids[7]].search_hash = 12345;
  store.rows[ids[9]].search_hash.reset();
  test::FakeApi api("København", ids);
  run(api);
  auto fetched = api.detail_requests();
  std::sort(fetched.begin(), fetched.end());
  EXPECT_EQ(fetched, (std::vector<std::string>{ids[7], ids[9]}));
  EXPECT_EQ(store.rows[ids[7]].search_hash, payload_hash(test::FakeApi::payload(ids[7]))) << "the new hash is kept";
}

// on-market reads the listings only, and fetches the addresses whose listings changed: a
// price change, an ended listing, a new listing of a property not stored; not the unchanged one.
TEST_F(PipelineTest, OnMarketFetchesOnlyWhatTheListingsChanged) {
  const auto ids = make_ids(20);
  for (const auto& id : ids) store.rows[id] = test::stored_state(id, 1);
  store.stored_cases = {{"c1", ids[1], 100, "real_estate"}, {"c2", ids[2], 200, "real_estate"},
                        {"c3", ids[3], 300, "real_estate"}};
  test::FakeApi api("København", ids);
  api.cases = {{"c1", ids[1], 100, ""}, {"c2", ids[2], 250, ""}, {"c4", "id-new", 400, ""}};
  options.refresh = RefreshPolicy::parse("on-market");
  run(api);
  auto fetched = api.detail_requests();
  std::sort(fetched.begin(), fetched.end());
  EXPECT_EQ(fetched, (std::vector<std::string>{ids[2], ids[3], "id-new"}));
  EXPECT_EQ(api.search_requests(), 0);
}

// A case search can list a case whose address lies in another municipality: the run skips
// and counts it rather than store a property it does not cover (and fetch it every night).
TEST_F(PipelineTest, OnMarketSkipsListingsOutsideItsMunicipality) {
  const auto ids = make_ids(5);
  for (const auto& id : ids) store.rows[id] = test::stored_state(id, 1);
  test::FakeApi api("København", ids);
  api.cases = {{"c1", ids[1], 100, ""}, {"c9", "id-elsewhere", 400, ""}};
  api.elsewhere = {"id-elsewhere"};
  options.refresh = RefreshPolicy::parse("on-market");
  run(api);
  EXPECT_EQ(api.detail_requests(), std::vector<std::string>{ids[1]});
  EXPECT_EQ(total(&MunicipalityCounters::outside_scope), 1);
  EXPECT_FALSE(store.rows.contains("id-elsewhere"));
}

TEST_F(PipelineTest, LimitFetchesExactlyThatMany) {
  test::FakeApi api("København", make_ids(500));
  options.limit = 30;
  const PipelineResult r = run(api);
  EXPECT_TRUE(r.limit_reached);
  EXPECT_EQ(api.detail_requests().size(), 30u);
  EXPECT_EQ(store.rows.size(), 30u);
}

TEST_F(PipelineTest, NotFoundMarksRemovedAndErrorsAreRecordedAndRetried) {
  auto ids = make_ids(60);
  test::FakeApi api("København", ids);
  api.gone = {ids[3]};
  api.errors = {ids[7]};
  run(api);
  EXPECT_EQ(store.removed, (std::vector<std::string>{ids[3]}));
  ASSERT_EQ(store.failures.count(ids[7]), 1u);
  EXPECT_EQ(store.failures[ids[7]].stage, FailureStage::fetch);
  EXPECT_NE(store.failures[ids[7]].reason.find("HTTP 500"), std::string::npos);
  EXPECT_EQ(total(&MunicipalityCounters::failed), 1);

  // Next night: the failure is retried (when discovery shows it again, so it is stored with
  // its search hash) and succeeds; besides it only the removed one is checked again.
  api.errors.clear();
  test::FakeApi next("København", ids);
  next.gone = {ids[3]};
  counters.municipalities.clear();
  run(next);
  auto requests = next.detail_requests();
  std::sort(requests.begin(), requests.end());
  EXPECT_EQ(requests, (std::vector<std::string>{ids[3], ids[7]}));
  EXPECT_EQ(store.failures.count(ids[7]), 0u);
  EXPECT_TRUE(store.rows.contains(ids[7]));
}

TEST_F(PipelineTest, VanishedPropertiesAreCheckedAfterACompleteDiscovery) {
  auto ids = make_ids(40);
  test::FakeApi first("København", ids);
  run(first);
  ASSERT_EQ(store.rows.size(), 40u);
  const std::string gone = ids.back();
  ids.pop_back();
  test::FakeApi second("København", ids);
  second.gone = {gone};
  counters.municipalities.clear();
  run(second);
  EXPECT_EQ(second.detail_requests(), (std::vector<std::string>{gone}));
  EXPECT_TRUE(store.rows[gone].removed);
}

TEST_F(PipelineTest, DetailsNeverLoadsSearchItemsWithoutDetailRequests) {
  test::FakeApi api("København", make_ids(130));
  options.details = DetailsMode::Never;
  run(api);
  EXPECT_TRUE(api.detail_requests().empty());
  EXPECT_EQ(store.rows.size(), 130u);
}

// A search item that does not parse has no request to repeat: it fails at once, its
// source "search".
TEST_F(PipelineTest, AnUnreadableSearchItemFailsAtOnce) {
  const auto ids = make_ids(60);
  test::FakeApi api("København", ids);
  api.unreadable = {ids[5]};
  options.details = DetailsMode::Never;
  run(api);
  EXPECT_TRUE(api.detail_requests().empty());
  ASSERT_EQ(store.failures.count(ids[5]), 1u);
  EXPECT_EQ(store.failures[ids[5]].stage, FailureStage::parse);
  EXPECT_EQ(store.failures[ids[5]].source, "search");
  EXPECT_EQ(store.rows.size(), 59u);
}

// A detail that does not parse is fetched again twice, then fails naming its URL.
TEST_F(PipelineTest, AnUnreadableDetailIsFetchedAgainTwice) {
  test::FakeApi api("København", {"id-new"});
  api.unreadable = {"id-new"};
  run(api);
  EXPECT_EQ(api.detail_requests(), (std::vector<std::string>(3, "id-new")));
  ASSERT_EQ(store.failures.count("id-new"), 1u);
  EXPECT_EQ(store.failures["id-new"].stage, FailureStage::parse);
  EXPECT_EQ(store.failures["id-new"].source, "http://fake/addresses/id-new");
}

TEST_F(PipelineTest, DryRunListsAndWritesNothing) {
  const auto ids = make_ids(80);
  for (int i = 0; i < 30; ++i) store.rows[ids[i]] = test::stored_state(ids[i], 1);
  test::FakeApi api("København", ids);
  options.dry_run = true;
  const PipelineResult r = run(api);
  EXPECT_EQ(r.would_fetch.size(), 50u);
  EXPECT_TRUE(store.lookup_sizes.empty()) << "peek, not lookup";
  EXPECT_TRUE(store.batch_sizes.empty());
  EXPECT_TRUE(api.detail_requests().empty());
}

}  // namespace
}  // namespace etl
