// The market history rules (loaders/market_history.hpp), one rule a test.
#include "loaders/market_history.hpp"

#include <gtest/gtest.h>

namespace etl::loaders_detail {
namespace {

const std::string kAddress = "a";

PropertyRecord record(std::vector<ListingCase> cases, std::vector<Registration> registrations = {}) {
  PropertyRecord r;
  r.address_id = kAddress;
  r.cases = std::move(cases);
  r.registrations = std::move(registrations);
  return r;
}

ListingCase listing(const std::string& id, std::int64_t price, std::optional<std::string> status = "open") {
  ListingCase c;
  c.case_id = id;
  c.price_cash = price;
  c.status = std::move(status);
  return c;
}

Registration sale(const std::string& id, std::int64_t amount = 1, std::string date = "2020-01-01") {
  Registration r;
  r.registration_id = id;
  r.amount = amount;
  r.date = std::move(date);
  return r;
}

std::vector<EventKind> kinds(const ObservedChange& c) {
  std::vector<EventKind> out;
  for (const auto& e : c.events) out.push_back(e.kind);
  return out;
}

const StoredChildren kOpen100{{{"c1", 100, true}}, {{"r1"}}};

TEST(MarketHistory, AFirstImportIsNewOnly) {
  const auto c = observe_write(StoredAs::absent, {}, record({listing("c1", 100)}));
  EXPECT_EQ(kinds(c), std::vector<EventKind>{EventKind::new_});
  EXPECT_TRUE(c.ended_cases.empty());
}

// Outside a first import, a listing new to the database is news whether or not its property
// was stored: listed at birth, or born unlisted since the last plain run and listed since.
TEST(MarketHistory, ANewPropertyWithAnOpenCaseIsNewAndListed) {
  PropertyRecord r = record({listing("c1", 100), listing("c0", 50, "sold")});
  r.listings_are_news = true;
  const auto c = observe_write(StoredAs::absent, {}, r);
  ASSERT_EQ(kinds(c), (std::vector<EventKind>{EventKind::new_, EventKind::listed}));
  EXPECT_EQ(c.events[1].case_id, "c1");
  EXPECT_EQ(c.events[1].new_price, 100);
  r.cases.pop_back();
  r.cases.pop_back();
  EXPECT_EQ(kinds(observe_write(StoredAs::absent, {}, r)), std::vector<EventKind>{EventKind::new_});
}

TEST(MarketHistory, ARemovedPropertySeenAgainIsReturnedItsVanishedCasesEndSilentlyANewOneIsRelisted) {
  const auto c = observe_write(StoredAs::removed, kOpen100, record({listing("c2", 90)}));
  EXPECT_EQ(kinds(c), (std::vector<EventKind>{EventKind::returned, EventKind::relisted}));
  EXPECT_EQ(c.ended_cases, std::vector<std::string>{"c1"});
  // A case still open is no news; a property that never had one comes back listed.
  EXPECT_EQ(kinds(observe_write(StoredAs::removed, kOpen100, record({listing("c1", 100)}))),
            std::vector<EventKind>{EventKind::returned});
  EXPECT_EQ(kinds(observe_write(StoredAs::removed, {}, record({listing("c1", 100)}))),
            (std::vector<EventKind>{EventKind::returned, EventKind::listed}));
}

TEST(MarketHistory, ANewOpenCaseOfAnUnlistedPropertyIsListed) {
  const auto c = observe_write(StoredAs::live, {{}, {{"r1"}}}, record({listing("c1", 100)}));
  ASSERT_EQ(kinds(c), std::vector<EventKind>{EventKind::listed});
  EXPECT_EQ(c.events[0].case_id, "c1");
  EXPECT_EQ(c.events[0].new_price, 100);
}

TEST(MarketHistory, ANewOpenCaseAfterAnEndedOneIsRelisted) {
  const StoredChildren ended{{{"c0", 80, false}}, {}};
  EXPECT_EQ(kinds(observe_write(StoredAs::live, ended, record({listing("c1", 100)}))),
            std::vector<EventKind>{EventKind::relisted});
  // An ending in the same write counts too: the old case is delisted, the new one relisted.
  const auto c = observe_write(StoredAs::live, kOpen100, record({listing("c2", 95)}));
  EXPECT_EQ(kinds(c), (std::vector<EventKind>{EventKind::delisted, EventKind::relisted}));
  EXPECT_EQ(c.ended_cases, std::vector<std::string>{"c1"});
}

TEST(MarketHistory, ARepricedOpenCaseIsPriceChangedWithItsPercentage) {
  const auto c = observe_write(StoredAs::live, kOpen100, record({listing("c1", 90)}, {sale("r1")}));
  ASSERT_EQ(kinds(c), std::vector<EventKind>{EventKind::price_changed});
  EXPECT_EQ(c.events[0].old_price, 100);
  EXPECT_EQ(c.events[0].new_price, 90);
  EXPECT_DOUBLE_EQ(*c.events[0].percent, -10.0);
  EXPECT_TRUE(observe_write(StoredAs::live, kOpen100, record({listing("c1", 100)}, {sale("r1")})).events.empty());
}

TEST(MarketHistory, AnEndedCaseWithoutANewRegistrationIsDelisted) {
  const auto c = observe_write(StoredAs::live, kOpen100, record({}, {sale("r1")}));
  ASSERT_EQ(kinds(c), std::vector<EventKind>{EventKind::delisted});
  EXPECT_EQ(c.events[0].old_price, 100);
  EXPECT_EQ(c.ended_cases, std::vector<std::string>{"c1"});
}

TEST(MarketHistory, AnEndedCaseWithANewRegistrationIsSoldWithTheLatestSale) {
  const Registration old_sale = sale("r1", 1, "2001-01-01");
  const Registration a = sale("r2", 950, "2026-11-30");
  const Registration b = sale("r3", 900, "2026-11-29");
  const auto c = observe_write(StoredAs::live, kOpen100, record({}, {old_sale, b, a}));
  ASSERT_EQ(kinds(c), std::vector<EventKind>{EventKind::sold});
  EXPECT_EQ(c.events[0].sale_amount, 950);
  EXPECT_EQ(c.events[0].sale_date, "2026-11-30");
  EXPECT_EQ(c.events[0].old_price, 100);
}

TEST(MarketHistory, ACaseStillWrittenButNoLongerOpenEndsWithoutEndingItsRow) {
  const auto c = observe_write(StoredAs::live, kOpen100, record({listing("c1", 100, "sold")}, {sale("r1")}));
  EXPECT_EQ(kinds(c), std::vector<EventKind>{EventKind::delisted});
  EXPECT_TRUE(c.ended_cases.empty()) << "the row is written as the payload says";
}

TEST(MarketHistory, ACaseOfUnknownStatusIsOpen) {
  EXPECT_EQ(kinds(observe_write(StoredAs::live, {}, record({listing("c1", 100, std::nullopt)}))),
            std::vector<EventKind>{EventKind::listed});
}

TEST(MarketHistory, ARemovalIsRemoved) {
  const auto e = removal_event("a");
  EXPECT_EQ(e.kind, EventKind::removed);
  EXPECT_EQ(e.address_id, "a");
  EXPECT_FALSE(e.case_id);
}

}  // namespace
}  // namespace etl::loaders_detail
