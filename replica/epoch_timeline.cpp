#include "replica/epoch_timeline.hpp"

#include <algorithm>
#include <cmath>

#include "replica/hashing.hpp"

namespace replica {
namespace {

using std::chrono::days;

// Nightly rates. Listing and delisting balance at ~10% on the market with ~2% of all
// properties changing state per night.
constexpr double kRemovalRate = 0.01;
constexpr double kArrivalRate = 0.01;
constexpr double kListedShare = 0.10;
constexpr double kDelistRate = 0.10;
constexpr double kListRate = kListedShare * kDelistRate / (1.0 - kListedShare);
constexpr double kPriceChangeRate = 0.25;

constexpr std::chrono::sys_days kEpochZero{std::chrono::year{2025} / std::chrono::October / 1};

std::int64_t round_to(double v, std::int64_t step) { return std::llround(v / static_cast<double>(step)) * step; }

}  // namespace

std::chrono::sys_days EpochTimeline::date_of(int epoch) const { return kEpochZero + days(epoch); }

std::uint32_t EpochTimeline::base_count(const MunicipalityDef& m) const {
  return static_cast<std::uint32_t>(std::max(1L, std::lround(m.villas * config_.scale)));
}

std::uint32_t EpochTimeline::arrivals_per_epoch(const MunicipalityDef& m) const {
  return static_cast<std::uint32_t>(std::lround(base_count(m) * kArrivalRate));
}

std::uint32_t EpochTimeline::index_limit(const MunicipalityDef& m) const {
  return base_count(m) + arrivals_per_epoch(m) * static_cast<std::uint32_t>(config_.epoch);
}

int EpochTimeline::birth_epoch(const MunicipalityDef& m, std::uint32_t index) const {
  const std::uint32_t base = base_count(m);
  if (index < base) return 0;
  return 1 + static_cast<int>((index - base) / arrivals_per_epoch(m));
}

bool EpochTimeline::alive(const MunicipalityDef& m, std::uint32_t index) const {
  if (index >= index_limit(m)) return false;
  for (int e = birth_epoch(m, index) + 1; e <= config_.epoch; ++e) {
    if (unit_interval(hash_of(config_.seed, m.code, index, e, Salt::removal)) < kRemovalRate) return false;
  }
  return true;
}

MarketState EpochTimeline::market(const MunicipalityDef& m, std::uint32_t index, std::int64_t valuation) const {
  const std::uint64_t seed = config_.seed;
  MarketState s;
  // The recorded percentage is the real change after rounding the price to 5,000 DKK.
  const auto cut_price = [&](std::chrono::sys_days date, double pct) {
    const auto previous = static_cast<double>(s.price_cash());
    const std::int64_t price = round_to(previous * (1.0 + pct / 100.0), 5000);
    s.price_changes.push_back({date, price, 100.0 * (static_cast<double>(price) - previous) / previous});
  };
  const auto list_at = [&](int epoch, bool before_records) {
    Draws d(hash_of(seed, m.code, index, epoch, Salt::market_case));
    s.on_market = true;
    s.listing_epoch = epoch;
    s.initial_price = round_to(static_cast<double>(valuation) * (0.95 + 0.25 * d.uniform()), 5000);
    s.price_changes.clear();
    s.listed_since = date_of(epoch);
    if (before_records) {
      // Listed before epoch 0: some history already, including earlier price cuts.
      const int age = static_cast<int>(d.range(3, 240));
      s.listed_since -= days(age);
      const int cuts = age > 30 ? static_cast<int>(d.range(0, 2)) : 0;
      for (int i = 0; i < cuts; ++i) {
        cut_price(s.listed_since + days(age * (i + 1) / (cuts + 1)), -(2.0 + 6.0 * d.uniform()));
      }
    }
  };

  const int born = birth_epoch(m, index);
  const double first = unit_interval(hash_of(seed, m.code, index, born, Salt::listing));
  if (first < kListedShare) list_at(born, born == 0);
  for (int e = born + 1; e <= config_.epoch; ++e) {
    const double u = unit_interval(hash_of(seed, m.code, index, e, Salt::listing));
    if (!s.on_market) {
      if (u < kListRate) list_at(e, false);
    } else if (u < kDelistRate) {
      s = MarketState{};
    } else if (unit_interval(hash_of(seed, m.code, index, e, Salt::price)) < kPriceChangeRate) {
      Draws d(hash_of(seed, m.code, index, e, Salt::price));
      cut_price(date_of(e), -(1.0 + 7.0 * d.uniform()));
    }
  }
  return s;
}

}  // namespace replica
