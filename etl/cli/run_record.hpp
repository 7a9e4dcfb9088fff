// The record of one `run` or `import-json`, written the same way for both: its etl_runs row
// (begun before any work, finished with the summary), the summary table, --summary-json,
// --metrics-file and the log's last line.
#pragma once

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>

#include "etl/cli/run_outcome.hpp"
#include "etl/pipeline/run_summary.hpp"
#include "loaders/run_lock.hpp"
#include "loaders/store.hpp"

namespace etl::cli {

// Where the end of a run is reported besides etl_runs.
struct RunOutputs {
  std::FILE* table = stdout;  // null: no table (a run that failed before it began has none)
  std::string table_prefix;   // printed before the table
  std::string summary_json;   // --summary-json: a path, "-" for standard output, or empty
  std::string metrics_file;   // --metrics-file: a path or empty
};

class RunRecord {
 public:
  // The roles the record uses: the etl_runs row (RunLog), and the runs before it (ReportReads:
  // the one holding the lock, the last success). Taken from any store that has both; null: no
  // database (a dry run).
  struct Roles {
    Roles(std::nullptr_t = nullptr) {}  // NOLINT: implicit, as a null store
    template <class S>
      requires std::derived_from<S, RunLog> && std::derived_from<S, ReportReads>
    Roles(S* store) : log(store), reads(store) {}  // NOLINT: implicit, as the store it is taken from
    RunLog* log = nullptr;
    ReportReads* reads = nullptr;
  };

  // Takes the run lock of `db_url` (one run per database and shard: see loaders/run_lock.hpp),
  // then begins the etl_runs row; with no store (a dry run) it does neither. Throws
  // RunLockedError naming the run that holds the lock.
  RunRecord(Roles store, const std::string& db_url, const RunInfo& info);

  // Completes `summary` (elapsed time, resources, status), finishes the etl_runs row, prints
  // the table, writes the files `outputs` names and logs the outcome: "run 12 completed in
  // 41.0 s: <the totals>; exit 0", or "run 12 failed before it began: <error>; exit 1" (info
  // if completed, error if failed, else warn; in JSON with run_id, exit_code and the summary
  // as fields). Returns the exit code: `end`'s, or 1 if a successful run could not be
  // recorded or a file not written (failures keep their 3).
  int finish(RunSummary summary, const RunOutcomeCode& end, const RunCounters& counters, const RunOptions& options,
             RunOutputs outputs);

 private:
  void log_outcome(const RunSummary& summary, const RunCounters& counters, const RunOptions& options,
                   const std::string& json, int exit_code) const;

  Roles store_;
  std::unique_ptr<RunLock> lock_;
  std::int64_t run_id_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace etl::cli
