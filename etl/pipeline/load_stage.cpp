#include "etl/pipeline/load_stage.hpp"

#include "etl/core/errors.hpp"

namespace etl {

LoadStage::LoadStage(ImportStore* store, RunCounters& counters, std::size_t batch_size,
                     RunControl& control)
    : control_(control) {
  if (store) loader_.emplace(*store, *store, counters, batch_size);
}

void LoadStage::load(const ItemPtr& item) {
  control_.in_flight -= 1;
  if (control_.fatal() || !loader_) return;  // the database is gone; the rerun redoes these
  try {
    switch (item->state) {
      case WorkItem::State::Fetched:
        loader_->add(std::move(*item->record), item->municipality);
        break;
      case WorkItem::State::Removed:
        loader_->add_removed(item->address_id, item->municipality);
        break;
      case WorkItem::State::Failed:
        loader_->add_failure(FailureRecord{item->address_id, item->failure_stage, item->failure_reason, item->source},
                             item->municipality);
        break;
      case WorkItem::State::Cancelled:
      case WorkItem::State::Pending:
        break;
    }
  } catch (const EtlError& e) {
    control_.fail_fatally(std::string("database write failed: ") + e.what());
  }
  item->unit.release();
}

void LoadStage::flush() {
  if (control_.fatal() || !loader_) return;
  try {
    loader_->flush();
  } catch (const EtlError& e) {
    control_.fail_fatally(std::string("database write failed: ") + e.what());
  }
}

}  // namespace etl
