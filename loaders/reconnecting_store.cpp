// ReconnectingStore: each call retried through a reopened store (see reconnecting_store.hpp).
#include "loaders/reconnecting_store.hpp"

#include <spdlog/spdlog.h>

#include <thread>

#include "etl/core/errors.hpp"
#include "loaders/dialects.hpp"

namespace etl {

ReconnectingStore::ReconnectingStore(std::string url, ReconnectPolicy policy, bool reconnect)
    : url_(std::move(url)), policy_(policy), reconnect_(reconnect), store_(open_store(url_)), dialect_(store_->dialect()) {}

template <class Fn>
auto ReconnectingStore::call(const char* what, Fn&& fn) -> decltype(fn(std::declval<Store&>())) {
  if (!reconnect_) return fn(*store_);  // the store's own lock serialises the call
  const std::lock_guard lock(mutex_);  // store_ and lost_ are shared by the calling threads
  const int rounds = lost_ ? 1 : policy_.attempts;
  auto backoff = policy_.first_backoff;
  for (int round = 0;; ++round) {
    try {
      if (!store_) {
        store_ = open_store(url_);
        if (run_id_) store_->set_run_id(*run_id_);  // a reopened store's events keep the run
      }
      auto guard = [&] { return fn(*store_); };
      if constexpr (std::is_void_v<decltype(guard())>) {
        guard();
        lost_ = false;
        return;
      } else {
        auto result = guard();
        lost_ = false;
        return result;
      }
    } catch (const StoreError& e) {
      if (round >= rounds) {
        if (!lost_)
          spdlog::error("{} {}: giving up after {} reconnect attempt(s): {}", dialect_, redact_db_url(url_), rounds,
                        e.what());
        lost_ = true;
        throw;
      }
      spdlog::warn("{} {}: cannot {} ({}); reconnecting in {} ms (attempt {} of {})", dialect_, redact_db_url(url_),
                   what, e.what(), backoff.count(), round + 1, rounds);
      store_.reset();
      if (!lost_) std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
  }
}

std::vector<StoredState> ReconnectingStore::lookup(const std::vector<std::string>& ids, UnixTime now) {
  return call("look up stored IDs", [&](Store& s) { return s.lookup(ids, now); });
}
std::vector<StoredState> ReconnectingStore::peek(const std::vector<std::string>& ids) {
  return call("look up stored IDs", [&](Store& s) { return s.peek(ids); });
}
UpsertResult ReconnectingStore::upsert_batch(const std::vector<PropertyRecord>& records, UnixTime now) {
  return call("write a batch", [&](Store& s) { return s.upsert_batch(records, now); });
}
std::int64_t ReconnectingStore::mark_removed(const std::vector<std::string>& ids, UnixTime now) {
  return call("mark properties removed", [&](Store& s) { return s.mark_removed(ids, now); });
}
void ReconnectingStore::record_failure(const FailureRecord& failure, UnixTime now) {
  call("record a failure", [&](Store& s) { s.record_failure(failure, now); });
}
std::vector<PendingFailure> ReconnectingStore::pending_failures(std::size_t limit) {
  return call("read pending failures", [&](Store& s) { return s.pending_failures(limit); });
}

std::int64_t ReconnectingStore::resolve_failures(const FailureFilter& filter, UnixTime now) {
  return call("resolve failures", [&](Store& s) { return s.resolve_failures(filter, now); });
}
std::vector<std::string> ReconnectingStore::ids_not_seen_since(const PropertyScope& scope, UnixTime since) {
  return call("look up stored IDs", [&](Store& s) { return s.ids_not_seen_since(scope, since); });
}
std::int64_t ReconnectingStore::begin_run(const RunInfo& info, UnixTime now) {
  return call("record the run", [&](Store& s) { return s.begin_run(info, now); });
}
void ReconnectingStore::set_run_id(std::int64_t run_id) {
  const std::lock_guard lock(mutex_);
  run_id_ = run_id;
  if (store_) store_->set_run_id(run_id);
}
void ReconnectingStore::finish_run(std::int64_t run_id, const RunOutcome& outcome, UnixTime now) {
  call("record the run", [&](Store& s) { s.finish_run(run_id, outcome, now); });
}
std::vector<RunRow> ReconnectingStore::recent_runs(std::size_t limit) {
  return call("read runs", [&](Store& s) { return s.recent_runs(limit); });
}
std::vector<StoredCase> ReconnectingStore::open_cases(const PropertyScope& scope) {
  return call("list open cases", [&](Store& s) { return s.open_cases(scope); });
}
std::vector<MunicipalityCount> ReconnectingStore::property_counts() {
  return call("count properties", [&](Store& s) { return s.property_counts(); });
}
std::int64_t ReconnectingStore::export_rows(const ExportTable& table, const ExportFilter& filter,
                                           const std::function<void(const std::vector<ExportValue>&)>& row) {
  const std::lock_guard lock(mutex_);
  if (!store_) throw StoreError(dialect_ + " " + redact_db_url(url_) + ": the connection is lost");
  return store_->export_rows(table, filter, row);
}
std::vector<EventRow> ReconnectingStore::events(const EventFilter& filter) {
  return call("list events", [&](Store& s) { return s.events(filter); });
}
std::array<std::int64_t, kEventKinds> ReconnectingStore::event_counts(UnixTime since) {
  return call("count events", [&](Store& s) { return s.event_counts(since); });
}
std::vector<MarketRow> ReconnectingStore::market(const MarketFilter& filter) {
  return call("read the market", [&](Store& s) { return s.market(filter); });
}
std::vector<WeeklyActivity> ReconnectingStore::weekly_activity(const MarketFilter& filter, UnixTime since) {
  return call("read weekly activity", [&](Store& s) { return s.weekly_activity(filter, since); });
}
std::vector<ListingPoint> ReconnectingStore::listings(const MarketFilter& filter) {
  return call("list the open listings", [&](Store& s) { return s.listings(filter); });
}
std::vector<PriceCutRow> ReconnectingStore::largest_price_cuts(const MarketFilter& filter, UnixTime since,
                                                               std::size_t limit) {
  return call("list the largest price cuts", [&](Store& s) { return s.largest_price_cuts(filter, since, limit); });
}

std::unique_ptr<ReconnectingStore> open_resilient_store(const std::string& url, ReconnectPolicy policy) {
  return std::make_unique<ReconnectingStore>(url, policy, loaders_detail::parse_db_url(url).dialect.reconnects);
}

}  // namespace etl
