// One self-contained HTML page of a MarketReport, readable offline and mailable: the headline
// numbers and the 20 largest price cuts as HTML, the charts drawn by Chart.js, which is inlined
// with the data (JSON) and the page's script. The only links out are the listings' own.
#pragma once

#include <string>

#include "etl/report/market_report.hpp"

namespace etl {

// `chart_js`: the text of Chart.js (read_chart_library).
std::string report_page(const MarketReport& report, const std::string& chart_js);

}  // namespace etl
