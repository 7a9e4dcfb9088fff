// The end-of-run record: per municipality and total counts, API traffic and resource use.
// Printed as a table, written by --summary-json, stored in etl_runs and logged.
#pragma once

#include <cstdint>
#include <string>

#include "etl/core/run_status.hpp"
#include "etl/pipeline/run_counters.hpp"
#include "etl/pipeline/run_options.hpp"
#include "extractors/http_client.hpp"

namespace etl {

struct RunSummary {
  RunStatus status = RunStatus::completed;
  std::string error;   // the fatal error, if any
  double elapsed_s = 0;
  double cpu_s = 0;
  std::int64_t peak_rss_kb = 0;
  HttpStats http;
  bool limit_reached = false;
  std::int64_t would_fetch = -1;  // dry runs only
  bool searched = true;  // false for import-json: no searches (hits, IDs checked), no details mode
  bool began = true;     // false: the run failed before it began (its error says why), so it counted nothing
};

// Peak RSS and CPU seconds of this process so far, from getrusage.
void measure_resources(RunSummary& summary);

std::string summary_json(const RunSummary& summary, const RunCounters& counters, const RunOptions& options);
std::string summary_table(const RunSummary& summary, const RunCounters& counters, const RunOptions& options);
// The totals in one line for the log: "1234 loaded (12 new, 30 changed, 1192 unchanged),
// 5000 skipped, 0 failed, 3 removed; events: new 12 listed 4; 1300 API requests".
std::string summary_line(const RunSummary& summary, const RunCounters& counters);

}  // namespace etl
