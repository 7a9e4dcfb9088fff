#include "etl/pipeline/parse_stage.hpp"

#include "etl/core/errors.hpp"

namespace etl {

ParseStage::Next ParseStage::parse(WorkItem& item) {
  if (item.state != WorkItem::State::Fetched) return Next::Load;
  Next next = Next::Load;
  try {
    item.record = parsers_.local().parse(item.payload);
    if (item.record->address_id != item.address_id) {
      item.state = WorkItem::State::Failed;
      item.failure_stage = FailureStage::parse;
      item.failure_reason = "$.addressID: payload is for " + item.record->address_id;
      item.record.reset();
    } else {
      item.record->search_hash = item.search_hash;
    }
  } catch (const ParseError& e) {
    if (item.origin == WorkItem::Origin::Detail && item.bad_bodies++ < kRefetches) {
      next = Next::Refetch;
      item.state = WorkItem::State::Pending;
    } else {
      item.state = WorkItem::State::Failed;
      item.failure_stage = FailureStage::parse;
      item.failure_reason = e.what();
    }
  }
  item.payload.clear();
  item.payload.shrink_to_fit();
  return next;
}

}  // namespace etl
