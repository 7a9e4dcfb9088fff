#include "etl/pipeline/parse_stage.hpp"

#include "etl/core/errors.hpp"

namespace etl {

ItemPtr ParseStage::parse(const ItemPtr& item) {
  if (item->state != WorkItem::State::Fetched) return item;
  try {
    item->record = parsers_.local().parse(item->payload);
    if (item->record->address_id != item->address_id) {
      item->state = WorkItem::State::Failed;
      item->failure_stage = "parse";
      item->failure_reason = "$.addressID: payload is for " + item->record->address_id;
      item->record.reset();
    }
  } catch (const ParseError& e) {
    item->state = WorkItem::State::Failed;
    item->failure_stage = "parse";
    item->failure_reason = e.what();
  }
  item->payload.clear();
  item->payload.shrink_to_fit();
  return item;
}

}  // namespace etl
