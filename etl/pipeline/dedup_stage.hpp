// The dedup stage (serial): collects discovered IDs into chunks of 1,000, looks each chunk
// up in the Store with one statement (which bumps last_seen_at), and passes on only what is
// not stored or what the refresh policy wants again. After a municipality's complete
// discovery it sends the stored IDs the search no longer shows to fetch, to confirm removals
// (unless the search found none at all: that is a warning, not a mass removal).
#pragma once

#include <mutex>
#include <unordered_map>
#include <unordered_set>

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

  DedupStage(const RunOptions& options, Store* store, std::mutex& store_mutex, RunCounters& counters,
             RunControl& control)
      : options_(options), store_(store), store_mutex_(store_mutex), counters_(counters), control_(control) {}

  // IDs this run already sent (retries of earlier failures); set before the first event.
  void exclude(std::unordered_set<std::string> ids) { handled_ = std::move(ids); }

  void on_event(const DedupEvent& event, DedupOutputs& out);

 private:
  void process_chunk(DedupOutputs& out);
  void check_vanished(std::size_t municipality, DedupOutputs& out);
  void emit(const ItemPtr& item, DedupOutputs& out);
  void emit_to_fetch(const ItemPtr& item, DedupOutputs& out);

  const RunOptions& options_;
  Store* store_;
  std::mutex& store_mutex_;
  RunCounters& counters_;
  RunControl& control_;

  std::vector<ItemPtr> chunk_;
  std::unordered_set<std::string> handled_;
  std::unordered_map<std::size_t, std::unordered_set<std::string>> seen_;  // per municipality
  bool last_chunk_had_work_ = true;
};

}  // namespace etl
