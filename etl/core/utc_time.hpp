// UTC times as text, the one ISO-8601 form (2026-11-30T06:00:00Z) that the stores, `etl
// status` and `etl changes` write and read; times are Unix seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace etl {

inline constexpr const char* kUtcFormat = "%Y-%m-%dT%H:%M:%SZ";

// `seconds` in `format` (strftime's), in UTC; nullopt when the time is out of range.
std::optional<std::string> format_utc_time(std::int64_t seconds, const char* format = kUtcFormat);

// 2026-11-30T06:00:00Z, or with `date_only` also 2026-11-30 (midnight); nullopt for anything
// else, a month 13 or a 31 February included.
std::optional<std::int64_t> parse_utc_time(std::string_view text, bool date_only = false);

}  // namespace etl
