// --since as `etl changes` and `etl report` take it: a duration back from now (24h, 7d, 12w)
// or a UTC date or time as people type it (kTypedUtcForms).
#pragma once

#include <optional>
#include <string>

#include "etl/core/utc_time.hpp"

namespace etl::cli {

// The time `text` names, or nullopt when it is neither form (the caller says what it takes).
std::optional<std::int64_t> since_time(const std::string& text, std::int64_t now);

}  // namespace etl::cli
