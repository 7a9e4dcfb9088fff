// A Store decorator for a database that may go away mid-run (a PostgreSQL restart, a network
// blip): a call that fails with a StoreError reopens the store through open_store(url) and
// retries the call, a bounded number of times with backoff. Every Store call is its own
// transaction or idempotent, so retrying one cannot double a row.
//
// When the attempts are used up the last StoreError is thrown and the store counts as lost:
// later calls try once more (a single reopen, no backoff) so the run can still record itself
// if the database is back, and `lost()` lets the caller report the run as interrupted.
// Made with `reconnect` false (a dialect whose database is not lost), it only passes the calls on.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "loaders/store.hpp"

namespace etl {

struct ReconnectPolicy {
  int attempts = 3;  // reopen-and-retry rounds after the first failure
  std::chrono::milliseconds first_backoff{500};  // doubles each round: 0.5 + 1 + 2 s
};

class ReconnectingStore final : public Store {
 public:
  // Opens the store now (errors propagate: a bad URL or an unreachable server fails fast).
  ReconnectingStore(std::string url, ReconnectPolicy policy = {}, bool reconnect = true);

  bool lost() const {
    const std::lock_guard lock(mutex_);
    return lost_;
  }

  std::vector<StoredState> lookup(const std::vector<std::string>& ids, UnixTime now) override;
  std::vector<StoredState> peek(const std::vector<std::string>& ids) override;
  UpsertResult upsert_batch(const std::vector<PropertyRecord>& records, UnixTime now) override;
  std::int64_t mark_removed(const std::vector<std::string>& ids, UnixTime now) override;
  void record_failure(const FailureRecord& failure, UnixTime now) override;
  std::vector<PendingFailure> pending_failures(std::size_t limit) override;
  std::int64_t resolve_failures(const FailureFilter& filter, UnixTime now) override;
  std::vector<std::string> ids_not_seen_since(const PropertyScope& scope, UnixTime since) override;
  std::int64_t begin_run(const RunInfo& info, UnixTime now) override;
  void set_run_id(std::int64_t run_id) override;
  void finish_run(std::int64_t run_id, const RunOutcome& outcome, UnixTime now) override;
  std::vector<RunRow> recent_runs(std::size_t limit) override;
  std::vector<StoredCase> open_cases(const PropertyScope& scope) override;
  std::vector<MunicipalityCount> property_counts() override;
  std::vector<EventRow> events(const EventFilter& filter) override;
  std::array<std::int64_t, kEventKinds> event_counts(UnixTime since) override;
  std::vector<MarketRow> market(const MarketFilter& filter) override;
  std::vector<WeeklyActivity> weekly_activity(const MarketFilter& filter, UnixTime since) override;
  std::vector<ListingPoint> listings(const MarketFilter& filter) override;
  std::vector<PriceCutRow> largest_price_cuts(const MarketFilter& filter, UnixTime since, std::size_t limit) override;
  std::string dialect() const override { return dialect_; }
  // Not retried: the rows already given cannot be taken back.
  std::int64_t export_rows(const ExportTable& table, const ExportFilter& filter,
                           const std::function<void(const std::vector<ExportValue>&)>& row) override;

 private:
  template <class Fn>
  auto call(const char* what, Fn&& fn) -> decltype(fn(std::declval<Store&>()));

  mutable std::mutex mutex_;
  std::string url_;
  ReconnectPolicy policy_;
  bool reconnect_;
  std::unique_ptr<Store> store_;  // null after a failed reopen
  std::string dialect_;
  bool lost_ = false;
  std::optional<std::int64_t> run_id_;  // set_run_id, given again to a reopened store
};

// open_store(url) in a ReconnectingStore that reconnects when its dialect can (a PostgreSQL
// server; a SQLite file does not go away: its errors are not cured by reopening, and it is never lost).
std::unique_ptr<ReconnectingStore> open_resilient_store(const std::string& url, ReconnectPolicy policy = {});

}  // namespace etl
