// MarketReads (loaders/market_reads.hpp) on both dialects: a known database of listings
// (written through upsert_batch) and events (inserted with plain SQL at chosen times), each
// read checked against a value computed by hand and the answer of plain SQL (market_sql.hpp).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "etl/core/utc_time.hpp"
#include "loaders/store.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/listed_villa.hpp"
#include "tests/support/market_sql.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl {
namespace {

using test::listed;
using test::villa;

constexpr UnixTime kDay = 86'400;
constexpr UnixTime kNow = 1'700'000'000;     // Tuesday 2023-11-14T22:13:20Z
constexpr UnixTime kMonday = 1'699'833'600;  // 2023-11-13T00:00:00Z: the week holding kNow

std::string utc(UnixTime t) {
  return format_utc_time(t).value_or("");
}


class MarketReadsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = GetParam() == "sqlite" ? "sqlite:" + dir_.file("db/etl.db") : test::PgServer::shared().fresh_database();
    auto store = open_store(url_);
    // 101 København: four listings (an even count), one villa not listed, one listed and removed.
    // 147 Frederiksberg: three listings (odd) and a rental (not in current_listings).
    // 153, with no name stored: one listing with no price.
    store->upsert_batch({listed("a1", 101, "København", 2'000'000, 100, 10), listed("a2", 101, "", 3'000'000, 150, 30),
                         listed("a3", 101, "", 5'000'000, 100, 20), listed("a4", 101, "", 4'000'000, 80, 40),
                         villa("a5", 101, ""), listed("a6", 101, "", 9'000'000, 100, 1),
                         listed("b1", 147, "Frederiksberg", 1'000'000, 50, 5), listed("b2", 147, "", 2'000'000, 100, 7),
                         listed("b3", 147, "", 6'000'000, 120, 100), listed("b4", 147, "", 30'000, 60, 3, "rental"),
                         listed("c1", 153, "", std::nullopt, 90, 1)},
                        kNow - 60 * kDay);
    store->mark_removed({"a6"}, kNow - 50 * kDay);
    struct Event {
      const char* id;
      const char* kind;
      std::int64_t old_price, new_price;
      double percent;
      UnixTime at;
    };
    const std::vector<Event> events = {
        {"a1", "listed", 0, 2'000'000, 0, kNow},                       // the 7-day window's end
        {"a2", "relisted", 0, 3'000'000, 0, kNow - 7 * kDay},          // its start
        {"a3", "listed", 0, 5'000'000, 0, kNow - 7 * kDay - 1},        // 30 days only
        {"a4", "listed", 0, 4'000'000, 0, kNow - 30 * kDay},           // the 30-day window's start
        {"a1", "listed", 0, 2'000'000, 0, kNow - 30 * kDay - 1},       // neither
        {"a2", "listed", 0, 3'000'000, 0, kNow + 1},                   // after now: neither
        {"a5", "delisted", 1'000'000, 0, 0, kNow - 1},                 // not counted
        {"a5", "listed", 0, 1'000'000, 0, kMonday - 14 * kDay},        // a Monday 00:00
        {"a4", "price_changed", 4'000'000, 3'800'000, -5.0, kNow - 2 * kDay},
        {"a3", "price_changed", 5'000'000, 4'500'000, -10.0, kNow - 10 * kDay},
        {"a2", "price_changed", 3'000'000, 2'000'000, -100.0 / 3, kNow - 40 * kDay},  // older than 30 days
        {"a1", "price_changed", 2'000'000, 2'100'000, 5.0, kNow - kDay},               // a rise: no cut
        {"b1", "sold", 1'000'000, 0, 0, kNow - kDay},
        {"b2", "sold", 2'000'000, 0, 0, kMonday - 7 * kDay - 1},  // a Sunday 23:59:59
        {"b2", "price_changed", 2'000'000, 1'960'000, -2.0, kNow - 3 * kDay},
        {"b3", "price_changed", 6'000'000, 5'800'000, -10.0 / 3, kNow - 5 * kDay},  // as large a cut as a4's
    };
    std::vector<std::string> inserts;
    for (const Event& e : events) {
      inserts.push_back(fmt::format("INSERT INTO property_events (address_id, kind, case_id, old_price, new_price, "
                                    "percent, observed_at) VALUES ('{0}', '{1}', 'case-{0}', {2}, {3}, {4}, '{5}')",
                                    e.id, e.kind, e.old_price, e.new_price, e.percent, utc(e.at)));
    }
    test::exec_sql(url_, inserts);
    store_ = open_read_store(url_);
  }

  std::vector<std::vector<std::string>> q(const std::string& sql) const { return test::query_rows(url_, sql); }
  MarketRow by_sql(const std::string& codes) const { return test::market_by_sql(url_, codes, kNow); }
  std::int64_t events(const std::string& kinds, const std::string& codes, UnixTime from, UnixTime to) const {
    return test::events_by_sql(url_, kinds, codes, from, to);
  }

  test::TempDir dir_;
  std::string url_;
  std::unique_ptr<ReadStore> store_;
};

