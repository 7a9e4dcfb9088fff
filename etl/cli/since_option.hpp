// --since as `etl changes` and `etl export` take it: a duration back from now (24h, 7d), a
// UTC date or time as people type it, or run:N (that etl_runs id and later).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace etl::cli {

struct Since {
  std::optional<std::int64_t> time;       // Unix seconds: at or after
  std::optional<std::int64_t> first_run;  // run:N
};

// Throws UsageError "--since: invalid value ..." naming the forms it takes.
Since parse_since(const std::string& text, std::int64_t now);

// The forms, for a flag's help text.
std::string since_forms();

}  // namespace etl::cli
