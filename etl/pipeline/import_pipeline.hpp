// The import as one oneTBB flow graph, one small class per stage:
//
//   RetrySource ------------------------------------------+
//   DiscoverStage (own thread) --> DedupStage (serial) --> FetchStage (async, HTTP) --> ParseStage (parallel) --> LoadStage (serial)
//                                              \--(details never)----------------------/
//                                                              ^                            |
//                                                              +--(refetch: did not parse)--+
//
// RetrySource sends earlier runs' failures straight to fetch; ParseStage sends a detail whose
// body did not parse back to fetch (twice at most), still counted in flight; DiscoverStage streams search
// pages into dedup, blocked by a WorkGate so at most a fixed number of properties are between
// discovery and the load batch; DedupStage looks up 1,000 IDs per Store statement. HTTP
// requests are driven by the HttpClient's own event loop; no TBB thread waits on the
// network, and none spins while the graph waits on it (OutsideWork). RunControl holds the
// stop logic (signal, fatal error, --limit, --dry-run); import_pipeline.cpp wires the stages.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "etl/pipeline/run_counters.hpp"
#include "etl/pipeline/run_options.hpp"
#include "extractors/http_client.hpp"
#include "loaders/store.hpp"

namespace etl {

struct PipelineResult {
  bool interrupted = false;    // a stop was requested (signal) before the work ran out
  bool limit_reached = false;
  std::string fatal_error;     // non-empty: the run could not go on (database or API gone)
  std::vector<std::string> would_fetch;  // --dry-run: the IDs a real run would fetch
};

class ImportPipeline {
 public:
  // `store` may be null only for a dry run against a database that does not exist yet.
  // `stop` is set from a signal handler; the pipeline polls it.
  ImportPipeline(const RunOptions& options, ImportStore* store, HttpClient& http, RunCounters& counters,
                 const std::atomic<int>& stop);
  ~ImportPipeline();

  PipelineResult run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Counters with one row per municipality of `options` plus a last row for retried failures.
void init_counters(RunCounters& counters, const RunOptions& options);

}  // namespace etl
