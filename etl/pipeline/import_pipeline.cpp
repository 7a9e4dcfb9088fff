#include "etl/pipeline/import_pipeline.hpp"

#include <spdlog/spdlog.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/flow_graph.h>

#include <ctime>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "etl/core/errors.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "etl/pipeline/work_gate.hpp"
#include "extractors/boligsiden_urls.hpp"
#include "extractors/municipality_discovery.hpp"
#include "extractors/property_parser.hpp"

namespace etl {
namespace {

namespace flow = tbb::flow;

// One property on its way through the graph.
struct WorkItem {
  std::string address_id;
  std::size_t municipality = 0;  // row in RunCounters
  std::string payload;           // search item (details never) or the fetched detail
  std::string source;            // URL the payload came from
  enum class State { Pending, Fetched, Removed, Failed, Cancelled } state = State::Pending;
  std::string failure_stage;
  std::string failure_reason;
  std::optional<PropertyRecord> record;
  GateUnit unit;
};
using ItemPtr = std::shared_ptr<WorkItem>;

struct PageEvent {
  std::size_t municipality = 0;
  std::vector<ItemPtr> items;
};
struct MunicipalityDone {
  std::size_t municipality = 0;
  bool complete = false;  // every ID of the municipality was discovered
};
using DedupEvent = std::shared_ptr<std::variant<PageEvent, MunicipalityDone>>;

constexpr std::size_t kLookupChunk = 1000;

// The etl_failures key of a municipality whose discovery failed (no address ID has a colon).
std::string discovery_failure_id(const Municipality& m) { return "search:" + m.name; }

}  // namespace

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
  using FetchNode = flow::async_node<ItemPtr, ItemPtr>;

  const RunOptions& options;
  Store* store;
  HttpClient& http;
  RunCounters& counters;
  const std::atomic<int>& stop_signal;

  std::mutex store_mutex;  // lookups (dedup) and writes (load) share one connection
  WorkGate gate;
  std::atomic<bool> halt{false};
  std::atomic<bool> fatal{false};
  std::atomic<bool> limit_reached{false};
  std::atomic<bool> discovery_done{false};
  std::mutex result_mutex;
  PipelineResult result;
  const std::size_t retry_row;

  // dedup state (serial node only)
  std::vector<ItemPtr> chunk;
  std::unordered_set<std::string> handled;  // IDs already sent this run (retries of failures)
  std::unordered_set<std::string> pending_discovery;  // "search:<name>" failures of earlier runs
  std::unordered_map<std::size_t, std::unordered_set<std::string>> seen;  // per municipality
  std::int64_t emitted = 0;
  bool last_chunk_had_work = true;
  std::atomic<std::int64_t> in_flight{0};  // emitted to fetch or parse, not yet at the load stage

  // load stage (serial node only, then the final flush); absent without a store (dry run)
  std::optional<BatchLoader> loader;

  tbb::enumerable_thread_specific<PropertyParser> parsers;
  flow::graph graph;
  DedupNode dedup;
  FetchNode fetch;
  flow::function_node<ItemPtr, ItemPtr> parse;
  flow::function_node<ItemPtr, flow::continue_msg> load;

  Impl(const RunOptions& o, Store* s, HttpClient& h, RunCounters& c, const std::atomic<int>& stop)
      : options(o),
        store(s),
        http(h),
        counters(c),
        stop_signal(stop),
        gate(kLookupChunk + 4 * static_cast<std::size_t>(o.workers) + 2 * o.batch_size + 200),
        retry_row(c.municipalities.size() - 1),
        loader(s ? std::optional<BatchLoader>(std::in_place, *s, store_mutex, c, o.batch_size) : std::nullopt),
        dedup(graph, flow::serial, [this](const DedupEvent& e, DedupNode::output_ports_type& out) { on_dedup(e, out); }),
        fetch(graph, flow::unlimited, [this](const ItemPtr& item, FetchNode::gateway_type& gw) { on_fetch(item, gw); }),
        parse(graph, flow::unlimited, [this](const ItemPtr& item) { return on_parse(item); }),
        load(graph, flow::serial, [this](const ItemPtr& item) {
          on_load(item);
          return flow::continue_msg();
        }) {
    flow::make_edge(flow::output_port<0>(dedup), fetch);
    flow::make_edge(flow::output_port<1>(dedup), parse);
    flow::make_edge(fetch, parse);
    flow::make_edge(parse, load);
  }

  bool stopping() const { return halt.load() || stop_signal.load() != 0; }

