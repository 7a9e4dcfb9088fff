#include "etl/pipeline/dedup_stage.hpp"

#include <spdlog/spdlog.h>

#include "etl/core/errors.hpp"
#include "etl/pipeline/batch_loader.hpp"

namespace etl {

void DedupStage::on_event(const DedupEvent& event, DedupOutputs& out) {
  if (auto* page = std::get_if<PageEvent>(event.get())) {
    auto& seen_here = seen_[page->municipality];
    for (const ItemPtr& item : page->items) {
      seen_here.insert(item->address_id);
      if (!options_.shard.owns(item->address_id) || handled_.contains(item->address_id)) continue;
      chunk_.push_back(item);
      // With --limit, a chunk that could complete the limit is looked up at once: waiting
      // for 1,000 IDs would only make discovery page on for IDs the run will not take.
      if (chunk_.size() >= kLookupChunk || control_.limit_within(static_cast<std::int64_t>(chunk_.size())))
        process_chunk(out);
    }
    // Full 1,000-ID chunks keep lookups cheap, but fetchers must not starve while a chunk
    // fills (at the start, or when a municipality is mostly new): then look up what we have.
    if (!chunk_.empty() && last_chunk_had_work_ &&
        control_.in_flight.load() < 2 * static_cast<std::int64_t>(options_.workers))
      process_chunk(out);
    return;
  }
  const auto& done = std::get<MunicipalityDone>(*event);
  process_chunk(out);
  if (done.complete && !control_.stopping() && !control_.limit_reached()) check_vanished(done.municipality, out);
  seen_.erase(done.municipality);
}

void DedupStage::process_chunk(DedupOutputs& out) {
  if (chunk_.empty()) return;
  std::vector<ItemPtr> items;
  items.swap(chunk_);
  if (control_.stopping()) return;
  std::unordered_map<std::string, StoredState> stored;
  if (store_) {
    std::vector<std::string> ids;
    ids.reserve(items.size());
    for (const ItemPtr& i : items) ids.push_back(i->address_id);
    try {
      std::lock_guard lock(store_mutex_);
      auto states = options_.dry_run ? store_->peek(ids) : store_->lookup(ids, now_seconds());
      for (StoredState& s : states) stored.emplace(s.address_id, std::move(s));
    } catch (const EtlError& e) {
      control_.fail_fatally(std::string("database lookup failed: ") + e.what());
      return;
    }
  }
  const UnixTime now = now_seconds();
  last_chunk_had_work_ = false;
  for (const ItemPtr& item : items) {
    auto it = stored.find(item->address_id);
    if (it != stored.end() && !options_.refresh.wants(it->second, now)) {
      counters_.municipalities[item->municipality].skipped += 1;
      continue;
    }
    last_chunk_had_work_ = true;
    emit(item, out);
  }
}

void DedupStage::check_vanished(std::size_t municipality, DedupOutputs& out) {
  const Municipality& m = options_.municipalities[municipality];
  if (!store_ || m.code <= 0) return;
  std::vector<std::string> candidates;
  try {
    std::lock_guard lock(store_mutex_);
    // Every stored ID of the municipality; the ones this run saw are excluded below.
    candidates = store_->ids_not_seen_since(m.code, now_seconds() + 1);
  } catch (const EtlError& e) {
    control_.fail_fatally(std::string("database lookup failed: ") + e.what());
    return;
  }
  // 0 hits for a municipality the database holds is almost always a wrong name or address
  // type, not every property gone: checking them all would cost a request each.
  if (counters_.municipalities[municipality].hits.load() == 0 && !candidates.empty()) {
    spdlog::warn("{}: the search finds no properties although {} are stored; check the municipality name and "
                 "--address-types (the check for removed properties is skipped)",
                 m.name, candidates.size());
    return;
  }
  const auto& seen_here = seen_[municipality];
  std::size_t vanished = 0;
  for (std::string& id : candidates) {
    if (seen_here.contains(id) || !options_.shard.owns(id) || handled_.contains(id)) continue;
    ++vanished;
    auto item = std::make_shared<WorkItem>();
    item->address_id = std::move(id);
    item->municipality = municipality;
    emit_to_fetch(item, out);
    if (control_.limit_reached()) break;
  }
  if (vanished > 0) spdlog::info("{}: {} stored properties no longer in search; checking them", m.name, vanished);
}

void DedupStage::emit(const ItemPtr& item, DedupOutputs& out) {
  if (options_.details == DetailsMode::Never && !item->payload.empty()) {
    if (!control_.take_limit_slot() || control_.record_dry_run(item->address_id)) return;
    item->source = "search";
    item->state = WorkItem::State::Fetched;
    control_.in_flight += 1;
    out.to_parse(item);
    return;
  }
  emit_to_fetch(item, out);
}

void DedupStage::emit_to_fetch(const ItemPtr& item, DedupOutputs& out) {
  if (!control_.take_limit_slot() || control_.record_dry_run(item->address_id)) return;
  control_.in_flight += 1;
  out.to_fetch(item);
}

}  // namespace etl
