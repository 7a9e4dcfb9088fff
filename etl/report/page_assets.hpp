// The report page's stylesheet and script (report_page.css, report_page.js), built into the
// binary by etl/core/embed_text.cmake.
#pragma once

#include <string_view>

namespace etl {

extern const std::string_view kReportPageCss;
extern const std::string_view kReportPageJs;

}  // namespace etl
