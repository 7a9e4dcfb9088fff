// How a run ended, as recorded in etl_runs.status (and the run summary, the metrics file).
#pragma once

#include <string_view>

#include "etl/core/enum_names.hpp"

namespace etl {

enum class RunStatus {
  running,  // begun, not finished (or killed: see `etl status`)
  completed,
  completed_with_failures,
  interrupted,  // stopped by a signal or a lost database; a rerun resumes
  failed,
};

inline constexpr EnumNames<RunStatus, 5> kRunStatusNames{
    {"running", "completed", "completed_with_failures", "interrupted", "failed"}};

constexpr std::string_view to_string(RunStatus s) { return kRunStatusNames(s); }

}  // namespace etl
