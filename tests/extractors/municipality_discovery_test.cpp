// Discovery's paging and partitioning against a scripted search endpoint, where the data is
// shaped to force each branch (zip split, price bisection, area bisection, unsplittable,
// a zip the config lacks). The end-to-end checks against replica-api are in
// replica_discovery_test.cpp.
#include "extractors/municipality_discovery.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "etl/core/errors.hpp"
#include "extractors/curl_multi_client.hpp"
#include "local_http_server.hpp"

namespace etl {
namespace {

using namespace std::chrono_literals;

struct FakeProperty {
  std::string id;
  std::string zip;
  std::int64_t price;
  std::int64_t area;
};

// How the fake orders a query's results.
enum class Order {
  SortedOnRequest,  // sortBy=address: stable; otherwise shuffled anew on every request
  AlwaysShuffled,   // an API that ignores sortBy
};

// Serves GET /search/addresses over `data` with the API's filters and result cap
// (page x per_page <= max_results, else 400).
class FakeSearch {
 public:
  // `claimed`: the totalHits every answer states, whatever it holds (an API that lies); -1: the truth.
  FakeSearch(std::vector<FakeProperty> data, std::int64_t max_results, Order order = Order::SortedOnRequest,
             std::int64_t claimed = -1)
      : data_(std::move(data)) {
    server_.routes().Get("/search/addresses", [this, max_results, order, claimed](const httplib::Request& req,
                                                                                  httplib::Response& res) {
      const int request = ++requests_;
      if (req.get_param_value("sortBy") == "address") ++sorted_requests_;
      auto param = [&](const char* name) { return req.has_param(name) ? req.get_param_value(name) : std::string(); };
      auto num = [&](const char* name, std::int64_t fallback) {
        return req.has_param(name) ? std::stoll(req.get_param_value(name)) : fallback;
      };
      if (param("municipalities") != "Testrup" || param("addressTypes") != "villa") {
        res.set_content(R"({"totalHits":0,"addresses":[]})", "application/json");
        return;
      }
      const std::int64_t per_page = num("per_page", 50), page = num("page", 1);
      if (page * per_page > max_results) {
        res.status = 400;
        return;
      }
      std::vector<const FakeProperty*> hits;
      for (const auto& p : data_) {
        if (req.has_param("zipCodes") && p.zip != param("zipCodes")) continue;
        if (p.price < num("priceMin", INT64_MIN) || p.price > num("priceMax", INT64_MAX)) continue;
        if (p.area < num("areaMin", INT64_MIN) || p.area > num("areaMax", INT64_MAX)) continue;
        hits.push_back(&p);
      }
      if (order == Order::AlwaysShuffled || req.get_param_value("sortBy") != "address") {
        std::mt19937 shuffle(static_cast<unsigned>(request));
        std::shuffle(hits.begin(), hits.end(), shuffle);
      }
      const std::int64_t total = claimed >= 0 ? claimed : static_cast<std::int64_t>(hits.size());
      std::string body = "{\"totalHits\":" + std::to_string(total) + ",\"addresses\":[";
      for (std::int64_t i = (page - 1) * per_page; i < std::min<std::int64_t>(page * per_page, hits.size()); ++i) {
        if (body.back() != '[') body += ',';
        body += "{\"addressID\":\"" + hits[i]->id + "\",\"latestValuation\":" + std::to_string(hits[i]->price) +
                ",\"livingArea\":" + std::to_string(hits[i]->area) + "}";
      }
      body += "]}";
      res.set_content(body, "application/json");
    });
    server_.start();
  }
  std::string base_url() const { return server_.url(""); }
  int requests() const { return requests_; }
  int sorted_requests() const { return sorted_requests_; }

