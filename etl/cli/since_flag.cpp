#include "etl/cli/since_flag.hpp"

#include <chrono>

#include "etl/core/duration.hpp"
#include "etl/core/errors.hpp"

namespace etl::cli {

std::optional<std::int64_t> since_time(const std::string& text, std::int64_t now) {
  if (const auto time = parse_typed_utc_time(text)) return time;
  try {
    return now - std::chrono::duration_cast<std::chrono::seconds>(parse_duration(text, "--since")).count();
  } catch (const UsageError&) {
    return std::nullopt;
  }
}

}  // namespace etl::cli