TEST_P(MarketReadsTest, MarketRowsPerMunicipalityAndTotal) {
  const auto rows = store_->market(MarketFilter{{}, kNow});
  ASSERT_EQ(rows.size(), 4u);
  // By name: the unnamed one first, then the total.
  EXPECT_EQ(rows[0].municipality_code, 153);
  EXPECT_EQ(rows[0].municipality, "");
  EXPECT_EQ(rows[1].municipality_code, 147);
  EXPECT_EQ(rows[1].municipality, "Frederiksberg");
  EXPECT_EQ(rows[2].municipality_code, 101);
  EXPECT_EQ(rows[2].municipality, "København");
  EXPECT_EQ(rows[3].municipality_code, 0);
  EXPECT_EQ(rows[3].municipality, "total");

  // By hand: properties listed | median price, per m², days | new, cuts, sales in 7/30 days | median cut.
  EXPECT_EQ(test::market_numbers(rows[0]), "1 1 | - - 1.000000 | 0/0 0/0 0/0 | -");
  EXPECT_EQ(test::market_numbers(rows[1]), "4 3 | 2000000.000000 20000.000000 7.000000 | 0/0 2/2 1/2 | -2.666667");
  EXPECT_EQ(test::market_numbers(rows[2]), "5 4 | 3500000.000000 35000.000000 25.000000 | 2/5 1/2 0/0 | -7.500000");
  EXPECT_EQ(test::market_numbers(rows[3]), "10 8 | 3000000.000000 20000.000000 15.000000 | 2/5 3/4 1/2 | -4.166667");

  // And as plain SQL computes them.
  EXPECT_EQ(test::market_numbers(rows[0]), test::market_numbers(by_sql("153")));
  EXPECT_EQ(test::market_numbers(rows[1]), test::market_numbers(by_sql("147")));
  EXPECT_EQ(test::market_numbers(rows[2]), test::market_numbers(by_sql("101")));
  EXPECT_EQ(test::market_numbers(rows[3]), test::market_numbers(by_sql("101, 147, 153")));
}

TEST_P(MarketReadsTest, MarketOfTheFilterIncludesAMunicipalityWithNothingStored) {
  const auto rows = store_->market(MarketFilter{{147, 999}, kNow});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].municipality_code, 999);
  EXPECT_EQ(rows[0].municipality, "");
  EXPECT_EQ(test::market_numbers(rows[0]), "0 0 | - - - | 0/0 0/0 0/0 | -");
  EXPECT_EQ(rows[1].municipality_code, 147);
  EXPECT_EQ(test::market_numbers(rows[1]), test::market_numbers(by_sql("147")));
  EXPECT_EQ(rows[2].municipality, "total");
  EXPECT_EQ(test::market_numbers(rows[2]), test::market_numbers(rows[1]));  // 999 adds nothing
}

TEST_P(MarketReadsTest, MarketOfAnEmptyDatabaseIsAZeroTotal) {
  const std::string empty = GetParam() == "sqlite" ? "sqlite:" + dir_.file("db/empty.db")
                                                   : test::PgServer::shared().fresh_database();
  open_store(empty);  // created and migrated, nothing written
  const auto rows = open_read_store(empty)->market(MarketFilter{{}, kNow});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].municipality, "total");
  EXPECT_EQ(test::market_numbers(rows[0]), "0 0 | - - - | 0/0 0/0 0/0 | -");
}

TEST_P(MarketReadsTest, WeeklyActivityHasEveryWeekFromMonday) {
  const auto describe = [](const std::vector<WeeklyActivity>& weeks) {
    std::vector<std::string> out;
    for (const auto& w : weeks)
      out.push_back(fmt::format("{} {}/{}/{}", utc(w.week_start), w.new_listings, w.price_cuts, w.sales));
    return out;
  };
  // From Tuesday 2023-10-24 22:13:20: the week of Monday 2023-10-23, empty, to kNow's.
  const auto weeks = store_->weekly_activity(MarketFilter{{}, kNow}, kNow - 21 * kDay);
  EXPECT_EQ(describe(weeks), (std::vector<std::string>{
                                 "2023-10-23T00:00:00Z 0/0/0",
                                 "2023-10-30T00:00:00Z 1/1/1",
                                 "2023-11-06T00:00:00Z 2/3/0",
                                 "2023-11-13T00:00:00Z 1/0/1",
                             }));
  for (const WeeklyActivity& w : weeks) {
    const UnixTime end = std::min(w.week_start + 7 * kDay - 1, kNow);
    SCOPED_TRACE(utc(w.week_start));
    EXPECT_EQ(w.new_listings, events("'listed', 'relisted'", "101, 147, 153", w.week_start, end));
    EXPECT_EQ(w.price_cuts, events("cut", "101, 147, 153", w.week_start, end));
    EXPECT_EQ(w.sales, events("'sold'", "101, 147, 153", w.week_start, end));
  }
  EXPECT_EQ(describe(store_->weekly_activity(MarketFilter{{147}, kNow}, kNow - 21 * kDay)),
            (std::vector<std::string>{"2023-10-23T00:00:00Z 0/0/0", "2023-10-30T00:00:00Z 0/0/1",
                                      "2023-11-06T00:00:00Z 0/2/0", "2023-11-13T00:00:00Z 0/0/1"}));
  // A Monday 00:00 starts its own week.
  EXPECT_EQ(describe(store_->weekly_activity(MarketFilter{{}, kNow}, kMonday)),
            (std::vector<std::string>{"2023-11-13T00:00:00Z 1/0/1"}));
  EXPECT_TRUE(store_->weekly_activity(MarketFilter{{}, kNow}, kNow + 8 * kDay).empty());
}

