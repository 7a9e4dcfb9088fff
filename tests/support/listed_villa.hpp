// Villas for the market tests (MarketReads, `etl market`): a stored villa, or one listed with
// one open case, in a municipality of the given code and name (empty: no name stored).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "etl/core/property_record.hpp"

namespace etl::test {

// Testvej <id>, 2000 By, at 55.5 N 12.25 E; not on the market.
PropertyRecord villa(const std::string& id, std::int64_t code, const std::string& name);

// The same villa on the market: one open case "case-<id>" at `price`, `area` m² of living
// area, `days` on the market, its link https://example.test/<id>.
PropertyRecord listed(const std::string& id, std::int64_t code, const std::string& name,
                      std::optional<std::int64_t> price, std::int64_t area, std::int64_t days,
                      const std::string& distinction = "real_estate");

}  // namespace etl::test
