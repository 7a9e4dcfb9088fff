#pragma once

#include <csignal>
#include <cstdint>

#include "etl/cli/exit_codes.hpp"
#include "etl/core/run_status.hpp"

namespace etl::cli {

// How a run or an import ended: the status recorded in etl_runs and the process exit code.
struct RunOutcomeCode {
  RunStatus status = RunStatus::completed;
  int exit_code = kExitOk;
};

// `database_lost`: the database went away mid-run; what was committed stays and a rerun
// resumes, so the run counts as interrupted although the exit code is fatal.
inline RunOutcomeCode run_outcome(bool fatal, bool database_lost, bool interrupted, int stop_signal,
                                  std::int64_t failed) {
  if (fatal) return {database_lost ? RunStatus::interrupted : RunStatus::failed, kExitFatal};
  if (interrupted) return {RunStatus::interrupted, stop_signal == SIGTERM ? kExitSigterm : kExitSigint};
  if (failed > 0) return {RunStatus::completed_with_failures, kExitWithFailures};
  return {RunStatus::completed, kExitOk};
}

}  // namespace etl::cli
