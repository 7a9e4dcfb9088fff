// /search/cases: the page parser on the real case fixture, and CaseSearch's paging against a
// scripted endpoint (stable sort, distinct IDs, bounded by the result cap, bad bodies).
#include "extractors/case_search.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "etl/core/errors.hpp"
#include "extractors/curl_multi_client.hpp"
#include "fixture_files.hpp"
#include "local_http_server.hpp"

namespace etl {
namespace {

using namespace std::chrono_literals;

TEST(CasePage, ReadsTheRealCaseFixture) {
  const std::string body = "{\"totalHits\":1,\"cases\":[" + test::read_fixture("case-offering.json") + "]}";
  CasePageParser parser;
  const CasePage page = parser.parse(body);
  EXPECT_EQ(page.total_hits, 1);
  ASSERT_EQ(page.cases.size(), 1u);
  const ListedCase& c = page.cases[0];
  EXPECT_EQ(c.case_id, "f2687747-0bd7-4ded-aa4c-8dc123b9e624");
  EXPECT_EQ(c.price_cash, 2995000);
  EXPECT_EQ(c.distinction, "real_estate");
  EXPECT_EQ(c.status, "open");
  EXPECT_EQ(c.address_id, "0a3f50aa-6f17-32b8-e044-0003ba298018");  // its address.addressID
}

TEST(CasePage, NullCasesOddPricesAndCasesWithoutIds) {
  CasePageParser parser;
  const CasePage none = parser.parse(R"({"totalHits":0,"cases":null})");
  EXPECT_EQ(none.total_hits, 0);
  EXPECT_TRUE(none.cases.empty());
  const CasePage odd = parser.parse(R"({"cases":[
      {"caseID":"a","priceCash":1995000.4,"address":{"addressID":"x"}},
      {"caseID":"b","priceCash":null,"distinction":"rental","address":{"addressID":"y"}},
      {"caseID":"c","address":null},
      {"priceCash":5,"address":{"addressID":"z"}},
      {"caseID":"d","address":{"addressID":"bad\u0000id"}}],"totalHits":5})");
  EXPECT_EQ(odd.total_hits, 5);
  ASSERT_EQ(odd.cases.size(), 2u);
  EXPECT_EQ(odd.cases[0].price_cash, 1995000);
  EXPECT_FALSE(odd.cases[1].price_cash.has_value());
  EXPECT_EQ(odd.cases[1].distinction, "rental");
  EXPECT_EQ(odd.cases_without_id, 3);
}

TEST(CasePage, NotACasePageIsAParseError) {
  CasePageParser parser;
  EXPECT_THROW(parser.parse(R"({"cases":[]})"), ParseError);                // no totalHits
  EXPECT_THROW(parser.parse(R"({"totalHits":1,"cases":{}})"), ParseError);  // cases not an array
  EXPECT_THROW(parser.parse(R"({"totalHits":1,"cases":[)"), ParseError);     // truncated
  EXPECT_THROW(parser.parse(R"({"totalHits":-5,"cases":[]})"), ParseError);
}

// Serves /search/cases over `count` cases: sorted when sortBy=address is asked, else shuffled
// per request; `claimed` replaces the real totalHits (an API that lies); the first
// `bad_bodies` answers are truncated.
class FakeCases {
 public:
  FakeCases(int count, std::int64_t claimed = -1, int bad_bodies = 0) {
    server_.routes().Get("/search/cases", [=, this](const httplib::Request& req, httplib::Response& res) {
      const int request = ++requests_;
      if (req.get_param_value("sortBy") != "address" || req.get_param_value("per_page") != "500" ||
          req.get_param_value("municipalities") != "Testrup")
        urls_ok_ = false;
      if (request <= bad_bodies) {
        res.set_content(R"({"totalHits":3,"cases":[{"caseID")", "application/json");
        return;
      }
      const int per_page = std::stoi(req.get_param_value("per_page"));
      const int page = std::stoi(req.get_param_value("page"));
      std::vector<int> order(static_cast<std::size_t>(count));
      for (int i = 0; i < count; ++i) order[static_cast<std::size_t>(i)] = i;
      if (shuffle_) std::shuffle(order.begin(), order.end(), std::mt19937(static_cast<unsigned>(request)));
      std::string body = "{\"totalHits\":" + std::to_string(claimed >= 0 ? claimed : count) + ",\"cases\":[";
      for (int i = (page - 1) * per_page; i < std::min(count, page * per_page); ++i) {
        if (body.back() != '[') body += ',';
        const std::string n = std::to_string(order[static_cast<std::size_t>(i)]);
        body += R"({"caseID":"case-)" + n + R"(","priceCash":)" + n + R"(000,"address":{"addressID":"addr-)" + n + "\"}}";
      }
      res.set_content(body + "]}", "application/json");
    });
    server_.start();
  }
  void always_shuffle() { shuffle_ = true; }
  std::string base_url() const { return server_.url(""); }
  int requests() const { return requests_; }
  bool urls_ok() const { return urls_ok_; }

 private:
  test::LocalHttpServer server_;
  std::atomic<int> requests_{0};
  std::atomic<bool> urls_ok_{true};
  std::atomic<bool> shuffle_{false};
};

