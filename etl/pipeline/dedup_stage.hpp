// The dedup stage (serial): decides which discovered properties are fetched. Per
// municipality it first gets the open listings (/search/cases) and diffs them against the
// stored open cases: a new listing, an ended one, a price or distinction change is fetched.
// Then, for the address pages, it collects IDs into chunks of 1,000, looks each chunk up in
// the Store with one statement (which bumps last_seen_at), and passes on what is not stored,
// what came back, what the refresh policy wants, and what the searches show changed: the
// search hash, kept per property, is its search item's hash plus its listings' hashes, so a
// changed item, a new, changed or ended listing (a relisting, a new days-on-market) all show.
// Earlier failures are fetched as they are discovered, the rest at the end. After a
// municipality's complete address search it sends the stored IDs the search no
// longer shows to fetch, to confirm removals (unless the search found none at all: that is
// a warning, not a mass removal).
#pragma once

#include <unordered_map>
#include <unordered_set>

#include "etl/pipeline/listing_diff.hpp"
#include "etl/pipeline/run_control.hpp"
#include "etl/pipeline/run_counters.hpp"
#include "etl/pipeline/run_options.hpp"
#include "etl/pipeline/work_item.hpp"
#include "loaders/store.hpp"

namespace etl {

// Where dedup sends an item: to the detail fetch, or (search payload in hand) to parse.
class DedupOutputs {
 public:
  virtual void to_fetch(const ItemPtr& item) = 0;
  virtual void to_parse(const ItemPtr& item) = 0;

 protected:
  ~DedupOutputs() = default;
};

class DedupStage {
 public:
  static constexpr std::size_t kLookupChunk = 1000;

  // Both stores null: no database yet (a dry run); `writes` is used only when not a dry run.
  DedupStage(const RunOptions& options, PropertyReads* reads, PropertyWrites* writes, RunCounters& counters,
             RunControl& control)
      : options_(options), reads_(reads), writes_(writes), counters_(counters), control_(control) {}

  // IDs this run already sent (retries of earlier failures); set before the first event.
  void exclude(std::unordered_set<std::string> ids) { handled_ = std::move(ids); }
  // Earlier failures to fetch when their search item shows up, the rest once the searches are done.
  void retry_when_seen(std::unordered_set<std::string> ids) { retry_ = std::move(ids); }

  void on_event(const DedupEvent& event, DedupOutputs& out);

 private:
  // What dedup knows of the municipality being discovered.
  struct Municipality {
    std::unordered_map<std::string, std::uint64_t> listing_hash;  // listed address -> its cases' hashes
    std::unordered_map<std::string, ListingChange> changed;       // addresses whose listing changed
    std::unordered_set<std::string> seen;                         // on its address pages
  };

  void on_listings(const ListingsEvent& listings, DedupOutputs& out);
  void on_page(const PageEvent& page, DedupOutputs& out);
  void on_done(const MunicipalityDone& done, DedupOutputs& out);
  void on_searches_done(DedupOutputs& out);
  void process_chunk(DedupOutputs& out);
  bool wanted(WorkItem& item, const StoredState* stored, UnixTime now);
  void check_vanished(std::size_t municipality, DedupOutputs& out);
  void emit(const ItemPtr& item, DedupOutputs& out);
  // Admits the item (RunControl::admit) and sends it on: a search item to parse, else to fetch.
  void send(const ItemPtr& item, DedupOutputs& out);
  // Runs a read; false (and the run's fatal error) if the database fails.
  bool read(const std::function<void()>& call);

  const RunOptions& options_;
  PropertyReads* reads_;
  PropertyWrites* writes_;
  RunCounters& counters_;
  RunControl& control_;

  std::vector<ItemPtr> chunk_;
  std::unordered_set<std::string> handled_;  // sent to fetch by the RetrySource
  std::unordered_set<std::string> retry_;    // earlier failures not yet discovered
  std::unordered_map<std::size_t, Municipality> municipalities_;
  bool last_chunk_had_work_ = true;
};

}  // namespace etl
