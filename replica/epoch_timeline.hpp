// How the data changes from night to night (--epoch). Everything is a pure function of
// (seed, scale, property, epoch), so two replicas at the same epoch agree exactly.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "replica/municipality_table.hpp"

namespace replica {

struct DatasetConfig {
  std::uint64_t seed = 1;
  double scale = 1.0;
  int epoch = 0;
};

// Nightly rates of the market model (see README.md, "Epochs").
namespace market_rates {
constexpr double kListedShare = 0.02;      // of villas on the market at any night
constexpr double kEndRate = 0.04;          // of open listings ending each night
constexpr double kSoldShare = 0.5;         // of endings that are sales (the rest: withdrawn)
constexpr double kRelistShare = 0.3;       // of withdrawals listed again 1-5 nights later
constexpr double kPriceChangeRate = 0.08;  // of open listings re-priced each night
constexpr double kRentalShare = 0.003;     // of listings that also have an open rental case
constexpr double kArrivalRate = 0.002;     // new properties per night, of the base count
constexpr double kRemovalRate = 0.0005;    // of properties vanishing each night
// Fresh listings balance the endings that are not relisted: steady at kListedShare.
constexpr double kStartRate =
    kListedShare * kEndRate * (1.0 - (1.0 - kSoldShare) * kRelistShare) / (1.0 - kListedShare);
}  // namespace market_rates

// One open case of a property.
struct Listing {
  int epoch = 0;  // the epoch it started in (0 also for listings older than the records); keys the case ID
  std::chrono::sys_days listed_since{};
  std::int64_t price_cash = 0;     // asking price; a rental's deposit
  double change_percentage = 0;    // of the last price change, 0 if none
  std::int64_t monthly_rent = 0;   // rentals only
};

// A sale registered by the replica's timeline (epochs >= 1), appended to the property's history.
struct Sale {
  std::chrono::sys_days date;
  std::int64_t amount = 0;
  int epoch = 0;
};

// The market state of a property at the configured epoch.
struct MarketState {
  std::optional<Listing> sale;    // the open real-estate case
  std::optional<Listing> rental;  // an open rental case, only next to a sale case
  std::vector<Sale> sales;        // oldest first
  bool on_market() const { return sale.has_value(); }
};

class EpochTimeline {
 public:
  explicit EpochTimeline(DatasetConfig config) : config_(config) {}

  const DatasetConfig& config() const { return config_; }
  std::chrono::sys_days date_of(int epoch) const;  // the night the epoch's data is as of
  std::chrono::sys_days today() const { return date_of(config_.epoch); }

  std::uint32_t base_count(const MunicipalityDef& m) const;  // properties at epoch 0
  // Indices below this exist by `epoch` (some may be removed already).
  std::uint32_t index_limit(const MunicipalityDef& m, int epoch) const;
  std::uint32_t index_limit(const MunicipalityDef& m) const { return index_limit(m, config_.epoch); }
  bool alive(const MunicipalityDef& m, std::uint32_t index) const;
  // `valuation` is the property's, the base of any asking price.
  MarketState market(const MunicipalityDef& m, std::uint32_t index, std::int64_t valuation) const;

 private:
  int birth_epoch(const MunicipalityDef& m, std::uint32_t index) const;

  DatasetConfig config_;
};

}  // namespace replica
