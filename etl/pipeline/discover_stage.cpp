#include "etl/pipeline/discover_stage.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <limits>

#include "etl/core/counted.hpp"
#include "etl/core/errors.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "extractors/case_search.hpp"
#include "extractors/municipality_discovery.hpp"

#include <iterator>

namespace etl {
namespace {

// A time after every last_seen_at: ids_not_seen_since lists every live property of a scope.
constexpr UnixTime kFarFuture = std::numeric_limits<std::int32_t>::max();

DedupEvent done_event(std::size_t municipality, bool complete) {
  return std::make_shared<DedupEventValue>(MunicipalityDone{municipality, complete});
}

}  // namespace

void DiscoverStage::run(const std::unordered_set<std::string>& pending_discovery,
                        const std::function<void(DedupEvent)>& to_dedup) {
  MunicipalityDiscovery discovery(http_, DiscoveryOptions{.base_url = options_.api_url,
                                                          .address_type = options_.address_types,
                                                          .max_results = options_.max_results,
                                                          .keep_payloads = options_.details == DetailsMode::Never});
  CaseSearch listings(http_, CaseSearchOptions{.base_url = options_.api_url,
                                               .address_type = options_.address_types,
                                               .max_results = options_.max_results});
  for (std::size_t i = 0; i < options_.municipalities.size() && !control_.stopping() && !control_.limit_reached();
       ++i) {
    counters_.discovering = static_cast<std::int64_t>(i);
    if (!discover(i, listings, discovery, pending_discovery, to_dedup)) return;
  }
  counters_.discovering = static_cast<std::int64_t>(counters_.municipalities.size());
  if (!control_.stopping() && !control_.limit_reached()) to_dedup(std::make_shared<DedupEventValue>(SearchesDone{}));
}

// Listings first, so dedup knows which addresses are listed when their pages arrive.
bool DiscoverStage::discover(std::size_t i, CaseSearch& listings, MunicipalityDiscovery& discovery,
                             const std::unordered_set<std::string>& pending,
                             const std::function<void(DedupEvent)>& to_dedup) {
  const Municipality& m = options_.municipalities[i];
  MunicipalityCounters& c = counters_.municipalities[i];
  const PropertyScope scope = options_.scope(i);
  std::vector<std::string> stored;  // the scope's live properties
  if (!read([&] { stored = reads_->ids_not_seen_since(scope, kFarFuture); })) return false;
  c.first_import = stored.empty();
  std::string error;  // the first search of the municipality that failed
  bool listings_complete = false;
  bool searchable = true;  // false: the search finds nothing where properties are stored
  try {
    ListingsEvent event{i, {}, {}};
    const CaseSearchReport report = listings.list(m, [&](std::vector<ListedCase>&& page) {
      std::move(page.begin(), page.end(), std::back_inserter(event.cases));
      return !control_.stopping();
    });
    c.listed = report.found;
    listings_complete = report.complete && !control_.stopping();
    // Listings that do not add up are a recorded failure of the municipality (exit 3, retried
    // next run), not a warning a cron job never reads: the night did not see every listing.
    if (report.shortfall > 0)
      error = fmt::format("the case search delivered {} distinct listings of the {} it counts (shortfall {})",
                          report.found, report.total_hits, report.shortfall);
    if (!read([&] { event.stored = reads_->open_cases(scope); })) return false;
    // A municipality with no listing is ordinary; one whose search finds nothing at all where
    // properties are stored is a wrong name or address type, and ending its listings would be wrong.
    if (event.cases.empty() && !event.stored.empty() && listings_complete && discovery.count(m) == 0) {
      searchable = false;
      error = nothing_found(m, stored.size());
    } else {
      to_dedup(std::make_shared<DedupEventValue>(std::move(event)));
    }
  } catch (const ApiRefusedError& e) {
    control_.fail_refused(e.what());
  } catch (const ApiError& e) {
    if (!control_.stopping()) error = e.what();
  }
  bool addresses_complete = false;
  if (options_.refresh.pages_addresses() && searchable && !control_.stopping()) {
    try {
      addresses_complete = discover_addresses(i, discovery, to_dedup);
    } catch (const ApiRefusedError& e) {
      control_.fail_refused(e.what());
    } catch (const ApiError& e) {
      if (!control_.stopping() && error.empty()) error = e.what();
    }
    // Not complete, so dedup checks none of the stored properties for removal.
    if (addresses_complete && c.hits.load() == 0 && !stored.empty()) {
      addresses_complete = false;
      if (error.empty()) error = nothing_found(m, stored.size());
    }
  }
  to_dedup(done_event(i, addresses_complete && !control_.stopping() && !control_.limit_reached()));
  if (control_.stopping()) return false;  // the stop cancelled its requests: not a failure of the search
  if (!error.empty()) {
    spdlog::error("{}: discovery failed: {}", m.name, error);
    c.failed += 1;
    // Whatever was discovered went through dedup (not complete: no removal checks), and the
    // failure is recorded so the run ends with failures (exit 3), never silently.
    return write([&] {
      failures_->record_failure(FailureRecord{failure_id(m), FailureStage::discover, error, options_.api_url}, now_seconds());
    });
  }
  // A complete discovery settles a discovery failure recorded by an earlier run.
  const bool complete = listings_complete && (addresses_complete || !options_.refresh.pages_addresses());
  if (complete && pending.contains(failure_id(m))) {
    return write([&] { writes_->mark_removed({failure_id(m)}, now_seconds()); });  // resolves its etl_failures row
  }
  return true;
}

// Streams the address search's pages to dedup, each item with its search hash; throws ApiError.
bool DiscoverStage::discover_addresses(std::size_t i, MunicipalityDiscovery& discovery,
                                       const std::function<void(DedupEvent)>& to_dedup) {
  MunicipalityCounters& c = counters_.municipalities[i];
  const auto on_page = [&](std::vector<DiscoveredItem>&& page) {
    if (control_.stopping() || control_.limit_reached()) return false;
    if (!gate_.acquire(page.size())) return false;
    auto event = std::make_shared<DedupEventValue>(PageEvent{i, {}});
    auto& items = std::get<PageEvent>(*event).items;
    items.reserve(page.size());
    for (DiscoveredItem& d : page) {
      auto item = std::make_shared<WorkItem>();
      item->address_id = std::move(d.address_id);
      item->municipality = i;
      item->search_hash = d.hash;
      item->payload = std::move(d.payload);  // empty unless --details never
      item->unit = GateUnit(&gate_);
      items.push_back(std::move(item));
    }
    c.discovered += static_cast<std::int64_t>(items.size());
    to_dedup(event);
    return !control_.stopping() && !control_.limit_reached();
  };
  const DiscoveryReport report = discovery.discover(options_.municipalities[i], [&](std::int64_t total) { c.hits = total; }, on_page);
  c.partitions = report.partitions;
  c.shortfall = report.shortfall;
  c.discovery_complete = report.complete;  // discovery has logged any shortfall
  // An ID that is not an ID is the API's fault, recorded so the run ends with failures; it
  // is never fetched (the key has a colon, which no valid ID has) and shows in `etl status`.
  for (const std::string& id : report.invalid_ids) {
    c.failed += 1;
    write([&] {
      failures_->record_failure(FailureRecord{"invalid:" + id, FailureStage::discover,
                                              "the search of " + options_.municipalities[i].name +
                                                  " listed an invalid addressID \"" + id + "\"",
                                              options_.api_url},
                                now_seconds());
    });
  }
  return report.complete;
}

std::string DiscoverStage::nothing_found(const Municipality& m, std::size_t stored) const {
  return fmt::format("the address search (addressTypes={}) finds nothing in {} although {} stored: a wrong "
                     "municipality name or address type? Nothing of it was checked or changed",
                     options_.address_types.empty() ? "all" : options_.address_types, m.name,
                     counted(static_cast<std::int64_t>(stored), "of its properties is", "of its properties are"));
}

bool DiscoverStage::read(const std::function<void()>& call) {
  if (!reads_) return true;
  return control_.store_call("database lookup", call);
}

// A bookkeeping write; nothing is written in a dry run. False (and fatal) if the database fails.
bool DiscoverStage::write(const std::function<void()>& call) {
  if (!failures_ || options_.dry_run) return true;
  return control_.store_call("database write", call);
}

}  // namespace etl
