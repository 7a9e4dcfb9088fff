// RetrySource (see retry_source.hpp): the pending failures of earlier runs, sent first.
#include "etl/pipeline/retry_source.hpp"

#include <spdlog/spdlog.h>

#include "etl/core/counted.hpp"

namespace etl {

RetriedFailures RetrySource::run(const std::function<void(const ItemPtr&)>& to_fetch) {
  RetriedFailures out;
  if (!failures_) return out;
  const std::vector<PendingFailure> pending = failures_->pending_failures(1'000'000);
  std::size_t sent = 0;
  for (const PendingFailure& f : pending) {
    if (f.stage == FailureStage::discover) {  // a municipality's search: redone by this run's discovery
      out.discovery_ids.insert(f.address_id);
      continue;
    }
    if (control_.stopping() || f.stage == FailureStage::import || !options_.shard.owns(f.address_id)) continue;
    if (options_.refresh.pages_addresses()) {
      out.deferred_ids.insert(f.address_id);
      continue;
    }
    if (control_.limit_used_up()) break;
    if (!gate_.acquire(1)) break;
    auto item = std::make_shared<WorkItem>();
    item->address_id = f.address_id;
    item->municipality = counter_row_;
    item->unit = GateUnit(&gate_);
    out.address_ids.insert(f.address_id);
    ++sent;
    if (control_.admit(f.address_id)) to_fetch(item);
  }
  if (sent + out.deferred_ids.size() > 0)
    spdlog::info("retrying {} that failed in earlier runs",
                 counted(sent + out.deferred_ids.size(), "property", "properties"));
  return out;
}

}  // namespace etl
