#include "etl/pipeline/load_stage.hpp"

#include "etl/core/errors.hpp"

namespace etl {
namespace {

// Where a failed item's payload came from, as etl_failures records it.
std::string failure_source(const WorkItem& item) {
  switch (item.origin) {
    case WorkItem::Origin::Detail:
      return item.source;
    case WorkItem::Origin::Search:
      return "search";
  }
  return item.source;  // not reached: the switch names every origin
}

}  // namespace

LoadStage::LoadStage(ImportStore* store, RunCounters& counters, std::size_t batch_size,
                     RunControl& control)
    : control_(control) {
  if (store) loader_.emplace(*store, *store, counters, batch_size);
}

void LoadStage::load(const ItemPtr& item) {
  control_.settle();
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
        loader_->add_failure(
            FailureRecord{item->address_id, item->failure_stage, item->failure_reason, failure_source(*item)},
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
