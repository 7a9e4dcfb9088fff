// The record of one `run` or `import-json`, written the same way for both: its etl_runs row
// (begun before any work, finished with the summary), the summary table and --summary-json.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "etl/cli/run_outcome.hpp"
#include "etl/pipeline/run_summary.hpp"
#include "loaders/store.hpp"

namespace etl::cli {

class RunRecord {
 public:
  // Begins the etl_runs row; with a null store (a dry run) nothing is recorded.
  RunRecord(Store* store, const RunInfo& info);

  // Completes `summary` (elapsed time, resources, status), finishes the etl_runs row, prints
  // the table to `table_out` after `table_prefix` and writes `summary_json_path` if given.
  // Returns the exit code: `end`'s, or 1 if a successful run could not be recorded or its
  // --summary-json ("-": standard output) not written (a run with failures keeps its 3).
  int finish(RunSummary summary, const RunOutcomeCode& end, const RunCounters& counters, const RunOptions& options,
             std::FILE* table_out, const std::string& table_prefix, const std::string& summary_json_path);

 private:
  Store* store_;
  std::int64_t run_id_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace etl::cli
