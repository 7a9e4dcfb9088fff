// A change of the market the merge observed (issue 17): one row of property_events. The
// rules that derive them are in loaders/market_history.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "etl/core/enum_names.hpp"

namespace etl {

enum class EventKind { new_, listed, price_changed, delisted, sold, removed, returned, relisted };

inline constexpr std::size_t kEventKinds = 8;
inline constexpr EnumNames<EventKind, kEventKinds> kEventKindNames{
    {"new", "listed", "price_changed", "delisted", "sold", "removed", "returned", "relisted"}};

constexpr std::string_view to_string(EventKind k) { return kEventKindNames(k); }

struct PropertyEvent {
  std::string address_id;
  EventKind kind = EventKind::new_;
  std::optional<std::string> case_id;      // listed, relisted, price_changed, delisted, sold
  std::optional<std::int64_t> old_price;   // price_changed; delisted, sold: the last asking price
  std::optional<std::int64_t> new_price;   // price_changed, listed, relisted
  std::optional<double> percent;           // price_changed: (new - old) / old * 100
  std::optional<std::int64_t> sale_amount; // sold: the new registration's amount
  std::optional<std::string> sale_date;    // sold: its date as the API sends it
  std::optional<std::int64_t> run_id;      // the etl_runs row that observed it
  std::int64_t time = 0;                   // Unix seconds, UTC: when it was observed
};

}  // namespace etl
