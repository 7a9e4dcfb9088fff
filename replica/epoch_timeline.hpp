// How the data changes from night to night (--epoch). Everything is a pure function of
// (seed, property, epoch), so two replicas at the same epoch agree exactly.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "replica/municipality_table.hpp"

namespace replica {

struct DatasetConfig {
  std::uint64_t seed = 1;
  double scale = 1.0;
  int epoch = 0;
};

struct PriceChange {
  std::chrono::sys_days date;
  std::int64_t price_cash = 0;
  double percentage = 0;  // relative to the previous asking price
};

// The listing state of a property at the configured epoch.
struct MarketState {
  bool on_market = false;
  int listing_epoch = 0;  // the epoch its current case started in (keys the case ID)
  std::chrono::sys_days listed_since{};
  std::int64_t initial_price = 0;
  std::vector<PriceChange> price_changes;  // oldest first
  std::int64_t price_cash() const { return price_changes.empty() ? initial_price : price_changes.back().price_cash; }
};

class EpochTimeline {
 public:
  explicit EpochTimeline(DatasetConfig config) : config_(config) {}

  const DatasetConfig& config() const { return config_; }
  std::chrono::sys_days date_of(int epoch) const;  // the night the epoch's data is as of
  std::chrono::sys_days today() const { return date_of(config_.epoch); }

  std::uint32_t base_count(const MunicipalityDef& m) const;  // properties at epoch 0
  std::uint32_t arrivals_per_epoch(const MunicipalityDef& m) const;
  // Indices below this exist at the configured epoch (some may be removed already).
  std::uint32_t index_limit(const MunicipalityDef& m) const;
  bool alive(const MunicipalityDef& m, std::uint32_t index) const;
  // Price is the property's valuation, the base of any asking price.
  MarketState market(const MunicipalityDef& m, std::uint32_t index, std::int64_t valuation) const;

 private:
  int birth_epoch(const MunicipalityDef& m, std::uint32_t index) const;

  DatasetConfig config_;
};

}  // namespace replica
