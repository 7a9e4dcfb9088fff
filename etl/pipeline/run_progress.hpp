// What a run has done and has still to do, from its counters: the two rates (properties
// fetched or loaded; IDs checked against the store) and the ETA. The one place these
// formulas live: the progress line and the end-of-run summary both use them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "etl/pipeline/run_counters.hpp"

namespace etl {

// count / elapsed_s, 0 before any time has passed: every rate the run shows.
double per_second(std::int64_t count, double elapsed_s);

// Properties fetched (or, with --details never, taken from the search) and settled: loaded,
// failed or removed. What costs requests; skipped IDs never count here.
std::int64_t processed_count(const RunCounters& counters);

// IDs the searches returned and the run compared with the store (addresses and listings).
std::int64_t checked_count(const RunCounters& counters);

// Rates over the last few seconds, when the reporter has measured them (else the overall ones apply).
struct RecentRates {
  std::optional<double> processed_per_s;
  std::optional<double> checked_per_s;
};

struct RunProgress {
  double elapsed_s = 0;
  std::int64_t done = 0;   // properties settled: skipped, loaded, failed or removed (with --limit: loaded + failed)
  std::int64_t total = 0;  // done plus what is still to do among the municipalities counted so far
  // Every municipality's total is known (or --limit bounds the run): the bar and percentage apply.
  bool total_known = false;
  std::size_t municipalities = 0;  // of the run, without the row of earlier failures
  std::size_t counted = 0;         // of them, those whose totalHits is known or whose discovery ended
  std::string discovering;         // the municipality being discovered, or empty
  std::size_t discovering_number = 0;  // its 1-based position
  std::int64_t skipped = 0, loaded = 0, failed = 0, retries = 0;
  double processed_per_s = 0, checked_per_s = 0;  // overall, per_second(): as the summary shows them
  // Seconds until the work counted so far is done; a lower bound while !total_known; empty
  // when no rate is measured yet.
  std::optional<double> eta_s;
};

// `limit`: --limit (0: none); `retries`: the HTTP client's so far.
RunProgress run_progress(const RunCounters& counters, double elapsed_s, const RecentRates& recent, std::int64_t limit,
                         std::int64_t retries);

// The ETA arithmetic, on its own for tests: the fetches still to do (queued, plus the
// unchecked IDs times the share of checked ones that needed a fetch) and the checks still to
// do run side by side, so the slower of the two decides. Empty when work remains at rate 0.
std::optional<double> estimate_eta(std::int64_t unchecked, std::int64_t queued_unsettled, double fetch_share,
                                   double processed_per_s, double checked_per_s);

}  // namespace etl
