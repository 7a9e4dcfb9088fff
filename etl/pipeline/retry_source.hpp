// The first source of a run: the failures of earlier runs. With --refresh on-market they go
// straight to the detail fetch, ahead of discovery; a run that pages the address search
// hands them to dedup instead, which fetches each when its search item shows up (so it is
// stored with its search hash) and the rest once every search is done. Municipalities
// whose search failed are redone by discovery, which settles their failure when it completes.
#pragma once

#include <functional>
#include <string>
#include <unordered_set>

#include "etl/pipeline/run_control.hpp"
#include "etl/pipeline/run_options.hpp"
#include "etl/pipeline/work_gate.hpp"
#include "etl/pipeline/work_item.hpp"
#include "loaders/store.hpp"

namespace etl {

struct RetriedFailures {
  std::unordered_set<std::string> address_ids;    // sent to fetch: dedup must not send them again
  std::unordered_set<std::string> deferred_ids;   // for dedup to fetch when discovered, or at the end
  std::unordered_set<std::string> discovery_ids;  // "search:<name>" failures for discovery to settle
};

class RetrySource {
 public:
  // `failures` null: no database yet (a dry run), so nothing to retry.
  RetrySource(const RunOptions& options, FailureReads* failures, RunControl& control, WorkGate& gate,
              std::size_t counter_row)
      : options_(options), failures_(failures), control_(control), gate_(gate),
        counter_row_(counter_row) {}

  // Sends the pending failures of earlier runs to `to_fetch`, counted in `counter_row`, or
  // defers them (see above).
  RetriedFailures run(const std::function<void(const ItemPtr&)>& to_fetch);

 private:
  const RunOptions& options_;
  FailureReads* failures_;
  RunControl& control_;
  WorkGate& gate_;
  const std::size_t counter_row_;
};

}  // namespace etl