 private:
  std::vector<FakeProperty> data_;
  test::LocalHttpServer server_;
  std::atomic<int> requests_{0};
  std::atomic<int> sorted_requests_{0};
};

std::vector<FakeProperty> make_data(const std::string& zip, int n, std::int64_t price0, std::int64_t price_step,
                                    std::int64_t area = 120) {
  std::vector<FakeProperty> out;
  for (int i = 0; i < n; ++i) out.push_back({zip + "-" + std::to_string(i), zip, price0 + i * price_step, area});
  return out;
}

template <typename... V>
std::vector<FakeProperty> concat(V... parts) {
  std::vector<FakeProperty> out;
  (out.insert(out.end(), parts.begin(), parts.end()), ...);
  return out;
}

Municipality testrup(std::vector<std::string> zips) { return Municipality{999, "Testrup", "Region Test", std::move(zips)}; }

HttpOptions test_http() {
  HttpOptions o;
  o.max_in_flight = 8;
  o.timeout = 2s;
  o.backoff_base = 5ms;
  o.backoff_cap = 20ms;
  o.max_retries = 1;
  return o;
}

struct Outcome {
  DiscoveryReport report;
  std::int64_t total = -1;
  std::multiset<std::string> ids;
  int pages = 0;
};

Outcome discover(const FakeSearch& api, const Municipality& m, std::int64_t max_results,
                 std::int64_t max_requests = DiscoveryOptions{}.max_requests) {
  CurlMultiClient http(test_http());
  DiscoveryOptions options{api.base_url(), "villa", 50, max_results};
  options.max_requests = max_requests;
  MunicipalityDiscovery discovery(http, options);
  Outcome out;
  out.report = discovery.discover(
      m, [&](std::int64_t total) { out.total = total; },
      [&](std::vector<DiscoveredItem>&& page) {
        ++out.pages;
        for (auto& item : page) {
          EXPECT_NE(item.payload.find(item.address_id), std::string::npos);
          out.ids.insert(item.address_id);
        }
        return true;
      });
  return out;
}

void expect_each_once(const Outcome& out, const std::vector<FakeProperty>& data) {
  std::multiset<std::string> expected;
  for (const auto& p : data) expected.insert(p.id);
  EXPECT_EQ(out.ids, expected);
  EXPECT_EQ(out.report.discovered, static_cast<std::int64_t>(data.size()));
}

TEST(MunicipalityDiscovery, PagesASmallMunicipality) {
  auto data = make_data("4000", 137, 1'000'000, 1000);
  FakeSearch api(data, 10'000);
  Outcome out = discover(api, testrup({"4000"}), 10'000);
  expect_each_once(out, data);
  EXPECT_EQ(out.total, 137);
  EXPECT_EQ(out.report.total_hits, 137);
  EXPECT_EQ(out.report.partitions, 1);
  EXPECT_EQ(out.report.shortfall, 0);
  EXPECT_EQ(out.report.requests, 3);
  EXPECT_TRUE(out.report.complete);
  EXPECT_EQ(out.pages, 3);
}

// Without a sort the API's order may shift between requests; every page names a stable sort.
TEST(MunicipalityDiscovery, PagesWithAStableSortAgainstAShiftingOrder) {
  auto data = concat(make_data("4001", 180, 2'000'000, 10'000), make_data("4002", 437, 1'000'000, 20'000));
  FakeSearch api(data, 200);
  Outcome out = discover(api, testrup({"4001", "4002"}), 200);
  expect_each_once(out, data);
  EXPECT_EQ(api.sorted_requests(), api.requests());
  EXPECT_EQ(out.report.shortfall, 0);
  EXPECT_TRUE(out.report.complete);
}

// An API that shuffles whatever is asked delivers every page full and still misses
// properties: the distinct IDs, not the hits read, are counted against totalHits.
TEST(MunicipalityDiscovery, AnOrderThatShiftsAnywayIsAShortfallNotSilence) {
  auto data = make_data("4001", 600, 2'000'000, 10'000);
  FakeSearch api(data, 10'000, Order::AlwaysShuffled);
  Outcome out = discover(api, testrup({"4001"}), 10'000);
  const std::set<std::string> distinct(out.ids.begin(), out.ids.end());
  EXPECT_EQ(distinct.size(), out.ids.size()) << "each ID emitted once";
  EXPECT_LT(out.report.discovered, 600);
  EXPECT_EQ(out.report.shortfall, 600 - out.report.discovered);
  EXPECT_FALSE(out.report.complete);
}

// The cap is on results: with 100 results per query, 150 hits are never paged to a third
// page of 50 (which would answer 400) but split by price into parts that fit.
TEST(MunicipalityDiscovery, TheResultCapIsPageTimesPerPage) {
  auto data = make_data("4600", 150, 1'000'000, 1000);
  FakeSearch api(data, 100);
  Outcome out = discover(api, testrup({"4600"}), 100);
  expect_each_once(out, data);
  EXPECT_GT(out.report.partitions, 1);
  EXPECT_TRUE(out.report.complete);
}

// A totalHits of 10^9 on every answer: the parts of a split then add up to more than their
// whole, so discovery stops splitting at once; it costs a handful of requests, not 10^9.
TEST(MunicipalityDiscovery, ATotalThatLiesCostsABoundedNumberOfRequests) {
  auto data = concat(make_data("4001", 70, 2'000'000, 10'000), make_data("4002", 40, 1'000'000, 20'000));
  FakeSearch api(data, 10'000, Order::SortedOnRequest, 1'000'000'000);
  Outcome out = discover(api, testrup({"4001", "4002"}), 10'000);
  EXPECT_LE(api.requests(), 10) << "the probe, two zip parts and what the 4-request window had sent";
  EXPECT_EQ(out.report.total_hits, 1'000'000'000);
  EXPECT_GT(out.report.shortfall, 0);
  EXPECT_FALSE(out.report.complete);
}

// Inside the cap a leaf is paged; a page that comes back short ends it (the rest would be
// empty) instead of asking for every page the totalHits promised.
TEST(MunicipalityDiscovery, PagesThatRunDryEndTheLeaf) {
  auto data = make_data("4001", 120, 2'000'000, 10'000);
  FakeSearch api(data, 10'000, Order::SortedOnRequest, 1000);
  Outcome out = discover(api, testrup({"4001"}), 10'000);
  expect_each_once(out, data);
  EXPECT_LE(api.requests(), 3 + 4) << "pages 1-3 and at most the 4-request window after";
  EXPECT_EQ(out.report.shortfall, 1000 - 120);
  EXPECT_FALSE(out.report.complete);
}

TEST(MunicipalityDiscovery, OneMunicipalityCostsAtMostTheRequestBudget) {
  auto data = make_data("4001", 1000, 2'000'000, 10'000);
  FakeSearch api(data, 10'000);
  Outcome out = discover(api, testrup({"4001"}), 10'000, 5);
  EXPECT_EQ(api.requests(), 5);
  EXPECT_EQ(out.report.requests, 5);
  EXPECT_EQ(out.report.discovered, 250);
  EXPECT_FALSE(out.report.complete);
}

TEST(MunicipalityDiscovery, EmptyMunicipality) {
  FakeSearch api({}, 10'000);
  Outcome out = discover(api, testrup({"4000"}), 10'000);
  EXPECT_EQ(out.total, 0);
  EXPECT_EQ(out.report.discovered, 0);
  EXPECT_TRUE(out.report.complete);
}

TEST(MunicipalityDiscovery, PartitionsByZipThenPrice) {
  // Cap 100 (2 pages): zip 4001 fits, 4002 needs price bisection, 4003 is empty.
  auto data = concat(make_data("4001", 80, 2'000'000, 10'000), make_data("4002", 350, 1'000'000, 20'000));
  FakeSearch api(data, 100);
  Outcome out = discover(api, testrup({"4001", "4002", "4003"}), 100);
  expect_each_once(out, data);
  EXPECT_EQ(out.total, 430);
  EXPECT_GT(out.report.partitions, 3);
  EXPECT_EQ(out.report.shortfall, 0);
  EXPECT_TRUE(out.report.complete);
}

TEST(MunicipalityDiscovery, FallsBackToAreaWhenPricesAreEqual) {
  std::vector<FakeProperty> data;
  for (int i = 0; i < 260; ++i) data.push_back({"same-" + std::to_string(i), "4100", 3'000'000, 50 + i});
  FakeSearch api(data, 100);
  Outcome out = discover(api, testrup({"4100"}), 100);
  expect_each_once(out, data);
  EXPECT_EQ(out.report.shortfall, 0);
  EXPECT_TRUE(out.report.complete);
}

TEST(MunicipalityDiscovery, PricesAboveTheTopRangeAreNotLost) {
  auto data = concat(make_data("4200", 90, 1'000'000, 1), make_data("4201", 90, 2'000'000'000, 1'000'000'000));
  FakeSearch api(data, 100);  // 180 hits > cap 100, one zip each... then price
  Outcome out = discover(api, testrup({"4200", "4201"}), 100);
  expect_each_once(out, data);
  EXPECT_TRUE(out.report.complete);
}

TEST(MunicipalityDiscovery, ReportsAShortfallForAZipTheConfigLacks) {
  auto data = concat(make_data("4300", 90, 1'000'000, 1000), make_data("4399", 30, 1'000'000, 1000));
  FakeSearch api(data, 100);
  Outcome out = discover(api, testrup({"4300"}), 100);  // 120 > cap 100: split by the known zip only
  EXPECT_EQ(out.report.total_hits, 120);
  EXPECT_EQ(out.report.shortfall, 30);
  EXPECT_FALSE(out.report.complete);
}

TEST(MunicipalityDiscovery, UnsplittablePartitionIsIncomplete) {
  std::vector<FakeProperty> data;
  for (int i = 0; i < 130; ++i) data.push_back({"twin-" + std::to_string(i), "4400", 5'000'000, 140});
  FakeSearch api(data, 100);
  Outcome out = discover(api, testrup({"4400"}), 100);
  EXPECT_EQ(out.report.discovered, 100);
  EXPECT_EQ(out.report.shortfall, 30);
  EXPECT_FALSE(out.report.complete);
}

TEST(MunicipalityDiscovery, StopsWhenThePageCallbackSaysSo) {
  auto data = make_data("4500", 500, 1'000'000, 1000);
  FakeSearch api(data, 10'000);
  CurlMultiClient http(test_http());
  MunicipalityDiscovery discovery(http, DiscoveryOptions{api.base_url(), "villa", 50, 10'000});
  int pages = 0;
  DiscoveryReport report = discovery.discover(testrup({"4500"}), nullptr, [&](std::vector<DiscoveredItem>&&) {
    return ++pages < 2;
  });
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(report.discovered, 100);
  EXPECT_FALSE(report.complete);
}

TEST(MunicipalityDiscovery, FailingSearchIsAnApiErrorWithTheUrl) {
  test::LocalHttpServer server;
  server.routes().Get("/search/addresses", [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
  server.start();
  CurlMultiClient http(test_http());
  MunicipalityDiscovery discovery(http, DiscoveryOptions{server.url(""), "villa", 50, 10'000});
  try {
    discovery.discover(testrup({}), nullptr, [](std::vector<DiscoveredItem>&&) { return true; });
    ADD_FAILURE() << "no ApiError";
  } catch (const ApiError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("/search/addresses?municipalities=Testrup"), std::string::npos) << what;
    EXPECT_NE(what.find("503"), std::string::npos) << what;
  }
}

TEST(MunicipalityDiscovery, UnreachableApiIsAnApiError) {
  CurlMultiClient http(test_http());
  MunicipalityDiscovery discovery(http, DiscoveryOptions{"http://127.0.0.1:1", "villa", 50, 10'000});
  EXPECT_THROW(discovery.discover(testrup({}), nullptr, [](std::vector<DiscoveredItem>&&) { return true; }), ApiError);
}

}  // namespace
}  // namespace etl
