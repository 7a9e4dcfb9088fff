// The text of a run's progress: one terminal line that fits a given width (fields dropped,
// least useful first, as it narrows; never wrapped) and the log line of plain mode, which
// states the same facts.
#pragma once

#include <cstddef>
#include <string>

#include "etl/pipeline/run_progress.hpp"

namespace etl {

// At most `width` columns (code points: municipality names are UTF-8).
std::string progress_line(const RunProgress& progress, std::size_t width);

// Every fact of the line but the bar, for a log.
std::string progress_log_line(const RunProgress& progress);

// 0:42, 12:05, 1:02:03.
std::string format_clock(double seconds);

}  // namespace etl
