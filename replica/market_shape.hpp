// The real market's measured shape (tools/reference/MARKET.md, copenhagen area, 2025-10-07),
// which the replica's market is drawn from at every scale: prices, ages, registrations, cases.
// Figures are MARKET.md's; the model parameters next to them say how the replica reaches them.
#pragma once

#include <cmath>
#include <cstdint>

namespace replica::market_shape {

// A lognormal through measured p10, p50 and p90, each side of the median on its own; `z` is a
// standard normal draw.
inline double split_lognormal(double z, double p10, double p50, double p90) {
  return p50 * std::exp(z * std::log((z > 0 ? p90 : p10) / p50) / (z > 0 ? 1.2816 : -1.2816));
}

// Asking price per m² (p10 15,965, p50 34,439, p90 68,732; extremes 336 and 281,250).
constexpr double kPerM2P10 = 15965, kPerM2P50 = 34439, kPerM2P90 = 68732;
constexpr double kPerM2Min = 336, kPerM2Max = 281250;
// The extremes are far beyond a lognormal's reach: a few villas are priced like a castle or
// like a ruin on a large lot, log-uniformly between p90 and the maximum or the minimum and p10.
constexpr double kLuxuryShare = 0.002, kRuinShare = 0.0005;
// How much of a listing's price level is its municipality's (a correlation of standard scores).
constexpr double kMunicipalityWeight = 0.6;
// Living area: lognormal, median and spread such that price = per m² x area has the measured
// asking price quantiles (p10 2.55 M, p50 5.90 M, p90 14.75 M; min 395,000, max 120 M).
constexpr double kAreaMedian = 176, kAreaSigma = 0.40;
constexpr int kAreaMin = 45, kAreaMax = 1200;
constexpr std::int64_t kPriceMin = 395000, kPriceMax = 120000000;

// Days on market of the listings open at epoch 0 (p10 12, p50 84, p90 245, max 1,330).
constexpr double kDaysP10 = 12, kDaysP50 = 84, kDaysP90 = 245;
constexpr int kDaysMax = 1330;

// Open sale cases per listed address: 13 addresses with 2 and one with 9 of 3,595 listed.
constexpr double kTwoCasesShare = 13.0 / 3595;
constexpr double kManyCasesShare = 1.0 / 3595;  // 5-9 cases (different realtors, similar prices)

// 8 rentals among 3,615 sale cases; a deposit of 3 x a monthly rent of 14,500-75,000 DKK.
constexpr double kRentalShare = 8.0 / 3615;
constexpr int kRentMin = 14500, kRentMax = 75000;

// 1.70 registrations (sales) a villa, at most 12; types normal 89%, family 7%, other 3%,
// auction 1%; dates 1992-2025.
constexpr int kRegistrationsMax = 12;
constexpr double kFamilyShare = 0.07, kOtherShare = 0.03, kAuctionShare = 0.01;

// Re-pricing: a hazard of ~0.5% a night; 99.7% down, p10 -7.8%, p50 -4.0%, p90 -2.2%, min
// -33%, max +15%. 36% of open listings have been re-priced at least once.
constexpr double kRepriceHazard = 0.005;
constexpr double kRepriceDownShare = 0.997;
constexpr double kCutP50 = 4.0, kCutP10 = 7.8, kCutP90 = 2.2, kCutMax = 33, kRaiseMax = 15;

}  // namespace replica::market_shape
