// The Store written once over a Dialect (dialect.hpp): every call's SQL and binds, the merge
// among them; a dialect's store derives from SqlStore and gives the Dialect and `guard`.
// Internal to loaders/.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "loaders/dialect.hpp"
#include "loaders/store.hpp"

namespace etl::loaders_detail {

class SqlStore : public Store, protected Dialect {
 public:
  // `url`: the database's, so its password never reaches a stored command, reason or summary.
  explicit SqlStore(std::string url) : url_(std::move(url)) {}

  std::vector<StoredState> peek(const std::vector<std::string>& ids) final;
  std::vector<std::string> ids_not_seen_since(const PropertyScope& scope, UnixTime since) final;
  std::vector<StoredCase> open_cases(const PropertyScope& scope) final;

  std::vector<StoredState> lookup(const std::vector<std::string>& ids, UnixTime now) final;
  UpsertResult upsert_batch(const std::vector<PropertyRecord>& records, UnixTime now) final;
  std::int64_t mark_removed(const std::vector<std::string>& ids, UnixTime now) final;

  std::vector<PendingFailure> pending_failures(std::size_t limit) final;
  void record_failure(const FailureRecord& failure, UnixTime now) final;
  std::int64_t resolve_failures(const FailureFilter& filter, UnixTime now) final;

  std::int64_t begin_run(const RunInfo& info, UnixTime now) final;
  void set_run_id(std::int64_t run_id) final { run_id_ = run_id; }
  void finish_run(std::int64_t run_id, const RunOutcome& outcome, UnixTime now) final;

  std::vector<RunRow> recent_runs(std::size_t limit) final;
  std::vector<MunicipalityCount> property_counts() final;
  std::vector<EventRow> events(const EventFilter& filter) final;
  std::array<std::int64_t, kEventKinds> event_counts(UnixTime since) final;
  std::string dialect() const final { return name(); }

  std::vector<MarketRow> market(const MarketFilter& filter) final;
  std::vector<WeeklyActivity> weekly_activity(const MarketFilter& filter, UnixTime since) final;
  std::vector<ListingPoint> listings(const MarketFilter& filter) final;
  std::vector<PriceCutRow> largest_price_cuts(const MarketFilter& filter, UnixTime since, std::size_t limit) final;
  std::int64_t export_rows(const ExportTable& table, const ExportFilter& filter,
                           const std::function<void(const std::vector<ExportValue>&)>& row) final;

 protected:
  // Runs `call` under the store's lock, turning the dialect's errors into a StoreError that
  // says it could not `what`.
  virtual void guard(const char* what, const std::function<void()>& call) = 0;

  std::vector<StoredVersion> stored_versions(const std::vector<std::string>& ids) final;
  std::vector<StoredChild> stored_children(const std::vector<std::string>& ids) final;
  void write_failure(const FailureRecord& failure, UnixTime now) final;

 private:
  // The rows of `sql` decoded by `decode`; with `what`, under guard(what).
  template <class T>
  std::vector<T> select(const std::string& sql, const std::vector<Param>& params, T (*decode)(const ResultRow&),
                        const char* what = nullptr);
  std::optional<std::int64_t> run_id() const;

  std::string url_;
  std::atomic<std::int64_t> run_id_{0};  // the run the events of writes belong to; 0: none
};

}  // namespace etl::loaders_detail
