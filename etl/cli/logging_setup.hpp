#pragma once

#include <string>

namespace etl::cli {

// spdlog to stderr (and to `log_file` when given) at `level` (trace, debug, info, warn,
// error, off). Throws ConfigError for an unknown level or a file that cannot be opened.
void setup_logging(const std::string& level, const std::string& log_file);

}  // namespace etl::cli
