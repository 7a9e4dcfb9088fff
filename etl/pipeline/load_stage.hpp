// The load stage (serial, the single writer): each item's outcome goes to the BatchLoader,
// which commits every --batch-size rows. Without a store (a dry run) it only drops items.
#pragma once

#include <optional>

#include "etl/pipeline/batch_loader.hpp"
#include "etl/pipeline/run_control.hpp"
#include "etl/pipeline/work_item.hpp"

namespace etl {

class LoadStage {
 public:
  LoadStage(ImportStore* store, RunCounters& counters, std::size_t batch_size, RunControl& control);

  void load(const ItemPtr& item);
  // Commits what is left; called once the graph is idle.
  void flush();

 private:
  RunControl& control_;
  std::optional<BatchLoader> loader_;
};

}  // namespace etl
