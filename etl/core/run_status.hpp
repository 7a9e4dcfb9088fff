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
  abandoned,  // was `running` when a later run took the run lock: killed, or its host died
};

inline constexpr EnumNames<RunStatus, 6> kRunStatusNames{
    {"running", "completed", "completed_with_failures", "interrupted", "failed", "abandoned"}};

constexpr std::string_view to_string(RunStatus s) { return kRunStatusNames(s); }

}  // namespace etl
