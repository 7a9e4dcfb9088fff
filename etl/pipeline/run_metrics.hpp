// The run summary as a Prometheus textfile-collector file (node_exporter's
// --collector.textfile.directory): gauges of the last run, for a monitor to alert on a failed
// run, a run that did not happen (the last success time), failures and request counts.
#pragma once

#include <optional>
#include <string>

#include "etl/pipeline/run_summary.hpp"
#include "loaders/store.hpp"

namespace etl {

// `last_success`: when the last run that completed (with or without failures) finished.
std::string run_metrics(const RunSummary& summary, const RunCounters& counters, const RunOptions& options,
                        UnixTime finished_at, std::optional<UnixTime> last_success);

}  // namespace etl
