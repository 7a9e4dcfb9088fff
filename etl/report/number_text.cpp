#include "etl/report/number_text.hpp"

#include <fmt/core.h>

#include <cmath>

namespace etl {
namespace {
constexpr const char* kMissing = "\u2013";
}  // namespace

std::string grouped(std::int64_t n) {
  const std::string digits = std::to_string(n < 0 ? -static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n));
  std::string out = n < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string price_text(std::optional<double> kroner) {
  if (!kroner) return kMissing;
  if (std::fabs(*kroner) >= 1e6) return fmt::format("{:.2f}M kr", *kroner / 1e6);
  return grouped(std::llround(*kroner)) + " kr";
}

std::string per_m2_text(std::optional<double> kroner) {
  return kroner ? grouped(std::llround(*kroner)) + " kr/m\u00b2" : kMissing;
}

std::string percent_text(double percent) { return fmt::format("{:.1f}%", percent); }

}  // namespace etl
