// Numbers as the report shows them to a person: 12,345; 4.25M kr; 850,000 kr; 32,150 kr/m²;
// -7.1%. A missing value is "–".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace etl {

std::string grouped(std::int64_t n);                   // 12345 -> "12,345"
std::string price_text(std::optional<double> kroner);  // millions with two decimals, else whole kroner
std::string per_m2_text(std::optional<double> kroner); // "32,150 kr/m²"
std::string percent_text(double percent);              // "-7.1%"

}  // namespace etl
