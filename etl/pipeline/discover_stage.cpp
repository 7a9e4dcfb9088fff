#include "etl/pipeline/discover_stage.hpp"

#include <spdlog/spdlog.h>

#include "etl/core/errors.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "extractors/municipality_discovery.hpp"

namespace etl {
namespace {

DedupEvent done_event(std::size_t municipality, bool complete) {
  return std::make_shared<std::variant<PageEvent, MunicipalityDone>>(MunicipalityDone{municipality, complete});
}

}  // namespace

void DiscoverStage::run(const std::unordered_set<std::string>& pending_discovery,
                        const std::function<void(DedupEvent)>& to_dedup) {
  MunicipalityDiscovery discovery(http_, DiscoveryOptions{.base_url = options_.api_url,
                                                          .address_type = options_.address_types,
                                                          .max_results = options_.max_results});
  for (std::size_t i = 0; i < options_.municipalities.size() && !control_.stopping() && !control_.limit_reached();
       ++i) {
    if (!discover(i, discovery, pending_discovery, to_dedup)) return;
  }
}

bool DiscoverStage::discover(std::size_t i, MunicipalityDiscovery& discovery,
                             const std::unordered_set<std::string>& pending,
                             const std::function<void(DedupEvent)>& to_dedup) {
  const Municipality& m = options_.municipalities[i];
  MunicipalityCounters& c = counters_.municipalities[i];
  const auto on_page = [&](std::vector<DiscoveredItem>&& page) {
    if (control_.stopping() || control_.limit_reached()) return false;
    if (!gate_.acquire(page.size())) return false;
    auto event = std::make_shared<std::variant<PageEvent, MunicipalityDone>>(PageEvent{i, {}});
    auto& items = std::get<PageEvent>(*event).items;
    items.reserve(page.size());
    for (DiscoveredItem& d : page) {
      auto item = std::make_shared<WorkItem>();
      item->address_id = std::move(d.address_id);
      item->municipality = i;
      if (options_.details == DetailsMode::Never) item->payload = std::move(d.payload);
      item->unit = GateUnit(&gate_);
      items.push_back(std::move(item));
    }
    c.discovered += static_cast<std::int64_t>(items.size());
    to_dedup(event);
    return !control_.stopping() && !control_.limit_reached();
  };
  try {
    const DiscoveryReport report = discovery.discover(m, [&](std::int64_t total) { c.hits = total; }, on_page);
    c.partitions = report.partitions;
    c.shortfall = report.shortfall;
    c.discovery_complete = report.complete;  // discovery has logged any shortfall
    to_dedup(done_event(i, report.complete && !control_.stopping() && !control_.limit_reached()));
  } catch (const ApiError& e) {
    if (control_.stopping()) {  // the stop cancelled its requests: not a failure of the search
      to_dedup(done_event(i, false));
      return false;
    }
    spdlog::error("{}: discovery failed: {}", m.name, e.what());
    c.failed += 1;
    // Whatever was discovered still goes through dedup (not complete: no removal checks),
    // and the failure is recorded so the run ends with failures (exit 3), never silently.
    to_dedup(done_event(i, false));
    return write([&](Store& s) {
      s.record_failure(FailureRecord{failure_id(m), "discover", e.what(), options_.api_url}, now_seconds());
    });
  }
  // A complete discovery settles a discovery failure recorded by an earlier run.
  if (c.discovery_complete && pending.contains(failure_id(m))) {
    return write([&](Store& s) { s.mark_removed({failure_id(m)}, now_seconds()); });  // resolves its etl_failures row
  }
  return true;
}

// A bookkeeping write; nothing is written in a dry run. False (and fatal) if the database fails.
bool DiscoverStage::write(const std::function<void(Store&)>& call) {
  if (!store_ || options_.dry_run) return true;
  try {
    std::lock_guard lock(store_mutex_);
    call(*store_);
  } catch (const EtlError& e) {
    control_.fail_fatally(std::string("database write failed: ") + e.what());
    return false;
  }
  return true;
}

}  // namespace etl
