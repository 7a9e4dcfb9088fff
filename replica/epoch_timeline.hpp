// How the data changes from night to night (--epoch). Everything is a pure function of
// (seed, scale, property, epoch), so two replicas at the same epoch agree exactly.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "replica/municipality_table.hpp"

namespace replica {

// How the market moves from night to night (--churn; see README.md, "Epochs").
enum class Churn { real, busy };

struct DatasetConfig {
  std::uint64_t seed = 1;
  double scale = 1.0;
  int epoch = 0;
  Churn churn = Churn::busy;
};

// Nightly rates of a churn.
struct ChurnRates {
  double end;           // of open listings ending each night
  double sold_share;    // of endings that are sales (the rest: withdrawn)
  double relist_share;  // of withdrawals listed again 1-5 nights later
  double reprice;       // of open listings re-priced each night
  double arrival;       // new properties per night, of the base count
  double removal;       // of properties vanishing each night
  double weekend;       // new listings on a Saturday or Sunday, relative to a weekday
};

// real: MARKET.md's churn (1.06% of listings end a night, ~0.5% re-priced, 30 relistings in
// 25 nights, new listings mostly on weekdays, a villa born or removed rarely). busy: the
// harsher market the tests were written against, for many changes a night.
constexpr ChurnRates kRealChurn{0.0106, 0.5, 0.07, 0.005, 0.00002, 0.00002, 0.15};
constexpr ChurnRates kBusyChurn{0.04, 0.5, 0.3, 0.08, 0.002, 0.0005, 1.0};

// One open case of a property; a sale may come with more cases of the same property by other
// realtors (`extra_cases`, slots 1..extra_cases), which start, end and re-price with it.
struct Listing {
  int epoch = 0;  // the epoch it started in (0 also for listings older than the records); keys the case ID
  std::chrono::sys_days listed_since{};
  std::int64_t price_cash = 0;     // asking price; a rental's deposit
  double change_percentage = 0;    // of the last price change, 0 if none
  std::int64_t monthly_rent = 0;   // rentals only
  int extra_cases = 0;             // sales only
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
  explicit EpochTimeline(DatasetConfig config)
      : config_(config), rates_(config.churn == Churn::real ? kRealChurn : kBusyChurn) {}

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
  // The asking price of a sale's case in `slot` (0: the listing's own).
  std::int64_t slot_price(const MunicipalityDef& m, std::uint32_t index, const Listing& sale, int slot) const;

 private:
  int birth_epoch(const MunicipalityDef& m, std::uint32_t index) const;

  DatasetConfig config_;
  ChurnRates rates_;
};

}  // namespace replica
