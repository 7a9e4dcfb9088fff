// UTC times as text, the one ISO-8601 form (2026-11-30T06:00:00Z) that the stores, `etl
// status` and `etl changes` write and read, and the forms people type (`etl changes
// --since`); times are Unix seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace etl {

inline constexpr const char* kUtcFormat = "%Y-%m-%dT%H:%M:%SZ";

// The forms parse_typed_utc_time takes, for help texts and error messages.
inline constexpr const char* kTypedUtcForms = "YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], YYYY-MM-DDTHH:MM[:SS][Z]";

// `seconds` in `format` (strftime's), in UTC; nullopt when the time is out of range.
std::optional<std::string> format_utc_time(std::int64_t seconds, const char* format = kUtcFormat);

// 2026-11-30T06:00:00Z, the stored form; nullopt for anything else, a month 13 or a 31
// February included.
std::optional<std::int64_t> parse_utc_time(std::string_view text);

// A UTC time as people type it (kTypedUtcForms): 2026-11-30 (midnight), 2026-11-30 06:00,
// 2026-11-30 06:00:00, 2026-11-30T06:00, 2026-11-30T06:00:00Z, ...; nullopt as parse_utc_time.
std::optional<std::int64_t> parse_typed_utc_time(std::string_view text);

}  // namespace etl