TEST_P(MarketReadsTest, ListingsOfTheFilterWithWhereTheyAre) {
  const auto describe = [](const std::vector<ListingPoint>& listings) {
    std::vector<std::string> out;
    for (const auto& l : listings)
      out.push_back(fmt::format("{} {} {} {} {} {} {} {} {} {} {}", l.address_id, l.address, l.zip_code.value_or(-1),
                                l.city, l.municipality, l.price.value_or(-1), l.living_area.value_or(-1),
                                l.price_per_m2.value_or(-1), l.latitude.value_or(-1), l.longitude.value_or(-1),
                                l.case_url));
    return out;
  };
  EXPECT_EQ(describe(store_->listings(MarketFilter{{147, 153}, kNow})),
            (std::vector<std::string>{
                "b1 Testvej b1 2000 By Frederiksberg 1000000 50 20000 55.5 12.25 https://example.test/b1",
                "b2 Testvej b2 2000 By Frederiksberg 2000000 100 20000 55.5 12.25 https://example.test/b2",
                "b3 Testvej b3 2000 By Frederiksberg 6000000 120 50000 55.5 12.25 https://example.test/b3",
                "c1 Testvej c1 2000 By  -1 90 -1 55.5 12.25 https://example.test/c1",
            }));
  const auto all = store_->listings(MarketFilter{{}, kNow});
  std::vector<std::string> ids;
  for (const auto& l : all) ids.push_back(l.address_id);
  std::vector<std::string> by_sql;
  for (const auto& row : q("SELECT address_id FROM current_listings")) by_sql.push_back(row.at(0));
  std::sort(by_sql.begin(), by_sql.end());
  EXPECT_EQ(ids, by_sql);
  EXPECT_EQ(ids, (std::vector<std::string>{"a1", "a2", "a3", "a4", "b1", "b2", "b3", "c1"}));
}

TEST_P(MarketReadsTest, LargestPriceCutsInKronerLargestFirst) {
  const auto describe = [](const std::vector<PriceCutRow>& cuts) {
    std::vector<std::string> out;
    for (const auto& c : cuts)
      out.push_back(fmt::format("{} {} {} {} {}->{} {:.2f}% {} {}", c.address_id, c.address, c.city, c.municipality,
                                c.old_price, c.new_price, c.percent, (c.observed_at - kNow) / kDay, c.case_url));
    return out;
  };
  EXPECT_EQ(describe(store_->largest_price_cuts(MarketFilter{{}, kNow}, 0, 10)),
            (std::vector<std::string>{
                "a2 Testvej a2 By København 3000000->2000000 -33.33% -40 https://example.test/a2",
                "a3 Testvej a3 By København 5000000->4500000 -10.00% -10 https://example.test/a3",
                "b3 Testvej b3 By Frederiksberg 6000000->5800000 -3.33% -5 https://example.test/b3",  // older first
                "a4 Testvej a4 By København 4000000->3800000 -5.00% -2 https://example.test/a4",
                "b2 Testvej b2 By Frederiksberg 2000000->1960000 -2.00% -3 https://example.test/b2",
            }));
  // The same order as plain SQL gives.
  std::vector<std::string> by_sql;
  for (const auto& row : q("SELECT address_id FROM price_cuts ORDER BY old_price - new_price DESC, observed_at"))
    by_sql.push_back(row.at(0));
  std::vector<std::string> ids;
  for (const auto& c : store_->largest_price_cuts(MarketFilter{{}, kNow}, 0, 10)) ids.push_back(c.address_id);
  EXPECT_EQ(ids, by_sql);

  const auto recent = store_->largest_price_cuts(MarketFilter{{}, kNow}, kNow - 30 * kDay, 2);
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].address_id, "a3");
  EXPECT_EQ(recent[1].address_id, "b3");
  const auto frederiksberg = store_->largest_price_cuts(MarketFilter{{147}, kNow}, 0, 10);
  ASSERT_EQ(frederiksberg.size(), 2u);
  EXPECT_EQ(frederiksberg[0].address_id, "b3");
  EXPECT_EQ(frederiksberg[1].address_id, "b2");
  EXPECT_TRUE(store_->largest_price_cuts(MarketFilter{{153}, kNow}, 0, 10).empty());
}

INSTANTIATE_TEST_SUITE_P(Dialects, MarketReadsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace etl
