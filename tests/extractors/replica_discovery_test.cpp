// Discovery and concurrency against the real replica-api (HTTP on 127.0.0.1).
#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "etl/core/area_config.hpp"
#include "etl/core/errors.hpp"
#include "extractors/boligsiden_urls.hpp"
#include "extractors/curl_multi_client.hpp"
#include "extractors/municipality_discovery.hpp"
#include "extractors/property_parser.hpp"
#include "extractors/search_page.hpp"
#include "tests/support/replica_process.hpp"

namespace etl {
namespace {

using namespace std::chrono_literals;

HttpOptions test_http(int max_in_flight = 8) {
  HttpOptions o;
  o.max_in_flight = max_in_flight;
  o.timeout = 5s;
  o.backoff_base = 5ms;
  o.backoff_cap = 50ms;
  return o;
}

const Municipality& municipality(const std::string& name) {
  static const AreaConfig config = AreaConfig::load_file(std::string(ETL_SOURCE_DIR) + "/municipalities.yaml");
  const Municipality* m = config.find_municipality(name);
  if (m == nullptr) throw std::runtime_error("no municipality " + name);
  return *m;
}

// An integer field of the replica's /__stats JSON, found by key.
std::int64_t stat(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\"");
  if (at == std::string::npos) return -1;
  at = json.find(':', at);
  return std::stoll(json.substr(at + 1));
}

// All IDs of one unpartitioned query, paged the plain way, independently of MunicipalityDiscovery.
std::multiset<std::string> page_through(HttpClient& http, const std::string& base, SearchQuery q) {
  SearchPageParser parser;
  std::multiset<std::string> ids;
  for (q.page = 1;; ++q.page) {
    HttpResponse r = get_blocking(http, search_url(base, q));
    EXPECT_EQ(r.status, 200);
    SearchPage page = parser.parse(r.body);
    for (auto& item : page.items) ids.insert(item.address_id);
    if (page.items.empty() || static_cast<std::int64_t>(ids.size()) >= page.total_hits) break;
  }
  return ids;
}

struct Found {
  DiscoveryReport report;
  std::multiset<std::string> ids;
};

Found discover(HttpClient& http, const std::string& base, const Municipality& m, std::int64_t max_results) {
  MunicipalityDiscovery discovery(http, DiscoveryOptions{base, "villa", 50, max_results});
  Found found;
  std::int64_t total = -1;
  found.report = discovery.discover(
      m, [&](std::int64_t t) { total = t; },
      [&](std::vector<DiscoveredItem>&& page) {
        for (auto& item : page) found.ids.insert(item.address_id);
        return true;
      });
  EXPECT_EQ(total, found.report.total_hits);
  return found;
}

TEST(ReplicaDiscovery, ReturnsExactlyTheReplicasIdsOnce) {
  test::ReplicaProcess replica({"--scale", "0.05", "--seed", "11"});
  CurlMultiClient http(test_http());
  const Municipality& m = municipality("Gentofte");
  Found found = discover(http, replica.base_url(), m, 10'000);
  SearchQuery all;
  all.municipality = m.name;
  std::multiset<std::string> expected = page_through(http, replica.base_url(), all);
  ASSERT_GT(expected.size(), 0u);
  EXPECT_EQ(found.ids, expected);
  EXPECT_EQ(found.report.total_hits, static_cast<std::int64_t>(expected.size()));
  EXPECT_EQ(found.report.discovered, found.report.total_hits);
  EXPECT_EQ(found.report.partitions, 1);
  EXPECT_EQ(found.report.shortfall, 0);
  EXPECT_TRUE(found.report.complete);
}

TEST(ReplicaDiscovery, PartitionsByZipThenPriceUnderAPageCap) {
  // At scale 0.08 København has ~1,150 villas, zip 2300 alone ~345: over the cap of 250.
  test::ReplicaProcess replica({"--scale", "0.08", "--seed", "11", "--max-results", "250"});
  CurlMultiClient http(test_http());
  const Municipality& m = municipality("København");
  Found found = discover(http, replica.base_url(), m, 250);
  EXPECT_GT(found.report.total_hits, 250);
  // Every zip is one partition at least; more means some zip was bisected by price.
  EXPECT_GT(found.report.partitions, static_cast<std::int64_t>(m.zip_codes.size()));
  EXPECT_EQ(found.report.shortfall, 0);
  EXPECT_TRUE(found.report.complete);
  EXPECT_EQ(found.report.discovered, found.report.total_hits);
  std::set<std::string> distinct(found.ids.begin(), found.ids.end());
  EXPECT_EQ(distinct.size(), found.ids.size());  // each ID once
  EXPECT_EQ(static_cast<std::int64_t>(distinct.size()), found.report.total_hits);
}

// With 200 ms per response, the replica sees as many requests at once as the client allows.
void expect_replica_in_flight(int max_in_flight) {
  test::ReplicaProcess replica({"--scale", "0.01", "--latency-ms", "200"});
  CurlMultiClient http(test_http(max_in_flight));
  SearchQuery q;
  q.municipality = "Gentofte";
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  const int requests = max_in_flight * 3;
  for (int i = 0; i < requests; ++i) {
    http.get(search_url(replica.base_url(), q), [&](HttpResponse r) {
      EXPECT_EQ(r.status, 200);
      std::lock_guard lock(mu);
      ++done;
      cv.notify_all();
    }, Priority::Normal);
  }
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 30s, [&] { return done == requests; }));
  }
  HttpResponse stats = get_blocking(http, replica.base_url() + "/__stats");
  ASSERT_EQ(stats.status, 200);
  EXPECT_EQ(stat(stats.body, "max_in_flight"), max_in_flight) << stats.body;
}

