#include "etl/pipeline/batch_loader.hpp"

#include <spdlog/spdlog.h>

#include <ctime>
#include <unordered_set>

#include "etl/core/free_memory.hpp"

namespace etl {

namespace {
// ~50 calls in a 50,000-property import, each a walk of malloc's free lists.
constexpr std::size_t kReleaseEvery = 1000;
}  // namespace

UnixTime now_seconds() { return static_cast<UnixTime>(std::time(nullptr)); }

BatchLoader::BatchLoader(PropertyWrites& writes, FailureLog& failures, RunCounters& counters, std::size_t batch_size)
    : writes_(writes), failures_(failures), counters_(counters), batch_size_(batch_size) {
  records_.reserve(batch_size);
}

void BatchLoader::add(PropertyRecord record, std::size_t row) {
  record.listings_are_news = !counters_.municipalities[row].first_import;
  if (!record.notes.empty()) {
    counters_.data_notes += static_cast<std::int64_t>(record.notes.size());
    for (const std::string& note : record.notes) spdlog::debug("{}: {}", record.address_id, note);
  }
  records_.push_back(std::move(record));
  record_rows_.push_back(row);
  if (records_.size() + removed_.size() >= batch_size_) flush();
}

void BatchLoader::add_removed(std::string address_id, std::size_t row) {
  removed_.push_back(std::move(address_id));
  removed_rows_.push_back(row);
  if (records_.size() + removed_.size() >= batch_size_) flush();
}

void BatchLoader::add_failure(const FailureRecord& failure, std::size_t row) {
  counters_.municipalities[row].failed += 1;
  spdlog::debug("{}: {} failed: {}", failure.address_id, to_string(failure.stage), failure.reason);
  failures_.record_failure(failure, now_seconds());
}

void BatchLoader::flush() {
  if (records_.empty() && removed_.empty()) return;
  {
    const UnixTime now = now_seconds();
    if (!removed_.empty()) counters_.events[static_cast<std::size_t>(EventKind::removed)] += writes_.mark_removed(removed_, now);
    if (!records_.empty()) {
      const UpsertResult r = writes_.upsert_batch(records_, now);
      std::unordered_set<std::string> poisoned;
      for (const UpsertFailure& f : r.failures) poisoned.insert(f.address_id);
      for (std::size_t i = 0; i < records_.size(); ++i) {
        MunicipalityCounters& c = counters_.municipalities[record_rows_[i]];
        (poisoned.contains(records_[i].address_id) ? c.failed : c.loaded) += 1;
      }
      counters_.added += r.added;
      counters_.unchanged += r.unchanged;
      for (std::size_t k = 0; k < kEventKinds; ++k) counters_.events[k] += r.events[k];
    }
    for (std::size_t r : removed_rows_) counters_.municipalities[r].removed += 1;
  }
  written_since_release_ += records_.size() + removed_.size();
  if (written_since_release_ >= kReleaseEvery) {
    release_free_memory();
    written_since_release_ = 0;
  }
  records_.clear();
  record_rows_.clear();
  removed_.clear();
  removed_rows_.clear();
}

}  // namespace etl
