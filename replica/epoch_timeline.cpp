// Walks a property's nights from its birth: listings start, re-price and end (sold or
// withdrawn), properties arrive and vanish, at the rates of the configured churn.
#include "replica/epoch_timeline.hpp"

#include <algorithm>
#include <cmath>

#include "replica/hashing.hpp"
#include "replica/market_shape.hpp"

namespace replica {
namespace {

using std::chrono::days;
using namespace market_shape;

constexpr std::chrono::sys_days kEpochZero{std::chrono::year{2025} / std::chrono::October / 1};

std::int64_t round_to(double v, std::int64_t step) { return std::llround(v / static_cast<double>(step)) * step; }

// A real re-pricing, in percent: almost always a cut around -4%.
double real_price_change(Draws& d) {
  if (!d.chance(kRepriceDownShare)) return 1.0 + (kRaiseMax - 1.0) * d.uniform();
  return -std::clamp(split_lognormal(-d.normal(), kCutP10, kCutP50, kCutP90), 0.5, kCutMax);
}

bool weekend(std::chrono::sys_days day) {
  const std::chrono::weekday w{day};
  return w == std::chrono::Saturday || w == std::chrono::Sunday;
}

}  // namespace

std::chrono::sys_days EpochTimeline::date_of(int epoch) const { return kEpochZero + days(epoch); }

std::uint32_t EpochTimeline::base_count(const MunicipalityDef& m) const {
  return static_cast<std::uint32_t>(std::max(1L, std::lround(m.villas * config_.scale)));
}

// Arrivals accumulate fractionally from a seeded phase, so small municipalities get one now
// and then and every night's expected total is the churn's arrival rate of the base.
std::uint32_t EpochTimeline::index_limit(const MunicipalityDef& m, int epoch) const {
  const double per_epoch = base_count(m) * rates_.arrival;
  const double phase = unit_interval(hash_of(config_.seed, m.code, Salt::listing, 7));
  return base_count(m) + static_cast<std::uint32_t>(std::floor(per_epoch * epoch + phase));  // phase < 1: none at 0
}

int EpochTimeline::birth_epoch(const MunicipalityDef& m, std::uint32_t index) const {
  const std::uint32_t base = base_count(m);
  if (index < base) return 0;
  const double per_epoch = base * rates_.arrival;
  int e = std::max(1, static_cast<int>(std::ceil((index - base + 1) / per_epoch)) - 1);
  while (index_limit(m, e) <= index) ++e;
  while (e > 1 && index_limit(m, e - 1) > index) --e;
  return e;
}

bool EpochTimeline::alive(const MunicipalityDef& m, std::uint32_t index) const {
  if (index >= index_limit(m)) return false;
  for (int e = birth_epoch(m, index) + 1; e <= config_.epoch; ++e) {
    if (unit_interval(hash_of(config_.seed, m.code, index, e, Salt::removal)) < rates_.removal) return false;
  }
  return true;
}

std::int64_t EpochTimeline::slot_price(const MunicipalityDef& m, std::uint32_t index, const Listing& sale,
                                       int slot) const {
  if (slot == 0) return sale.price_cash;
  // Other realtors ask within a few percent of the first.
  Draws d(hash_of(config_.seed, m.code, index, sale.epoch, Salt::market_case, 10 + slot));
  return round_to(static_cast<double>(sale.price_cash) * (0.95 + 0.1 * d.uniform()), 5000);
}

MarketState EpochTimeline::market(const MunicipalityDef& m, std::uint32_t index, std::int64_t valuation) const {
  const std::uint64_t seed = config_.seed;
  const bool real = config_.churn == Churn::real;
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
    l.price_cash = round_to(static_cast<double>(valuation) * (0.96 + 0.1 * d.uniform()), 5000);
    if (before_records) {
      // Open at epoch 0: listed as long ago as the real listings' ages, re-priced as often.
      const int age = std::min(kDaysMax, static_cast<int>(split_lognormal(d.normal(), kDaysP10, kDaysP50, kDaysP90)));
      l.listed_since -= days(age);
      if (d.chance(1.0 - std::exp(-kRepriceHazard * age))) change_price(l, real_price_change(d));
    }
    const double u = d.uniform();
    if (u < kManyCasesShare) {
      l.extra_cases = static_cast<int>(d.range(4, 8));
    } else if (u < kManyCasesShare + kTwoCasesShare) {
      l.extra_cases = 1;
    }
    s.sale = l;
    s.rental.reset();
    Draws r(hash_of(seed, m.code, index, epoch, Salt::rental));
    if (r.chance(kRentalShare)) {
      Listing rent;
      rent.epoch = epoch;
      rent.listed_since = l.listed_since;
      rent.monthly_rent = r.range(kRentMin / 500, kRentMax / 500) * 500;
      rent.price_cash = 3 * rent.monthly_rent;  // the deposit
      s.rental = rent;
    }
  };

  // Fresh listings balance the endings that are not relisted, so the municipality's listed
  // share holds still; on the real market they come mostly on weekdays (the same weekly total).
  const double share = m.listed_share;
  const double start_rate =
      share * rates_.end * (1.0 - (1.0 - rates_.sold_share) * rates_.relist_share) / (1.0 - share);
  const double weekday_factor = 7.0 / (5.0 + 2.0 * rates_.weekend);

  const int born = birth_epoch(m, index);
  if (unit_interval(hash_of(seed, m.code, index, born, Salt::listing)) < share) start(born, born == 0);
  int relist_at = -1;
  for (int e = born + 1; e <= config_.epoch; ++e) {
    const double u = unit_interval(hash_of(seed, m.code, index, e, Salt::listing));
    if (!s.sale) {
      const double rate = start_rate * weekday_factor * (weekend(date_of(e)) ? rates_.weekend : 1.0);
      if (e == relist_at || u < rate) start(e, false);
    } else if (u < rates_.end) {
      Draws d(hash_of(seed, m.code, index, e, Salt::listing_end));
      if (d.chance(rates_.sold_share)) {
        const double price = static_cast<double>(s.sale->price_cash) * (0.94 + 0.06 * d.uniform());
        s.sales.push_back({date_of(e), round_to(price, 1000), e});
      } else if (d.chance(rates_.relist_share)) {
        relist_at = e + static_cast<int>(d.range(1, 5));
      }
      s.sale.reset();
      s.rental.reset();
    } else if (unit_interval(hash_of(seed, m.code, index, e, Salt::price)) < rates_.reprice) {
      Draws d(hash_of(seed, m.code, index, e, Salt::price, 1));
      if (real) {
        change_price(*s.sale, real_price_change(d));
      } else {
        change_price(*s.sale, d.chance(0.9) ? -(1.0 + 7.0 * d.uniform()) : 1.0 + 4.0 * d.uniform());
      }
    }
  }
  return s;
}

}  // namespace replica
