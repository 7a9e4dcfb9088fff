#include "etl/pipeline/dedup_stage.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "etl/core/counted.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/overloaded.hpp"
#include "etl/pipeline/batch_loader.hpp"

namespace etl {
namespace {

// Spreads one case's hash over 64 bits before it is summed with the others, so the sum does
// not depend on the order of an address's cases.
std::uint64_t mixed(std::uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

}  // namespace

void DedupStage::on_event(const DedupEvent& event, DedupOutputs& out) {
  // One handler an event type: a new type without one does not compile.
  std::visit(Overloaded{[&](const ListingsEvent& e) { on_listings(e, out); },
                        [&](const PageEvent& e) { on_page(e, out); },
                        [&](const MunicipalityDone& e) { on_done(e, out); },
                        [&](const SearchesDone&) { on_searches_done(out); }},
             *event);
}

void DedupStage::on_listings(const ListingsEvent& listings, DedupOutputs&) {
  const etl::Municipality& m = options_.municipalities[listings.municipality];
  MunicipalityCounters& counts = counters_.municipalities[listings.municipality];
  const PropertyScope scope = options_.scope(listings.municipality);
  // A case search can list a case whose address lies elsewhere: storing it would store a
  // property the run does not cover, and the next night would see it as new again.
  std::vector<ListedCase> cases;
  for (const ListedCase& c : listings.cases) {
    const bool here = !c.municipality_code || *c.municipality_code == m.code;
    const bool of_type = scope.address_types.empty() || c.address_type.empty() ||
                         std::ranges::find(scope.address_types, c.address_type) != scope.address_types.end();
    if (here && of_type) cases.push_back(c);
  }
  counts.outside_scope = static_cast<std::int64_t>(listings.cases.size() - cases.size());
  if (counts.outside_scope > 0)
    spdlog::info("{}: {} of another municipality or address type skipped", m.name,
                 counted(counts.outside_scope, "listed case", "listed cases"));
  Municipality& here = municipalities_[listings.municipality];
  for (const ListedCase& c : cases) here.listing_hash[c.address_id] += mixed(c.hash);
  for (ChangedAddress& c : diff_listings(listings.stored, cases)) here.changed.emplace(std::move(c.address_id), c.change);
  counts.listing_changes = static_cast<std::int64_t>(here.changed.size());
  // In a first import every listing is "changed": not worth a line each at info.
  const auto level = counts.first_import ? spdlog::level::debug : spdlog::level::info;
  if (!here.changed.empty())
    spdlog::log(level, "{}: {} whose listings changed", m.name,
                counted(static_cast<std::int64_t>(here.changed.size()), "address", "addresses"));
}

void DedupStage::on_page(const PageEvent& page, DedupOutputs& out) {
  auto& seen_here = municipalities_[page.municipality].seen;
  for (const ItemPtr& item : page.items) {
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
      control_.in_flight() < 2 * static_cast<std::int64_t>(options_.workers))
    process_chunk(out);
}

void DedupStage::on_done(const MunicipalityDone& done, DedupOutputs& out) {
  process_chunk(out);
  Municipality& here = municipalities_[done.municipality];
  // Changed listings the address pages did not show (all of them with --refresh on-market).
  for (const auto& [address_id, change] : here.changed) {
    if (control_.stopping() || control_.limit_reached()) break;
    if (here.seen.contains(address_id) || !options_.shard.owns(address_id) || handled_.contains(address_id)) continue;
    auto item = std::make_shared<WorkItem>();
    item->address_id = address_id;
    item->municipality = done.municipality;
    here.seen.insert(address_id);
    retry_.erase(address_id);
    send(item, out);
  }
  if (done.complete && !control_.stopping() && !control_.limit_reached()) check_vanished(done.municipality, out);
  municipalities_.erase(done.municipality);
}

void DedupStage::on_searches_done(DedupOutputs& out) {
  const std::size_t retry_row = counters_.municipalities.size() - 1;
  for (const std::string& id : retry_) {
    if (control_.stopping() || control_.limit_reached()) break;
    auto item = std::make_shared<WorkItem>();
    item->address_id = id;
    item->municipality = retry_row;
    send(item, out);
  }
  retry_.clear();
}

void DedupStage::process_chunk(DedupOutputs& out) {
  if (chunk_.empty()) return;
  std::vector<ItemPtr> items;
  items.swap(chunk_);
  if (control_.stopping()) return;
  std::unordered_map<std::string, StoredState> stored;
  if (reads_) {
    std::vector<std::string> ids;
    ids.reserve(items.size());
    for (const ItemPtr& i : items) ids.push_back(i->address_id);
    std::vector<StoredState> states;
    if (!read([&] { states = options_.dry_run ? reads_->peek(ids) : writes_->lookup(ids, now_seconds()); })) return;
    for (StoredState& s : states) stored.emplace(s.address_id, std::move(s));
  }
  const UnixTime now = now_seconds();
  last_chunk_had_work_ = false;
  for (const ItemPtr& item : items) {
    const auto it = stored.find(item->address_id);
    if (!wanted(*item, it == stored.end() ? nullptr : &it->second, now)) {
      counters_.municipalities[item->municipality].skipped += 1;
      continue;
    }
    last_chunk_had_work_ = true;
    emit(item, out);
  }
}

// Also completes the item's search hash: its search item's hash plus its listings'.
bool DedupStage::wanted(WorkItem& item, const StoredState* stored, UnixTime now) {
  Municipality& here = municipalities_[item.municipality];
  if (item.search_hash) {
    const auto listed = here.listing_hash.find(item.address_id);
    if (listed != here.listing_hash.end()) *item.search_hash += listed->second;
  }
  if (retry_.erase(item.address_id) > 0) return true;
  if (!stored || options_.refresh.wants(*stored, now) || here.changed.contains(item.address_id)) return true;
  return item.search_hash != stored->search_hash;
}

// Discovery never calls a search that found nothing where properties are stored complete
// (a wrong name or address type: checking them all would cost a request each).
void DedupStage::check_vanished(std::size_t municipality, DedupOutputs& out) {
  const etl::Municipality& m = options_.municipalities[municipality];
  if (!reads_) return;
  std::vector<std::string> candidates;
  // Every stored ID of the scope; the ones this run saw are excluded below.
  if (!read([&] { candidates = reads_->ids_not_seen_since(options_.scope(municipality), now_seconds() + 1); }))
    return;
  const auto& seen_here = municipalities_[municipality].seen;
  std::size_t vanished = 0;
  for (std::string& id : candidates) {
    if (seen_here.contains(id) || !options_.shard.owns(id) || handled_.contains(id)) continue;
    ++vanished;
    retry_.erase(id);
    auto item = std::make_shared<WorkItem>();
    item->address_id = std::move(id);
    item->municipality = municipality;
    send(item, out);
    if (control_.limit_reached()) break;
  }
  if (vanished > 0)
    spdlog::info("{}: {} no longer in search; checking them", m.name,
                 counted(static_cast<std::int64_t>(vanished), "stored property", "stored properties"));
}

// A search item is enough (--details never) unless the property is listed: search items
// carry no listing, so the detail has to say it.
void DedupStage::emit(const ItemPtr& item, DedupOutputs& out) {
  const bool listed = municipalities_[item->municipality].listing_hash.contains(item->address_id);
  if (options_.details == DetailsMode::Never && !item->payload.empty() && !listed) {
    item->origin = WorkItem::Origin::Search;
    item->state = WorkItem::State::Fetched;
  } else {
    item->payload.clear();
  }
  send(item, out);
}

void DedupStage::send(const ItemPtr& item, DedupOutputs& out) {
  if (!control_.admit(item->address_id)) return;
  counters_.municipalities[item->municipality].queued += 1;
  switch (item->origin) {
    case WorkItem::Origin::Detail:
      out.to_fetch(item);
      break;
    case WorkItem::Origin::Search:
      out.to_parse(item);
      break;
  }
}

bool DedupStage::read(const std::function<void()>& call) {
  return control_.store_call("database lookup", call);
}

}  // namespace etl
