#pragma once

#include <csignal>
#include <cstdint>
#include <string>

#include "etl/cli/exit_codes.hpp"

namespace etl::cli {

// How a run or an import ended: the status recorded in etl_runs and the process exit code.
struct RunOutcomeCode {
  std::string status;
  int exit_code = kExitOk;
};

// `database_lost`: the database went away mid-run; what was committed stays and a rerun
// resumes, so the run counts as interrupted although the exit code is fatal.
inline RunOutcomeCode run_outcome(bool fatal, bool database_lost, bool interrupted, int stop_signal,
                                  std::int64_t failed) {
  if (fatal) return {database_lost ? "interrupted" : "failed", kExitFatal};
  if (interrupted) return {"interrupted", stop_signal == SIGTERM ? kExitSigterm : kExitSigint};
  if (failed > 0) return {"completed_with_failures", kExitWithFailures};
  return {"completed", kExitOk};
}

}  // namespace etl::cli