  void fail_fatally(const std::string& message) {
    {
      std::lock_guard lock(result_mutex);
      if (result.fatal_error.empty()) result.fatal_error = message;
    }
    spdlog::error("{}", message);
    fatal = true;
    halt = true;
  }

  MunicipalityCounters& row(std::size_t i) { return counters.municipalities[i]; }

  // ---- discovery (own thread) ----

  void discover_all() {
    retry_earlier_failures();
    MunicipalityDiscovery discovery(
        http, DiscoveryOptions{.base_url = options.api_url, .address_type = options.address_types, .max_results = options.max_results});
    bool any_page = false;
    for (std::size_t i = 0; i < options.municipalities.size() && !stopping() && !limit_reached; ++i) {
      const Municipality& m = options.municipalities[i];
      MunicipalityCounters& c = row(i);
      try {
        const DiscoveryReport report = discovery.discover(
            m, [&](std::int64_t total) { c.hits = total; },
            [&](std::vector<DiscoveredItem>&& page) {
              if (stopping() || limit_reached) return false;
              any_page = true;
              if (!gate.acquire(page.size())) return false;
              auto event = std::make_shared<std::variant<PageEvent, MunicipalityDone>>(PageEvent{i, {}});
              auto& items = std::get<PageEvent>(*event).items;
              items.reserve(page.size());
              for (DiscoveredItem& d : page) {
                auto item = std::make_shared<WorkItem>();
                item->address_id = std::move(d.address_id);
                item->municipality = i;
                if (options.details == DetailsMode::Never) item->payload = std::move(d.payload);
                item->unit = GateUnit(&gate);
                items.push_back(std::move(item));
              }
              c.discovered += static_cast<std::int64_t>(items.size());
              dedup.try_put(event);
              return !stopping() && !limit_reached;
            });
        c.partitions = report.partitions;
        c.shortfall = report.shortfall;
        c.discovery_complete = report.complete;  // discovery has logged any shortfall
        dedup.try_put(std::make_shared<std::variant<PageEvent, MunicipalityDone>>(
            MunicipalityDone{i, report.complete && !stopping() && !limit_reached}));
      } catch (const ApiError& e) {
        if (!any_page) {
          fail_fatally(std::string("API unreachable: ") + e.what());
          return;
        }
        spdlog::error("{}: discovery failed: {}", m.name, e.what());
        c.failed += 1;
        // Whatever was discovered still goes through dedup (not complete: no removal checks),
        // and the failure is recorded so the run ends with failures (exit 3), never silently.
        dedup.try_put(std::make_shared<std::variant<PageEvent, MunicipalityDone>>(MunicipalityDone{i, false}));
        if (store && !options.dry_run) {
          try {
            std::lock_guard lock(store_mutex);
            store->record_failure(FailureRecord{discovery_failure_id(m), "discover", e.what(), options.api_url},
                                  now_seconds());
          } catch (const EtlError& se) {
            fail_fatally(std::string("database write failed: ") + se.what());
            return;
          }
        }
        continue;
      }
      // A complete discovery settles a discovery failure recorded by an earlier run.
      if (c.discovery_complete && store && !options.dry_run && pending_discovery.contains(discovery_failure_id(m))) {
        try {
          std::lock_guard lock(store_mutex);
          store->mark_removed({discovery_failure_id(m)}, now_seconds());  // resolves its etl_failures row
        } catch (const EtlError& se) {
          fail_fatally(std::string("database write failed: ") + se.what());
          return;
        }
      }
    }
  }

  // Properties that failed in earlier runs go first, straight to the detail fetch.
  void retry_earlier_failures() {
    if (!store) return;
    std::vector<PendingFailure> pending;
    {
      std::lock_guard lock(store_mutex);
      pending = store->pending_failures(1'000'000);
    }
    std::size_t sent = 0;
    for (const PendingFailure& f : pending) {
      if (f.stage == "discover") {  // a municipality's search: redone by this run's discovery
        pending_discovery.insert(f.address_id);
        continue;
      }
      if (stopping() || f.stage == "import" || !options.shard.owns(f.address_id)) continue;
      if (options.limit > 0 && emitted >= options.limit) break;
      if (!gate.acquire(1)) return;
      auto item = std::make_shared<WorkItem>();
      item->address_id = f.address_id;
      item->municipality = retry_row;
      item->unit = GateUnit(&gate);
      handled.insert(f.address_id);
      ++emitted;
      ++sent;
      if (options.dry_run) {
        std::lock_guard lock(result_mutex);
        result.would_fetch.push_back(f.address_id);
        continue;
      }
      in_flight += 1;
      // Straight to the HTTP client's queue (not via a graph task), so these go out first.
      on_fetch(item, fetch.gateway());
    }
    if (sent > 0) spdlog::info("retrying {} properties that failed in earlier runs", sent);
  }

