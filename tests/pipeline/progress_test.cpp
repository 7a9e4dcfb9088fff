#include <gtest/gtest.h>

#include "etl/pipeline/progress_reporter.hpp"

namespace etl {
namespace {

class StatsOnlyHttp final : public HttpClient {
 public:
  void get(std::string, Callback, RequestOptions) override {}
  HttpStats stats() const override { return HttpStats{.requests = 10, .retries = 4, .requests_by_endpoint = {}}; }
  void cancel_all() override {}
};

TEST(ProgressReporter, LineShowsCountsRatesAndEta) {
  RunCounters counters;
  auto& a = counters.municipalities.emplace_back();
  a.code = 101;
  a.hits = 100;
  a.discovered = 60;
  a.skipped = 10;
  a.fetched = 25;
  a.loaded = 20;
  a.failed = 2;
  auto& b = counters.municipalities.emplace_back();
  b.code = 147;  // first page not yet seen: the expected total is open-ended
  StatsOnlyHttp http;
  ProgressReporter p(counters, http, ProgressMode::None, 0);
  const std::string line = p.line(4.0, 8.0);
  EXPECT_NE(line.find("discovered 60/100+"), std::string::npos) << line;
  EXPECT_NE(line.find("skipped 10 | fetched 25 | loaded 20 | failed 2 | retries 4"), std::string::npos) << line;
  EXPECT_NE(line.find("8.0/s now, 8.0/s overall"), std::string::npos) << line;  // 32 settled in 4 s
  EXPECT_NE(line.find("ETA 8s"), std::string::npos) << line;                    // 68 left at 8/s
  b.hits = 0;
  EXPECT_NE(p.line(4.0, 8.0).find("discovered 60/100 "), std::string::npos);
}

TEST(ProgressReporter, EtaFollowsTheLimit) {
  RunCounters counters;
  auto& a = counters.municipalities.emplace_back();
  a.code = 101;
  a.hits = 10000;
  a.loaded = 50;
  StatsOnlyHttp http;
  ProgressReporter p(counters, http, ProgressMode::None, 100);
  EXPECT_NE(p.line(5.0, 10.0).find("ETA 5s"), std::string::npos) << p.line(5.0, 10.0);
}

}  // namespace
}  // namespace etl