const Municipality kTestrup{999, "Testrup", "Region Test", {"4000"}};

struct Listed {
  CaseSearchReport report;
  std::multiset<std::string> ids;
};

Listed list(const FakeCases& api) {
  HttpOptions http_options;
  http_options.max_retries = 1;
  http_options.timeout = 2s;
  CurlMultiClient http(http_options);
  CaseSearch search(http, CaseSearchOptions{.base_url = api.base_url()});
  Listed out;
  out.report = search.list(kTestrup, [&](std::vector<ListedCase>&& page) {
    for (const ListedCase& c : page) out.ids.insert(c.case_id);
    return true;
  });
  return out;
}

TEST(CaseSearch, ListsEveryCaseOnceAt500APageWithAStableSort) {
  FakeCases api(1234);
  const Listed out = list(api);
  EXPECT_EQ(out.ids.size(), 1234u);
  EXPECT_EQ(std::set<std::string>(out.ids.begin(), out.ids.end()).size(), 1234u);
  EXPECT_EQ(api.requests(), 3);
  EXPECT_TRUE(api.urls_ok());
  EXPECT_EQ(out.report.found, 1234);
  EXPECT_EQ(out.report.shortfall, 0);
  EXPECT_TRUE(out.report.complete);
}

TEST(CaseSearch, AnOrderThatShiftsIsAShortfallNotSilence) {
  FakeCases api(1400);
  api.always_shuffle();
  const Listed out = list(api);
  EXPECT_EQ(std::set<std::string>(out.ids.begin(), out.ids.end()).size(), out.ids.size()) << "each case once";
  EXPECT_LT(out.report.found, 1400);
  EXPECT_EQ(out.report.shortfall, 1400 - out.report.found);
  EXPECT_FALSE(out.report.complete);
}

TEST(CaseSearch, ALyingTotalCostsAtMostTheResultCapInRequests) {
  FakeCases api(600, 1'000'000'000);
  const Listed out = list(api);
  // Page 3 comes back empty: the API ran dry, so paging stops there, not at page 20.
  EXPECT_EQ(api.requests(), 3);
  EXPECT_EQ(out.report.found, 600);
  EXPECT_FALSE(out.report.complete);
  EXPECT_GT(out.report.shortfall, 0);
}

TEST(CaseSearch, ABadBodyIsAskedForAgain) {
  FakeCases api(10, -1, 2);
  const Listed out = list(api);
  EXPECT_EQ(out.ids.size(), 10u);
  EXPECT_EQ(out.report.requests, 3);
  EXPECT_TRUE(out.report.complete);
}

TEST(CaseSearch, AFailingSearchIsAnApiErrorWithTheUrl) {
  test::LocalHttpServer server;
  server.routes().Get("/search/cases", [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
  server.start();
  HttpOptions http_options;
  http_options.max_retries = 0;
  CurlMultiClient http(http_options);
  CaseSearch search(http, CaseSearchOptions{.base_url = server.url("")});
  try {
    search.list(kTestrup, [](std::vector<ListedCase>&&) { return true; });
    ADD_FAILURE() << "no ApiError";
  } catch (const ApiError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("/search/cases?municipalities=Testrup"), std::string::npos) << what;
    EXPECT_NE(what.find("503"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace etl
