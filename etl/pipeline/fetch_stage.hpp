// The fetch stage: one detail request per item, completed by the HttpClient's own event
// loop, so no TBB thread waits on the network. The outcome is the item's state.
#pragma once

#include <tbb/flow_graph.h>

#include <string>

#include "etl/pipeline/outside_work.hpp"
#include "etl/pipeline/run_control.hpp"
#include "etl/pipeline/run_counters.hpp"
#include "etl/pipeline/work_item.hpp"
#include "extractors/http_client.hpp"

namespace etl {

class FetchStage {
 public:
  using Node = tbb::flow::async_node<ItemPtr, ItemPtr>;

  FetchStage(std::string api_url, HttpClient& http, RunCounters& counters, RunControl& control,
             OutsideWork& outside)
      : api_url_(std::move(api_url)), http_(http), counters_(counters), control_(control), outside_(outside) {}

  // Sends the request; the completed item goes to `gateway`'s successors. The request is
  // outside work of the graph (outside_work.hpp) until then.
  void fetch(const ItemPtr& item, Node::gateway_type& gateway);

 private:
  const std::string api_url_;
  HttpClient& http_;
  RunCounters& counters_;
  RunControl& control_;
  OutsideWork& outside_;
};

}  // namespace etl
