// In-memory stand-ins for the pipeline's two seams, so the flow graph's logic (chunked
// lookups, batching, limits, refresh, failures) is tested without network or database.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "extractors/http_client.hpp"
#include "loaders/store.hpp"

namespace etl::test {

// Answers the Boligsiden search for one municipality of `ids.size()` properties, its
// listings (`cases`, one page) and their details; an ID in `errors` answers 500, an ID in
// `gone` answers 404, an ID in `unreadable` has a search item and detail that the property
// parser refuses (a NUL in a string). Responds inline.
class FakeApi final : public HttpClient {
 public:
  FakeApi(std::string municipality, std::vector<std::string> ids) : municipality_(std::move(municipality)), ids_(std::move(ids)) {}

  void get(std::string url, Callback done, RequestOptions request) override;
  HttpStats stats() const override;
  void cancel_all() override {}

  std::set<std::string> errors, gone, unreadable;
  std::vector<StoredCase> cases;  // the open listings /search/cases answers (distinction ignored)
  std::set<std::string> elsewhere;  // addresses of `cases` that lie in another municipality (147)
  std::vector<std::string> detail_requests() const;
  std::int64_t search_requests() const;  // /search/addresses pages

  // The search item and detail of an ID (in København, 101, unless another code is given).
  static std::string payload(const std::string& id, std::int64_t municipality_code = 101);

 private:
  std::string item(const std::string& id) const;

  std::string municipality_;
  std::vector<std::string> ids_;
  mutable std::mutex mutex_;
  std::vector<std::string> details_;
  std::int64_t requests_ = 0, searches_ = 0;
};

// The public members are read by tests after the run, when no stage calls the store.
class MemoryStore final : public ImportStore {
 public:
  std::vector<StoredState> lookup(const std::vector<std::string>& ids, UnixTime now) override;
  std::vector<StoredState> peek(const std::vector<std::string>& ids) override;
  UpsertResult upsert_batch(const std::vector<PropertyRecord>& records, UnixTime now) override;
  std::int64_t mark_removed(const std::vector<std::string>& ids, UnixTime now) override;
  void record_failure(const FailureRecord& failure, UnixTime now) override;
  std::vector<PendingFailure> pending_failures(std::size_t limit) override;
  std::vector<std::string> ids_not_seen_since(const PropertyScope& scope, UnixTime since) override;
  std::int64_t resolve_failures(const FailureFilter&, UnixTime) override { return 0; }  // not used by the pipeline
  std::vector<StoredCase> open_cases(const PropertyScope&) override { return stored_cases; }

  std::map<std::string, StoredState> rows;
  std::map<std::string, std::int64_t> municipality_of;
  std::map<std::string, FailureRecord> failures;
  std::vector<std::size_t> lookup_sizes, batch_sizes;
  std::vector<std::string> removed;
  std::vector<StoredCase> stored_cases;

 private:
  std::mutex mutex_;  // a Store serialises its own calls (the pipeline shares it between stages)
};

// A stored row as a run that saw `id` on a search page without listings leaves it.
StoredState stored_state(const std::string& id, UnixTime fetched_at, bool on_market = false);

}  // namespace etl::test
