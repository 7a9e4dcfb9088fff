#include "etl/cli/since_option.hpp"

#include <fmt/core.h>

#include <chrono>

#include "etl/core/duration.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/utc_time.hpp"

namespace etl::cli {

Since parse_since(const std::string& text, std::int64_t now) {
  const std::string syntax = fmt::format(
      "--since: invalid value '{}' (takes a duration: 24h, 7d; a UTC date or time: {}; or run:N)", text, kTypedUtcForms);
  Since since;
  if (text.starts_with("run:")) {
    const std::string n = text.substr(4);
    if (n.empty() || n.size() > 18 || n.find_first_not_of("0123456789") != std::string::npos) throw UsageError(syntax);
    since.first_run = std::stoll(n);
  } else if (const auto time = parse_typed_utc_time(text)) {
    since.time = *time;
  } else {
    try {
      since.time = now - std::chrono::duration_cast<std::chrono::seconds>(parse_duration(text, "--since")).count();
    } catch (const UsageError&) {
      throw UsageError(syntax);
    }
  }
  return since;
}

std::string since_forms() {
  return fmt::format("A duration back from now (24h, 7d), a UTC date or time ({}) or run:N (that run and later)",
                     kTypedUtcForms);
}

}  // namespace etl::cli
