#include "replica/epoch_timeline.hpp"

#include <algorithm>
#include <cmath>

#include "replica/hashing.hpp"

namespace replica {
namespace {

using std::chrono::days;
using namespace market_rates;

constexpr std::chrono::sys_days kEpochZero{std::chrono::year{2025} / std::chrono::October / 1};
constexpr double kMeanAgeDays = 1.0 / kEndRate;  // of the listings open at epoch 0

std::int64_t round_to(double v, std::int64_t step) { return std::llround(v / static_cast<double>(step)) * step; }

}  // namespace

std::chrono::sys_days EpochTimeline::date_of(int epoch) const { return kEpochZero + days(epoch); }

std::uint32_t EpochTimeline::base_count(const MunicipalityDef& m) const {
  return static_cast<std::uint32_t>(std::max(1L, std::lround(m.villas * config_.scale)));
}

// Arrivals accumulate fractionally from a seeded phase, so small municipalities get one now
// and then and every night's expected total is kArrivalRate of the base.
std::uint32_t EpochTimeline::index_limit(const MunicipalityDef& m, int epoch) const {
  const double per_epoch = base_count(m) * kArrivalRate;
  const double phase = unit_interval(hash_of(config_.seed, m.code, Salt::listing, 7));
  return base_count(m) + static_cast<std::uint32_t>(std::floor(per_epoch * epoch + phase));  // phase < 1: none at 0
}

int EpochTimeline::birth_epoch(const MunicipalityDef& m, std::uint32_t index) const {
  const std::uint32_t base = base_count(m);
  if (index < base) return 0;
  const double per_epoch = base * kArrivalRate;
  int e = std::max(1, static_cast<int>(std::ceil((index - base + 1) / per_epoch)) - 1);
  while (index_limit(m, e) <= index) ++e;
  while (e > 1 && index_limit(m, e - 1) > index) --e;
  return e;
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
  const auto change_price = [](Listing& l, double pct) {
    const auto previous = static_cast<double>(l.price_cash);
    l.price_cash = std::max<std::int64_t>(5000, round_to(previous * (1.0 + pct / 100.0), 5000));
    l.change_percentage = 100.0 * (static_cast<double>(l.price_cash) - previous) / previous;
  };
  const auto start = [&](int epoch, bool before_records) {
    Draws d(hash_of(seed, m.code, index, epoch, Salt::market_case));
    Listing l;
    l.epoch = epoch;
    l.listed_since = date_of(epoch);
    l.price_cash = round_to(static_cast<double>(valuation) * (0.95 + 0.25 * d.uniform()), 5000);
    if (before_records) {
      // Open at epoch 0: listed some time ago (the steady state's ages), perhaps re-priced once.
      const int age = 1 + static_cast<int>(std::min(400.0, -std::log(1.0 - d.uniform()) * kMeanAgeDays));
      l.listed_since -= days(age);
      if (age > 14 && d.chance(0.4)) change_price(l, -(2.0 + 6.0 * d.uniform()));
    }
    s.sale = l;
    s.rental.reset();
    Draws r(hash_of(seed, m.code, index, epoch, Salt::rental));
    if (r.chance(kRentalShare)) {
      Listing rent;
      rent.epoch = epoch;
      rent.listed_since = l.listed_since;
      rent.monthly_rent = r.range(16, 40) * 500;  // 8,000-20,000 DKK a month
      rent.price_cash = 3 * rent.monthly_rent;     // the deposit
      s.rental = rent;
    }
  };

  const int born = birth_epoch(m, index);
  if (unit_interval(hash_of(seed, m.code, index, born, Salt::listing)) < kListedShare) start(born, born == 0);
  int relist_at = -1;
  for (int e = born + 1; e <= config_.epoch; ++e) {
    const double u = unit_interval(hash_of(seed, m.code, index, e, Salt::listing));
    if (!s.sale) {
      if (e == relist_at || u < kStartRate) start(e, false);
    } else if (u < kEndRate) {
      Draws d(hash_of(seed, m.code, index, e, Salt::listing_end));
      if (d.chance(kSoldShare)) {
        const double price = static_cast<double>(s.sale->price_cash) * (0.94 + 0.06 * d.uniform());
        s.sales.push_back({date_of(e), round_to(price, 1000), e});
      } else if (d.chance(kRelistShare)) {
        relist_at = e + static_cast<int>(d.range(1, 5));
      }
      s.sale.reset();
      s.rental.reset();
    } else if (unit_interval(hash_of(seed, m.code, index, e, Salt::price)) < kPriceChangeRate) {
      Draws d(hash_of(seed, m.code, index, e, Salt::price, 1));
      change_price(*s.sale, d.chance(0.9) ? -(1.0 + 7.0 * d.uniform()) : 1.0 + 4.0 * d.uniform());
    }
  }
  return s;
}

}  // namespace replica