TEST(ReplicaConcurrency, TwelveInFlight) { expect_replica_in_flight(12); }
TEST(ReplicaConcurrency, SixtyFourInFlight) { expect_replica_in_flight(64); }

}  // namespace
}  // namespace etl

namespace etl {
namespace {

HttpOptions fault_http() {
  HttpOptions o = test_http(12);
  o.timeout = 500ms;  // the replica's hangs last 60 s
  o.max_retries = 8;
  return o;
}

TEST(ReplicaFaults, DiscoveryAndDetailsSurviveErrorsAndHangs) {
  test::ReplicaProcess replica({"--scale", "0.02", "--seed", "5", "--error-rate", "0.2", "--hang-rate", "0.02"});
  CurlMultiClient http(fault_http());
  Found found = discover(http, replica.base_url(), municipality("Gentofte"), 10'000);
  EXPECT_TRUE(found.report.complete);
  EXPECT_EQ(found.report.discovered, found.report.total_hits);
  PropertyParser parser;
  int fetched = 0;
  for (const auto& id : found.ids) {
    if (fetched++ == 40) break;
    HttpResponse r = get_blocking(http, detail_url(replica.base_url(), id));
    ASSERT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(parser.parse(r.body).address_id, id);
  }
  EXPECT_GT(http.stats().retries, 0);
}

TEST(ReplicaFaults, RateLimitedRequestsWaitForRetryAfter) {
  test::ReplicaProcess replica({"--scale", "0.01", "--rate-limit-rps", "4"});
  CurlMultiClient http(test_http(8));
  SearchQuery q;
  q.municipality = "Gentofte";
  q.per_page = 1;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<HttpResponse> done;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 8; ++i) {
    http.get(search_url(replica.base_url(), q), [&](HttpResponse r) {
      std::lock_guard lock(mu);
      done.push_back(std::move(r));
      cv.notify_all();
    }, Priority::Normal);
  }
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 20s, [&] { return done.size() == 8; }));
  for (const auto& r : done) EXPECT_EQ(r.status, 200);
  EXPECT_GT(http.stats().status_429, 0);
  EXPECT_GE(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
}

TEST(ReplicaFaults, NotFoundAndPastTheResultCapAreFinal) {
  test::ReplicaProcess replica({"--scale", "0.01", "--max-results", "150"});
  CurlMultiClient http(test_http());
  HttpResponse gone = get_blocking(http, detail_url(replica.base_url(), "00000000-0000-0000-0000-000000000000"));
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.attempts, 1);
  SearchQuery q;
  q.municipality = "Gentofte";
  q.page = 4;
  HttpResponse past = get_blocking(http, search_url(replica.base_url(), q));
  EXPECT_EQ(past.status, 400);
  EXPECT_EQ(past.attempts, 1);
}

TEST(ReplicaFaults, MalformedPayloadsAreParseErrors) {
  test::ReplicaProcess replica({"--scale", "0.01", "--seed", "3"});
  CurlMultiClient http(test_http());
  Found found = discover(http, replica.base_url(), municipality("Gentofte"), 10'000);
  ASSERT_FALSE(found.ids.empty());
  test::ReplicaProcess broken({"--scale", "0.01", "--seed", "3", "--malformed-rate", "1"});
  PropertyParser parser;
  int errors = 0;
  for (const auto& id : found.ids) {
    HttpResponse r = get_blocking(http, detail_url(broken.base_url(), id));
    ASSERT_EQ(r.status, 200);
    try {
      parser.parse(r.body);
    } catch (const ParseError& e) {
      ++errors;
      EXPECT_FALSE(e.path().empty());
    }
  }
  EXPECT_EQ(errors, static_cast<int>(found.ids.size()));
}

}  // namespace
}  // namespace etl
