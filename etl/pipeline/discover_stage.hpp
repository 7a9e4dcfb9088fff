// The discover stage (its own thread, never a TBB worker): for each municipality in turn,
// sends dedup its open listings (/search/cases, a few requests), then the pages of its
// address search (not with --refresh on-market), blocked by the WorkGate so memory stays
// flat. A municipality whose search fails is recorded as a "discover" failure and the others
// go on, whichever it is: that the API is reachable at all is checked before the run starts.
#pragma once

#include <functional>
#include <string>
#include <unordered_set>

#include "etl/pipeline/run_control.hpp"
#include "etl/pipeline/run_counters.hpp"
#include "etl/pipeline/run_options.hpp"
#include "etl/pipeline/work_gate.hpp"
#include "etl/pipeline/work_item.hpp"
#include "extractors/http_client.hpp"
#include "loaders/store.hpp"

namespace etl {

class CaseSearch;
class MunicipalityDiscovery;

class DiscoverStage {
 public:
  // The stores null: no database yet (a dry run). A dry run writes nothing.
  DiscoverStage(const RunOptions& options, PropertyReads* reads, PropertyWrites* writes, FailureLog* failures,
                HttpClient& http, RunCounters& counters, RunControl& control, WorkGate& gate)
      : options_(options), reads_(reads), writes_(writes), failures_(failures), http_(http), counters_(counters),
        control_(control), gate_(gate) {}

  // `pending_discovery`: the "search:<name>" failures of earlier runs, settled by a complete discovery.
  void run(const std::unordered_set<std::string>& pending_discovery, const std::function<void(DedupEvent)>& to_dedup);

  // The etl_failures key of a municipality whose discovery failed (no address ID has a colon).
  static std::string failure_id(const Municipality& m) { return "search:" + m.name; }

 private:
  // Streams one municipality; false when the run must stop (a fatal error).
  bool discover(std::size_t i, CaseSearch& listings, MunicipalityDiscovery& discovery,
                const std::unordered_set<std::string>& pending, const std::function<void(DedupEvent)>& to_dedup);
  bool discover_addresses(std::size_t i, MunicipalityDiscovery& discovery,
                          const std::function<void(DedupEvent)>& to_dedup);
  // The failure of a municipality whose search finds nothing although `stored` properties are.
  std::string nothing_found(const Municipality& m, std::size_t stored) const;
  // A lookup (also in a dry run); false (and fatal) if the database fails.
  bool read(const std::function<void()>& call);
  bool write(const std::function<void()>& call);

  const RunOptions& options_;
  PropertyReads* reads_;
  PropertyWrites* writes_;
  FailureLog* failures_;
  HttpClient& http_;
  RunCounters& counters_;
  RunControl& control_;
  WorkGate& gate_;
};

}  // namespace etl
