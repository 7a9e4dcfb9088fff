// diff_listings: which addresses the nightly refresh must look at, from the cases alone.
#include "etl/pipeline/listing_diff.hpp"

#include <gtest/gtest.h>

namespace etl {
namespace {

ListedCase listed(std::string case_id, std::string address_id, std::int64_t price, std::string distinction = "real_estate") {
  return ListedCase{std::move(case_id), std::move(address_id), price, std::move(distinction), "open"};
}
StoredCase stored(std::string case_id, std::string address_id, std::int64_t price, std::string distinction = "real_estate") {
  return StoredCase{std::move(case_id), std::move(address_id), price, std::move(distinction)};
}

TEST(ListingDiff, UnchangedListingsCostNothing) {
  EXPECT_TRUE(diff_listings({stored("c1", "a1", 100), stored("c2", "a2", 200)},
                            {listed("c2", "a2", 200), listed("c1", "a1", 100)})
                  .empty());
  EXPECT_TRUE(diff_listings({}, {}).empty());
}

TEST(ListingDiff, NamesEachKindOfChangeOncePerAddress) {
  const auto changes = diff_listings(
      {stored("c1", "a1", 100), stored("c2", "a2", 200), stored("c3", "a3", 300), stored("c4", "a4", 9000, "rental"),
       stored("old", "a5", 500)},
      {listed("c1", "a1", 100),                // unchanged
       listed("c2", "a2", 190),                // re-priced
       listed("c4", "a4", 9000, "real_estate"),// another distinction
       listed("new", "a6", 700),               // a new listing
       listed("re", "a5", 480)});              // a relisting: new caseID, old one gone
  ASSERT_EQ(changes.size(), 5u);
  const std::vector<std::pair<std::string, ListingChange>> expected = {{"a2", ListingChange::PriceChanged},
                                                                       {"a3", ListingChange::Ended},
                                                                       {"a4", ListingChange::Other},
                                                                       {"a5", ListingChange::Listed},
                                                                       {"a6", ListingChange::Listed}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(changes[i].address_id, expected[i].first);
    EXPECT_EQ(changes[i].change, expected[i].second) << changes[i].address_id;
  }
}

TEST(ListingDiff, ASecondCaseOnAListedAddressIsAChangeOfThatAddress) {
  const auto changes = diff_listings({stored("c1", "a1", 100)}, {listed("c1", "a1", 100), listed("r1", "a1", 30000, "rental")});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].address_id, "a1");
  EXPECT_EQ(changes[0].change, ListingChange::Listed);
}

TEST(ListingDiff, APriceThatAppearsOrVanishesIsAPriceChange) {
  ListedCase no_price = listed("c1", "a1", 0);
  no_price.price_cash.reset();
  const auto changes = diff_listings({stored("c1", "a1", 100)}, {no_price});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].change, ListingChange::PriceChanged);
  EXPECT_STREQ(to_string(changes[0].change), "price_changed");
}

// A property stored as listed with no open case row (Store::open_cases gives it an empty
// caseID): ended unless the API lists a case for it now; several such do not collide.
TEST(ListingDiff, ListedWithoutACaseEndsUnlessListedNow) {
  const auto changes = diff_listings({stored("", "a1", 0), stored("", "a2", 0)}, {listed("c9", "a2", 100)});
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].address_id, "a1");
  EXPECT_EQ(changes[0].change, ListingChange::Ended);
  EXPECT_EQ(changes[1].address_id, "a2");
  EXPECT_EQ(changes[1].change, ListingChange::Listed);
}

}  // namespace
}  // namespace etl
