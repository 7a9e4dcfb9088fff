// --area NAME | --municipality NAME...: the municipality codes a read-only command selects,
// resolved from the area configuration as `etl run` resolves them (names folded alike,
// unknown ones a UsageError with the closest names).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace etl::cli {

// The codes of `municipalities` and of `area`'s municipalities (empty when both are empty:
// every municipality). `config` is --config (load_area_config).
std::vector<std::int64_t> municipality_codes(const std::string& config, const std::string& area,
                                             const std::vector<std::string>& municipalities);

}  // namespace etl::cli
