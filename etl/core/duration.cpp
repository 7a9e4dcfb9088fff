#include "etl/core/duration.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <utility>

#include "etl/core/errors.hpp"

namespace etl {

std::chrono::milliseconds parse_duration(std::string_view text, std::string_view flag, std::chrono::milliseconds max) {
  static constexpr std::array<std::pair<std::string_view, std::int64_t>, 6> kUnits = {
      {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}, {"w", 604'800'000}}};
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  const std::string_view unit = text.substr(static_cast<std::size_t>(end - text.data()));
  std::string why = ec == std::errc() && unit.empty() ? ": a number needs a unit" : "";
  if (ec == std::errc() && n > 0) {
    for (const auto& [name, ms] : kUnits) {
      if (unit != name) continue;
      if (n <= max.count() / ms) return std::chrono::milliseconds(n * ms);
      // Too long: a typo, and it could overflow. Say the most in the largest whole unit.
      for (auto u = kUnits.rbegin(); u != kUnits.rend(); ++u) {
        if (max.count() % u->second == 0) {
          why = ": at most " + std::to_string(max.count() / u->second) + std::string(u->first);
          break;
        }
      }
      break;
    }
  }
  throw UsageError(std::string(flag) + ": invalid duration '" + std::string(text) + "'" + why +
                   " (use a whole number and ms, s, m, h, d or w: 500ms, 10s, 5m, 1h, 7d, 12w)");
}

}  // namespace etl
