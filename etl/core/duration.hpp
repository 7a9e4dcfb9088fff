// The one duration syntax of every flag: a positive whole number and a unit, 500ms, 10s,
// 5m, 1h, 7d or 12w. A bare number is refused: "10" could mean seconds or minutes.
#pragma once

#include <chrono>
#include <string_view>

namespace etl {

// Throws UsageError "FLAG: invalid duration 'TEXT' (use 500ms, 10s, 5m, 1h, 7d or 12w...)" for
// anything else, a zero, or more than `max`.
std::chrono::milliseconds parse_duration(std::string_view text, std::string_view flag,
                                         std::chrono::milliseconds max = std::chrono::hours(24 * 366 * 100));

}  // namespace etl
