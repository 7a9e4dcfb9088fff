// `etl market` on a real history (issue 36's acceptance), SQLite and PostgreSQL: a replica
// import of the copenhagen area and three nightly refreshes (`--refresh on-market`), then
// `etl market --format json` lists the area's 36 municipalities and the total, and each one's
// counts and medians equal what plain SQL over the same database gives (market_sql.hpp).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <set>

#include "etl/core/utc_time.hpp"
#include "tests/pipeline/etl_run_fixture.hpp"
#include "tests/support/market_sql.hpp"
#include "tests/support/pg_server.hpp"

namespace etl {
namespace {

using test::EtlRunTest;
using test::ReplicaProcess;

// The copenhagen area at scale 0.05: ~11,000 villas, ~170 listed; seed 13's nights list, cut and sell.
const std::vector<std::string> kMarket = {"--scale", "0.05", "--seed", "13"};
constexpr int kNights = 3;

std::optional<double> optional_number(simdjson::dom::element e) {
  if (e.is_null()) return std::nullopt;
  return double(e);
}

MarketRow row_of(simdjson::dom::element o) {
  MarketRow r;
  r.properties = int64_t(o["villas"]);
  r.listed = int64_t(o["listed"]);
  r.median_price = optional_number(o["median_price"]);
  r.median_price_per_m2 = optional_number(o["median_price_per_m2"]);
  r.median_days_on_market = optional_number(o["median_days_on_market"]);
  r.new_listings_7d = int64_t(o["new_listings_7d"]);
  r.new_listings_30d = int64_t(o["new_listings_30d"]);
  r.price_cuts_7d = int64_t(o["price_cuts_7d"]);
  r.price_cuts_30d = int64_t(o["price_cuts_30d"]);
  r.sales_7d = int64_t(o["sales_7d"]);
  r.sales_30d = int64_t(o["sales_30d"]);
  r.median_cut_percent_30d = optional_number(o["median_cut_percent_30d"]);
  return r;
}

TEST_F(EtlRunTest, MarketAfterAnImportAndThreeNightsEqualsSqlInBothDialects) {
  struct Target {
    std::string name, url;
  };
  const std::vector<Target> targets = {{"sqlite", sqlite_url("market.db")},
                                       {"postgresql", test::PgServer::shared().fresh_database()}};
  for (int night = 0; night <= kNights; ++night) {
    std::vector<std::string> args = kMarket;
    args.insert(args.end(), {"--epoch", std::to_string(night)});
    ReplicaProcess replica(args);
    std::vector<std::string> run = {"--area", "copenhagen"};
    if (night > 0) run.insert(run.end(), {"--refresh", "on-market"});
    for (const Target& t : targets) {
      const auto r = etl(run, replica, t.url);
      ASSERT_EQ(r.exit_code, 0) << t.name << " night " << night << ": " << r.err;
    }
  }
  const std::vector<std::string> names = test::area_names("copenhagen");
  ASSERT_EQ(names.size(), 36u);
  for (const Target& t : targets) {
    SCOPED_TRACE(t.name);
    const auto market = test::run_process({ETL_BIN, "market", "--db", t.url, "--format", "json"}, {{"ETL_DB_URL", ""}});
    ASSERT_EQ(market.exit_code, 0) << market.err;
    simdjson::dom::parser parser;
    const simdjson::dom::element doc = parser.parse(market.out);
    const auto now = parse_utc_time(std::string_view(doc["as_of"]));
    ASSERT_TRUE(now) << market.out;

    std::set<std::string> listed_names;
    std::string codes;
    for (const simdjson::dom::element m : doc["municipalities"].get_array()) {
      const std::string code = std::to_string(int64_t(m["code"]));
      listed_names.insert(std::string(std::string_view(m["name"])));
      if (!codes.empty()) codes += ", ";
      codes += code;
      EXPECT_EQ(test::market_numbers(row_of(m)), test::market_numbers(test::market_by_sql(t.url, code, *now)))
          << std::string_view(m["name"]);
    }
    EXPECT_EQ(listed_names, std::set<std::string>(names.begin(), names.end()));
    const MarketRow total = row_of(doc["total"]);
    EXPECT_EQ(test::market_numbers(total), test::market_numbers(test::market_by_sql(t.url, codes, *now)));
    // A market that moved: listings, and nights that listed, cut or sold.
    EXPECT_GT(total.listed, 50);
    EXPECT_GT(total.new_listings_7d + total.price_cuts_7d + total.sales_7d, 0);
    std::printf("%s: %s\n", t.name.c_str(), test::market_numbers(total).c_str());
  }
}

}  // namespace
}  // namespace etl