  // ---- dedup (serial) ----

  void on_dedup(const DedupEvent& event, DedupNode::output_ports_type& out) {
    if (auto* page = std::get_if<PageEvent>(event.get())) {
      auto& seen_here = seen[page->municipality];
      for (const ItemPtr& item : page->items) {
        seen_here.insert(item->address_id);
        if (!options.shard.owns(item->address_id) || handled.contains(item->address_id)) continue;
        chunk.push_back(item);
        // With --limit, a chunk that could complete the limit is looked up at once: waiting
        // for 1,000 IDs would only make discovery page on for IDs the run will not take.
        const bool may_complete_limit =
            options.limit > 0 && static_cast<std::int64_t>(chunk.size()) >= options.limit - emitted;
        if (chunk.size() >= kLookupChunk || may_complete_limit) process_chunk(out);
      }
      // Full 1,000-ID chunks keep lookups cheap, but fetchers must not starve while a chunk
      // fills (at the start, or when a municipality is mostly new): then look up what we have.
      if (!chunk.empty() && last_chunk_had_work && in_flight.load() < 2 * static_cast<std::int64_t>(options.workers))
        process_chunk(out);
      return;
    }
    const auto& done = std::get<MunicipalityDone>(*event);
    process_chunk(out);
    if (done.complete && !stopping() && !limit_reached) check_vanished(done.municipality, out);
    seen.erase(done.municipality);
  }

  void process_chunk(DedupNode::output_ports_type& out) {
    if (chunk.empty()) return;
    std::vector<ItemPtr> items;
    items.swap(chunk);
    if (stopping()) return;
    std::unordered_map<std::string, StoredState> stored;
    if (store) {
      std::vector<std::string> ids;
      ids.reserve(items.size());
      for (const ItemPtr& i : items) ids.push_back(i->address_id);
      try {
        std::lock_guard lock(store_mutex);
        auto states = options.dry_run ? store->peek(ids) : store->lookup(ids, now_seconds());
        for (StoredState& s : states) stored.emplace(s.address_id, std::move(s));
      } catch (const EtlError& e) {
        fail_fatally(std::string("database lookup failed: ") + e.what());
        return;
      }
    }
    const UnixTime now = now_seconds();
    last_chunk_had_work = false;
    for (const ItemPtr& item : items) {
      auto it = stored.find(item->address_id);
      if (it != stored.end() && !options.refresh.wants(it->second, now)) {
        row(item->municipality).skipped += 1;
        continue;
      }
      last_chunk_had_work = true;
      emit(item, out);
    }
  }

  // After a complete discovery, stored properties the search no longer returns are checked
  // with a detail request: a 404 marks them removed.
  void check_vanished(std::size_t municipality, DedupNode::output_ports_type& out) {
    if (!store || options.municipalities[municipality].code <= 0) return;
    std::vector<std::string> candidates;
    try {
      std::lock_guard lock(store_mutex);
      // Every stored ID of the municipality; the ones this run saw are excluded below.
      candidates = store->ids_not_seen_since(options.municipalities[municipality].code, now_seconds() + 1);
    } catch (const EtlError& e) {
      fail_fatally(std::string("database lookup failed: ") + e.what());
      return;
    }
    const auto& seen_here = seen[municipality];
    std::size_t vanished = 0;
    for (std::string& id : candidates) {
      if (seen_here.contains(id) || !options.shard.owns(id) || handled.contains(id)) continue;
      ++vanished;
      auto item = std::make_shared<WorkItem>();
      item->address_id = std::move(id);
      item->municipality = municipality;
      emit_to_fetch(item, out);
      if (limit_reached) break;
    }
    if (vanished > 0)
      spdlog::info("{}: {} stored properties no longer in search; checking them", options.municipalities[municipality].name,
                   vanished);
  }

  void emit(const ItemPtr& item, DedupNode::output_ports_type& out) {
    if (options.details == DetailsMode::Never && !item->payload.empty()) {
      if (!take_limit_slot()) return;
      if (record_dry_run(item)) return;
      item->source = "search";
      item->state = WorkItem::State::Fetched;
      in_flight += 1;
      std::get<1>(out).try_put(item);
      return;
    }
    emit_to_fetch(item, out);
  }

