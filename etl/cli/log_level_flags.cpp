// The flags that set how much `etl run` and `etl import-json` log, the same in both.
#include "etl/cli/command.hpp"
#include "etl/cli/logging_setup.hpp"

namespace etl::cli {

void add_log_level_options(CLI::App& sub, spdlog::level::level_enum& level) {
  const spdlog::string_view_t name = spdlog::level::to_string_view(level);
  add_parsed_option(sub, "--log-level", level, parse_log_level, "trace, debug, info, warn, error or off", "LEVEL")
      ->default_str(std::string(name.data(), name.size()));
  auto* quiet = sub.add_flag_callback("-q,--quiet", [&level] { level = spdlog::level::warn; },
                                      "Only warnings and errors (--log-level warn)");
  auto* verbose = sub.add_flag_callback("-v,--verbose", [&level] { level = spdlog::level::debug; },
                                        "Debug: also one line per HTTP request (URL, status, ms) (--log-level debug)");
  quiet->excludes(verbose);  // which one wins would be a guess
}

}  // namespace etl::cli
