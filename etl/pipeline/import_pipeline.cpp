// Wires the stages into one flow graph, as the diagram in import_pipeline.hpp shows, and
// runs it: discovery on its own thread, the graph's tasks on the calling thread (without
// spinning while they wait on requests: outside_work.hpp) and TBB's workers, and a watchdog
// that turns a signal or a fatal error into a stop.
#include "etl/pipeline/import_pipeline.hpp"

#include <tbb/flow_graph.h>

#include <thread>

#include "etl/pipeline/dedup_stage.hpp"
#include "etl/pipeline/discover_stage.hpp"
#include "etl/pipeline/fetch_stage.hpp"
#include "etl/pipeline/load_stage.hpp"
#include "etl/pipeline/parse_stage.hpp"
#include "etl/pipeline/retry_source.hpp"
#include "etl/pipeline/run_control.hpp"

namespace etl {

namespace flow = tbb::flow;

void init_counters(RunCounters& counters, const RunOptions& options) {
  counters.municipalities.clear();
  for (const Municipality& m : options.municipalities) {
    auto& c = counters.municipalities.emplace_back();
    c.name = m.name;
    c.code = m.code;
  }
  auto& retry = counters.municipalities.emplace_back();
  retry.name = "(earlier failures)";
}

struct ImportPipeline::Impl {
  using DedupNode = flow::multifunction_node<DedupEvent, std::tuple<ItemPtr, ItemPtr>>;

  // Dedup's two outputs are the two ports of its node.
  struct DedupPorts final : DedupOutputs {
    explicit DedupPorts(DedupNode::output_ports_type& p) : ports(p) {}
    void to_fetch(const ItemPtr& item) override { std::get<0>(ports).try_put(item); }
    void to_parse(const ItemPtr& item) override { std::get<1>(ports).try_put(item); }
    DedupNode::output_ports_type& ports;
  };

  HttpClient& http;
  RunControl control;
  OutsideWork outside;  // discovery and requests in flight: they put into the graph
  // Everything between discovery and the load batch: a lookup chunk, the requests in
  // flight, a batch being written and one more, and slack for the pages in transit.
  WorkGate gate;
  RetrySource retry;
  DiscoverStage discover;
  DedupStage dedup_stage;
  FetchStage fetch_stage;
  ParseStage parse_stage;
  LoadStage load_stage;

  flow::graph graph;
  DedupNode dedup;
  FetchStage::Node fetch;
  flow::multifunction_node<ItemPtr, std::tuple<ItemPtr>> parse;
  flow::function_node<ItemPtr, flow::continue_msg> load;

  Impl(const RunOptions& o, ImportStore* store, HttpClient& h, RunCounters& c, const std::atomic<int>& stop)
      : http(h),
        control(stop, o.limit, o.dry_run),
        gate(DedupStage::kLookupChunk + 4 * static_cast<std::size_t>(o.workers) + 2 * o.batch_size + 200),
        retry(o, store, control, gate, c.municipalities.size() - 1),
        discover(o, store, store, store, h, c, control, gate),
        dedup_stage(o, store, store, c, control),
        fetch_stage(o.api_url, h, c, control, outside),
        load_stage(store, c, o.batch_size, control),
        dedup(graph, flow::serial,
              [this](const DedupEvent& e, DedupNode::output_ports_type& out) {
                DedupPorts ports(out);
                dedup_stage.on_event(e, ports);
              }),
        fetch(graph, flow::unlimited,
              [this](const ItemPtr& item, FetchStage::Node::gateway_type& gw) { fetch_stage.fetch(item, gw); }),
        parse(graph, flow::unlimited,
              [this](const ItemPtr& item, flow::multifunction_node<ItemPtr, std::tuple<ItemPtr>>::output_ports_type& out) {
                if (parse_stage.parse(*item) == ParseStage::Next::Refetch) {
                  fetch_stage.fetch(item, fetch.gateway());  // back round the loop, still in flight
                } else {
                  std::get<0>(out).try_put(item);
                }
              }),
        load(graph, flow::serial, [this](const ItemPtr& item) {
          load_stage.load(item);
          return flow::continue_msg();
        }) {
    flow::make_edge(flow::output_port<0>(dedup), fetch);
    flow::make_edge(flow::output_port<1>(dedup), parse);
    flow::make_edge(fetch, parse);
    flow::make_edge(flow::output_port<0>(parse), load);
  }

  // Earlier failures first (straight to the HTTP client's queue, not via a graph task, so
  // they go out first; or deferred to dedup), then every municipality's search.
  void sources() {
    RetriedFailures retried = retry.run([this](const ItemPtr& item) { fetch_stage.fetch(item, fetch.gateway()); });
    dedup_stage.exclude(std::move(retried.address_ids));
    dedup_stage.retry_when_seen(std::move(retried.deferred_ids));
    discover.run(retried.discovery_ids, [this](DedupEvent e) {
      dedup.try_put(std::move(e));
      outside.put();
    });
  }

  PipelineResult run() {
    std::atomic<bool> sources_done{false};
    // Signals and fatal errors must wake a discovery blocked on the gate and end in-flight requests.
    std::thread watchdog([&] {
      while (!sources_done) {
        if (control.stopping()) {
          gate.close();
          http.cancel_all();
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
    outside.begin();
    std::thread source_thread([this] {
      try {
        sources();
      } catch (const std::exception& e) {
        control.fail_fatally(std::string("discovery failed: ") + e.what());
      }
      outside.end();
    });
    // The main thread runs the graph's tasks from the start: on a one-core machine it is the
    // only thread that does, and discovery waits on them.
    outside.run(graph);
    source_thread.join();
    load_stage.flush();
    sources_done = true;
    watchdog.join();
    return control.take_result();
  }
};

ImportPipeline::ImportPipeline(const RunOptions& options, ImportStore* store, HttpClient& http, RunCounters& counters,
                               const std::atomic<int>& stop)
    : impl_(std::make_unique<Impl>(options, store, http, counters, stop)) {}

ImportPipeline::~ImportPipeline() = default;

PipelineResult ImportPipeline::run() { return impl_->run(); }

}  // namespace etl
