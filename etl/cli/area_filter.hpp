// --area NAME | --municipality NAME... [--config FILE]: the municipalities a read-only command
// (changes, market, export, report) selects, resolved from the area configuration as `etl run`
// resolves them (names folded alike, unknown ones a UsageError with the closest names).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "etl/core/area_config.hpp"

namespace etl::cli {

struct AreaFlags {
  std::string area;
  std::vector<std::string> municipalities;
  std::string config;  // --config (load_area_config)
};

// Registers --area, --municipality (repeatable; the two exclude each other) and --config.
void add_area_options(CLI::App& sub, AreaFlags& flags);

// The municipalities of `flags`, each once, in the order named (empty when both --area and
// --municipality are: every municipality).
std::vector<Municipality> selected_municipalities(const AreaFlags& flags);

// Their codes.
std::vector<std::int64_t> municipality_codes(const AreaFlags& flags);

}  // namespace etl::cli
