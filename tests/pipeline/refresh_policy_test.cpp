#include <gtest/gtest.h>

#include "etl/core/errors.hpp"
#include "etl/pipeline/refresh_policy.hpp"

namespace etl {
namespace {

StoredState stored(bool on_market, std::optional<UnixTime> fetched_at, bool removed = false) {
  StoredState s;
  s.address_id = "id";
  s.fetched_at = fetched_at;
  s.is_on_market = on_market;
  s.removed = removed;
  return s;
}

TEST(RefreshPolicy, ParsesEveryForm) {
  EXPECT_EQ(RefreshPolicy::parse("none").kind(), RefreshPolicy::Kind::None);
  EXPECT_EQ(RefreshPolicy::parse("on-market").kind(), RefreshPolicy::Kind::OnMarket);
  EXPECT_EQ(RefreshPolicy::parse("all").kind(), RefreshPolicy::Kind::All);
  EXPECT_EQ(RefreshPolicy::parse("stale:7d").max_age_seconds(), 7 * 86400);
  EXPECT_EQ(RefreshPolicy::parse("stale:12h").max_age_seconds(), 12 * 3600);
  EXPECT_EQ(RefreshPolicy::parse("stale:30m").max_age_seconds(), 1800);
  EXPECT_EQ(RefreshPolicy::parse("stale:7d").to_string(), "stale:7d");
  for (const char* bad : {"stale:xyz", "stale:", "stale:-1d", "stale:7", "stale:7y", "sometimes", "",
                          "stale:99999999999999999d", "stale:106751991167301d", "stale:36601d"})
    EXPECT_THROW(RefreshPolicy::parse(bad), ConfigError) << bad;
}

TEST(RefreshPolicy, DecidesWhatIsFetchedAgain) {
  const UnixTime now = 1'000'000;
  const auto none = RefreshPolicy::parse("none");
  const auto market = RefreshPolicy::parse("on-market");
  const auto stale = RefreshPolicy::parse("stale:1d");
  EXPECT_FALSE(none.wants(stored(true, now), now));
  // on-market pages no addresses: the listings, not the stored flag, say what is fetched.
  EXPECT_FALSE(market.wants(stored(true, now), now));
  EXPECT_FALSE(market.pages_addresses());
  EXPECT_TRUE(none.pages_addresses());
  EXPECT_TRUE(stale.wants(stored(false, now - 86401), now));
  EXPECT_FALSE(stale.wants(stored(false, now - 100), now));
  EXPECT_TRUE(stale.wants(stored(false, std::nullopt), now));
  EXPECT_TRUE(RefreshPolicy::parse("all").wants(stored(false, now), now));
  EXPECT_TRUE(none.wants(stored(false, now, true), now)) << "a removed property back in search is fetched";
}

}  // namespace
}  // namespace etl
