// The data behind a report's charts as one JSON object, inlined in the page: every field of
// the MarketReport, times as UTC text (2026-12-07T06:00:00Z), missing values as null.
#pragma once

#include <string>

#include "etl/report/market_report.hpp"

namespace etl {

std::string report_json(const MarketReport& report);

}  // namespace etl
