// Chart.js, read from Debian's libjs-chart.js when a page is written, to be inlined in it:
// the page then draws offline and fetches nothing.
#pragma once

#include <string>

namespace etl {

inline constexpr const char* kChartJsPath = "/usr/share/javascript/chart.js/chart.min.js";

// The library's text. Throws ConfigError "Chart.js is missing (PATH): install libjs-chart.js"
// when it cannot be read, and when it holds text that would end its <script> element early.
std::string read_chart_library(const std::string& path = kChartJsPath);

}  // namespace etl
