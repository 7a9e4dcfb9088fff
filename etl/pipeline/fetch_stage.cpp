#include "etl/pipeline/fetch_stage.hpp"

#include "extractors/boligsiden_urls.hpp"
#include "extractors/http_outcome.hpp"

namespace etl {

void FetchStage::fetch(const ItemPtr& item, Node::gateway_type& gateway) {
  if (control_.stopping()) return;
  item->source = detail_url(api_url_, item->address_id);
  outside_.begin();
  http_.get(item->source, [item, &gateway, this](HttpResponse r) {
    switch (outcome(r)) {
      case HttpOutcome::ok:
        item->payload = std::move(r.body);
        item->state = WorkItem::State::Fetched;
        counters_.municipalities[item->municipality].fetched += 1;
        break;
      case HttpOutcome::not_found:
        item->state = WorkItem::State::Removed;
        break;
      case HttpOutcome::cancelled:
        item->state = WorkItem::State::Cancelled;
        break;
      case HttpOutcome::refused:
        control_.fail_refused(r.error);
        item->state = WorkItem::State::Cancelled;
        break;
      case HttpOutcome::throttled:
      case HttpOutcome::server_error:
      case HttpOutcome::other_status:
      case HttpOutcome::transport_error:
        item->state = WorkItem::State::Failed;
        item->failure_stage = FailureStage::fetch;
        item->failure_reason = answer_text(r) + " after " + std::to_string(r.attempts) + " attempt(s)";
        break;
    }
    gateway.try_put(item);
    outside_.put_and_end();
  }, RequestOptions(Priority::Normal, RequestOptions::kDetailBodyLimit, ApiEndpoint::addresses));
}

}  // namespace etl
