#include "etl/pipeline/fetch_stage.hpp"

#include "extractors/boligsiden_urls.hpp"

namespace etl {

void FetchStage::fetch(const ItemPtr& item, Node::gateway_type& gateway) {
  if (control_.stopping()) return;
  item->source = detail_url(api_url_, item->address_id);
  outside_.begin();
  http_.get(item->source, [item, &gateway, this](HttpResponse r) {
    if (r.status == 200) {
      item->payload = std::move(r.body);
      item->state = WorkItem::State::Fetched;
      counters_.municipalities[item->municipality].fetched += 1;
    } else if (r.status == 404) {
      item->state = WorkItem::State::Removed;
    } else if (r.cancelled) {
      item->state = WorkItem::State::Cancelled;
    } else if (r.refused) {
      control_.fail_refused(r.error);
      item->state = WorkItem::State::Cancelled;
    } else {
      item->state = WorkItem::State::Failed;
      item->failure_stage = FailureStage::fetch;
      item->failure_reason = r.status ? "HTTP " + std::to_string(r.status) : r.error;
      item->failure_reason += " after " + std::to_string(r.attempts) + " attempt(s)";
    }
    gateway.try_put(item);
    outside_.put_and_end();
  }, RequestOptions(Priority::Normal, RequestOptions::kDetailBodyLimit, "addresses"));
}

}  // namespace etl
