// Issue 8.2 (the discovery half): a search page whose 200 body is unusable is requested
// again; a municipality whose discovery still fails is recorded in etl_failures (stage
// "discover", the run ends with failures) and settled by the next complete discovery.
#include <gtest/gtest.h>

#include <atomic>

#include "etl/pipeline/import_pipeline.hpp"
#include "loaders/store.hpp"
#include "tests/pipeline/pipeline_fakes.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/process.hpp"

namespace etl::test {
namespace {

std::vector<std::string> ids(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(1000 + i));
  return out;
}

// Searches for "Flaky" go to `flaky` after `bad_answers` broken bodies; everything else
// (the other municipality's search, every detail) to `main`.
class BrokenSearchApi final : public HttpClient {
 public:
  BrokenSearchApi(FakeApi& main, FakeApi& flaky, int bad_answers, std::string bad_body)
      : main_(main), flaky_(flaky), bad_answers_(bad_answers), bad_body_(std::move(bad_body)) {}

  void get(std::string url, Callback done, RequestOptions priority) override {
    if (url.find("/search/addresses") != std::string::npos && url.find("municipalities=Flaky") != std::string::npos) {
      if (flaky_searches.fetch_add(1) < bad_answers_) return done(HttpResponse{200, bad_body_, "", 1});
      return flaky_.get(std::move(url), std::move(done), priority);
    }
    main_.get(std::move(url), std::move(done), priority);
  }
  HttpStats stats() const override { return main_.stats(); }
  void cancel_all() override {}

  std::atomic<int> flaky_searches{0};

 private:
  FakeApi& main_;
  FakeApi& flaky_;
  int bad_answers_;
  std::string bad_body_;
};

class DiscoveryFailure : public ::testing::Test {
 protected:
  PipelineResult run(HttpClient& api, bool flaky_first = false) {
    RunOptions options;
    options.municipalities = {Municipality{101, "Steady", "Region Hovedstaden", {"2300"}},
                              Municipality{147, "Flaky", "Region Hovedstaden", {"2000"}}};
    if (flaky_first) std::swap(options.municipalities[0], options.municipalities[1]);
    options.api_url = "http://fake";
    options.batch_size = 20;
    counters = std::make_unique<RunCounters>();
    init_counters(*counters, options);
    ImportPipeline pipeline(options, store.get(), api, *counters, stop);
    return pipeline.run();
  }

  TempDir dir;
  std::string url = "sqlite:" + dir.file("discovery.db");
  std::unique_ptr<Store> store = open_store(url);
  std::unique_ptr<RunCounters> counters;
  std::atomic<int> stop{0};
  FakeApi steady{"Steady", ids("steady-", 120)};
  FakeApi flaky{"Flaky", ids("flaky-", 80)};
};

TEST_F(DiscoveryFailure, TransientlyBrokenPagesAreRequestedAgainAndNothingIsLost) {
  // Twice a hit with a numeric addressID, then the real page.
  BrokenSearchApi api(steady, flaky, 2, R"({"totalHits":80,"addresses":[{"addressID":5}]})");
  const PipelineResult r = run(api);
  EXPECT_TRUE(r.fatal_error.empty()) << r.fatal_error;
  EXPECT_EQ(count_rows(url, "properties"), 200);
  EXPECT_EQ(counters->total(&MunicipalityCounters::failed), 0);
  EXPECT_EQ(count_rows(url, "etl_failures"), 0);
}

TEST_F(DiscoveryFailure, APersistentlyBrokenSearchIsRecordedAndSettledByTheNextRun) {
  {
    BrokenSearchApi api(steady, flaky, 1000, R"({"totalHits":80,"addresses":[{"addre)");
    const PipelineResult r = run(api);
    EXPECT_TRUE(r.fatal_error.empty()) << r.fatal_error;
    EXPECT_EQ(api.flaky_searches.load(), 4) << "the first request and three re-requests";
    EXPECT_EQ(count_rows(url, "properties"), 120);
    EXPECT_GE(counters->total(&MunicipalityCounters::failed), 1);  // so `etl run` exits 3
    const auto failures = query_rows(url, "SELECT address_id, stage, reason FROM etl_failures WHERE resolved_at IS NULL");
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0][0], "search:Flaky");
    EXPECT_EQ(failures[0][1], "discover");
    EXPECT_NE(failures[0][2].find("invalid search response"), std::string::npos) << failures[0][2];
  }
  {
    BrokenSearchApi api(steady, flaky, 0, "");
    const PipelineResult r = run(api);
    EXPECT_TRUE(r.fatal_error.empty()) << r.fatal_error;
    EXPECT_EQ(count_rows(url, "properties"), 200);
    EXPECT_EQ(counters->total(&MunicipalityCounters::failed), 0);
    EXPECT_TRUE(query_rows(url, "SELECT address_id FROM etl_failures WHERE resolved_at IS NULL").empty());
    // The recorded search is redone by discovery, never fetched as if it were an address.
    for (const std::string& id : steady.detail_requests()) EXPECT_EQ(id.find("search:"), std::string::npos) << id;
  }
}

// The first municipality's search failing is that municipality's failure: the others are
// still discovered and loaded (the API was reachable: the run checked before it started).
TEST_F(DiscoveryFailure, TheFirstMunicipalityFailingDoesNotStopTheOthers) {
  BrokenSearchApi api(steady, flaky, 1000, R"({"totalHits":80,"addresses":[{"addre)");
  const PipelineResult r = run(api, /*flaky_first=*/true);
  EXPECT_TRUE(r.fatal_error.empty()) << r.fatal_error;
  EXPECT_EQ(count_rows(url, "properties"), 120);
  const auto failures = query_rows(url, "SELECT address_id, stage FROM etl_failures WHERE resolved_at IS NULL");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0][0], "search:Flaky");
  EXPECT_EQ(failures[0][1], "discover");
}

}  // namespace
}  // namespace etl::test