  void emit_to_fetch(const ItemPtr& item, DedupNode::output_ports_type& out) {
    if (!take_limit_slot()) return;
    if (record_dry_run(item)) return;
    in_flight += 1;
    std::get<0>(out).try_put(item);
  }

  bool take_limit_slot() {
    if (options.limit > 0 && emitted >= options.limit) {
      limit_reached = true;
      return false;
    }
    ++emitted;
    if (options.limit > 0 && emitted >= options.limit) limit_reached = true;
    return true;
  }

  bool record_dry_run(const ItemPtr& item) {
    if (!options.dry_run) return false;
    std::lock_guard lock(result_mutex);
    result.would_fetch.push_back(item->address_id);
    return true;
  }

  // ---- fetch (async: the HTTP client's loop completes it) ----

  void on_fetch(const ItemPtr& item, FetchNode::gateway_type& gateway) {
    if (stopping()) return;
    item->source = detail_url(options.api_url, item->address_id);
    gateway.reserve_wait();
    http.get(item->source, [item, &gateway, this](HttpResponse r) {
      if (r.status == 200) {
        item->payload = std::move(r.body);
        item->state = WorkItem::State::Fetched;
        row(item->municipality).fetched += 1;
      } else if (r.status == 404) {
        item->state = WorkItem::State::Removed;
      } else if (r.error == "cancelled") {
        item->state = WorkItem::State::Cancelled;
      } else {
        item->state = WorkItem::State::Failed;
        item->failure_stage = "fetch";
        item->failure_reason = r.status ? "HTTP " + std::to_string(r.status) : r.error;
        item->failure_reason += " after " + std::to_string(r.attempts) + " attempt(s)";
      }
      gateway.try_put(item);
      gateway.release_wait();
    }, Priority::Normal);
  }

  // ---- parse (parallel) ----

  ItemPtr on_parse(const ItemPtr& item) {
    if (item->state != WorkItem::State::Fetched) return item;
    try {
      item->record = parsers.local().parse(item->payload);
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

  // ---- load (serial) ----

  void on_load(const ItemPtr& item) {
    in_flight -= 1;
    if (fatal || !loader) return;  // the database is gone; the rerun redoes these
    try {
      switch (item->state) {
        case WorkItem::State::Fetched:
          loader->add(std::move(*item->record), item->municipality);
          break;
        case WorkItem::State::Removed:
          loader->add_removed(item->address_id, item->municipality);
          break;
        case WorkItem::State::Failed:
          loader->add_failure(FailureRecord{item->address_id, item->failure_stage, item->failure_reason, item->source},
                              item->municipality);
          break;
        case WorkItem::State::Cancelled:
        case WorkItem::State::Pending:
          break;
      }
    } catch (const EtlError& e) {
      fail_fatally(std::string("database write failed: ") + e.what());
    }
    item->unit.release();
  }

  void flush() {
    if (fatal || !loader) return;
    try {
      loader->flush();
    } catch (const EtlError& e) {
      fail_fatally(std::string("database write failed: ") + e.what());
    }
  }

  PipelineResult run() {
    // Signals and fatal errors must wake a discovery blocked on the gate and end in-flight requests.
    std::thread watchdog([this] {
      while (!discovery_done) {
        if (stopping()) {
          gate.close();
          http.cancel_all();
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
    graph.reserve_wait();
    std::thread discovery([this] {
      try {
        discover_all();
      } catch (const std::exception& e) {
        fail_fatally(std::string("discovery failed: ") + e.what());
      }
      graph.release_wait();
    });
    // The main thread joins the graph's arena at once: on a one-core machine it is the only
    // thread that runs the graph's tasks, and discovery waits on them.
    graph.wait_for_all();
    discovery.join();
    flush();
    discovery_done = true;
    watchdog.join();
    result.interrupted = stop_signal.load() != 0;
    result.limit_reached = limit_reached;
    return std::move(result);
  }
};

ImportPipeline::ImportPipeline(const RunOptions& options, Store* store, HttpClient& http, RunCounters& counters,
                               const std::atomic<int>& stop)
    : impl_(std::make_unique<Impl>(options, store, http, counters, stop)) {}

ImportPipeline::~ImportPipeline() = default;

PipelineResult ImportPipeline::run() { return impl_->run(); }

}  // namespace etl
