// `etl run`: its flags, the checks before a run starts (the API answers, the database
// opens), the run itself, and its record in etl_runs, the summary and the metrics file.
#include <fmt/core.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>

#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "etl/core/address_types.hpp"
#include "etl/core/counted.hpp"
#include "etl/core/duration.hpp"
#include "etl/cli/logging_setup.hpp"
#include "etl/cli/run_outcome.hpp"
#include "etl/cli/run_record.hpp"
#include "etl/cli/stop_signals.hpp"
#include "etl/core/errors.hpp"
#include "etl/pipeline/import_pipeline.hpp"
#include "etl/pipeline/progress_reporter.hpp"
#include "etl/pipeline/run_summary.hpp"
#include "extractors/boligsiden_urls.hpp"
#include "extractors/curl_multi_client.hpp"
#include "extractors/retry_policy.hpp"
#include "loaders/reconnecting_store.hpp"
#include "loaders/store.hpp"

namespace etl::cli {
namespace {

struct RunFlags {
  std::string area;
  std::vector<std::string> municipalities;
  // Defaults come from the options structs they end up in, so each is stated once.
  int workers = RunOptions{}.workers;
  int batch_size = static_cast<int>(RunOptions{}.batch_size);
  std::int64_t limit = RunOptions{}.limit;
  std::string db;
  std::string api_url = RunOptions{}.api_url;
  std::string address_types = RunOptions{}.address_types;
  std::string timeout = std::to_string(HttpOptions{}.timeout.count() / 1000) + "s";  // whole seconds
  // A nightly that has not ended in 20 hours would overlap the next night's: stop it before.
  std::string max_run_time = "20h";
  int retries = HttpOptions{}.max_retries;
  double max_rps = RunOptions{}.max_rps;
  std::string refresh = RunOptions{}.refresh.to_string();
  std::string details = to_string(RunOptions{}.details);
  bool dry_run = false;
  std::string shard = "1/1";
  std::string config;
  std::string log_level = "info";
  std::string log_file;
  std::string log_format = "text";
  std::string progress = "auto";
  std::string summary_json;
  std::string metrics_file;
  bool insecure = false;
  std::int64_t max_results = RunOptions{}.max_results;
  std::vector<std::string> argv;  // the flags given, --db redacted, for etl_runs
};

// "500ms", "10s", "5m", "1h": one duration syntax for every flag (etl/core/duration.hpp).
std::chrono::milliseconds parse_timeout(const std::string& text) {
  return parse_duration(text, "--timeout", std::chrono::hours(1));
}

std::string redacted_command_line(const std::vector<std::string>& argv) {
  std::string out = "etl run";
  for (const std::string& a : argv) out += " " + a;
  return out;
}

// GET /municipalities, which depends on no municipality of the run: a dead API or a wrong
// --api-url is a fatal error before the run starts, and a municipality's search that fails
// later is only that municipality's failure. Any other answer but the API's list of
// municipalities (a 404, a web page, other JSON) means --api-url points somewhere else.
void check_api_reachable(HttpClient& http, const RunOptions& o) {
  const std::string url = municipalities_url(o.api_url);
  const HttpResponse r = get_blocking(http, url, RequestOptions(Priority::Urgent, 1 << 20, "municipalities"));
  if (r.status == 0 || r.status >= 500)
    throw ApiError("API unreachable: " + (r.status ? "HTTP " + std::to_string(r.status) : r.error) + " after " +
                   counted(r.attempts, "attempt", "attempts") + " (" + url + ")");
  // A 403 or 429 is the API refusing us for now: the run meets it and says so (HttpOptions).
  if (RetryPolicy::retryable_status(r.status)) return;
  if (r.status != 200)
    throw ApiError("not the API: " + url + " answered HTTP " + std::to_string(r.status) + "; is --api-url the API?");
  const auto first = r.body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || r.body[first] != '{')
    throw ApiError("API unreachable: " + url + " answered something that is not JSON; is --api-url the API?");
  simdjson::ondemand::parser parser;
  const simdjson::padded_string body(r.body);
  simdjson::ondemand::document doc;
  simdjson::ondemand::array list;
  if (parser.iterate(body).get(doc) || doc.find_field_unordered("municipalities").get_array().get(list))
    throw ApiError("not the API: " + url + " answered JSON without a 'municipalities' list; is --api-url the API?");
}

// A nightly refresh reads only the listings: into a database that holds none of the run's
// municipalities' properties it would store the listed ones alone, and say nothing of the
// import that was meant to come first. One warning, before discovery.
void warn_if_never_imported(const RunFlags& f, const RunOptions& o, Store* store) {
  if (o.refresh.pages_addresses()) return;
  std::set<std::int64_t> codes;
  for (const Municipality& m : o.municipalities) codes.insert(m.code);
  if (store)
    for (const MunicipalityCount& c : store->property_counts())
      if (codes.contains(c.code) && c.properties > 0) return;
  const bool area = f.municipalities.empty();
  std::string import = "etl run";
  if (area) {
    import += " --area " + f.area;
  } else {
    for (const Municipality& m : o.municipalities) import += " --municipality " + m.name;  // no name has a space
  }
  spdlog::warn("the database holds none of the properties of {}: --refresh {} reads only the listings and stores "
               "only the listed properties; the plain import comes first: `{}` (the same flags, without --refresh)",
               area ? "area " + f.area : "these municipalities", o.refresh.to_string(), import);
}

// The run's options from its flags alone; the municipalities come from the area configuration.
RunOptions run_options(const RunFlags& f) {
  RunOptions o;
  o.area_label = f.municipalities.empty() ? f.area : "municipalities";
  o.api_url = f.api_url;
  while (!o.api_url.empty() && o.api_url.back() == '/') o.api_url.pop_back();
  o.address_types = check_address_types(f.address_types);
  o.workers = f.workers;
  o.max_rps = f.max_rps;
  o.batch_size = static_cast<std::size_t>(f.batch_size);
  o.limit = f.limit;
  o.refresh = RefreshPolicy::parse(f.refresh);
  o.details = f.details == to_string(DetailsMode::Never) ? DetailsMode::Never : DetailsMode::Always;
  o.shard = Shard::parse(f.shard);
  o.dry_run = f.dry_run;
  o.max_results = f.max_results;
  o.command_line = redacted_command_line(f.argv);
  return o;
}

// The run's municipalities: its --municipality names or its --area, checked against `cfg`;
// each once, however often it is named (or spelt), so it is searched and fetched once.
std::vector<Municipality> municipalities(const RunFlags& f, const AreaConfig& cfg) {
  std::vector<const Municipality*> named;
  for (const std::string& name : f.municipalities) named.push_back(&cfg.municipality(name));
  if (f.municipalities.empty()) named = cfg.area(f.area);
  std::vector<Municipality> out;
  std::set<std::int64_t> codes;
  for (const Municipality* m : named)
    if (codes.insert(m->code).second) out.push_back(*m);
  return out;
}

HttpOptions http_options(const RunFlags& f) {
  HttpOptions h;
  h.max_in_flight = f.workers;
  h.timeout = parse_timeout(f.timeout);
  h.max_retries = f.retries;
  h.max_rps = f.max_rps;
  h.insecure = f.insecure;
  return h;
}

RunInfo run_info(const RunFlags& f, const RunOptions& o) {
  return RunInfo{o.command_line, o.area_label, o.refresh.to_string(), f.details, o.shard.to_string()};
}

// What a run holds once it has begun.
struct Started {
  std::unique_ptr<CurlMultiClient> http;
  std::unique_ptr<ReconnectingStore> store;
  std::optional<RunRecord> record;
  bool opening_store = false;  // still true if opening it failed: then it is not tried again
};

// Everything that can fail before the pipeline runs, in order: a bad database path fails
// before any request, and an unreachable API fails before anything is written.
void start(const RunFlags& f, RunOptions& o, Started& s) {
  try {
    setup_logging(f.log_level, f.log_file, f.log_format);
  } catch (const UsageError&) {
    throw;
  } catch (const ConfigError&) {  // a --log-file that cannot be opened: the error is logged without it
    setup_logging(f.log_level, "", f.log_format);
    throw;
  }
  o.municipalities = municipalities(f, load_area_config(f.config));
  check_store_url(f.db);
  s.http = std::make_unique<CurlMultiClient>(http_options(f));
  check_api_reachable(*s.http, o);
  s.opening_store = true;
  // PostgreSQL connections lost mid-run are reopened a bounded number of times (see
  // loaders/reconnecting_store.hpp); then the run stops as interrupted, exit 1.
  // A dry run must not create a database: with no database there is nothing stored yet.
  if (!o.dry_run || database_exists(f.db)) s.store = open_resilient_store(f.db);
  s.opening_store = false;
  spdlog::info("run: area {} ({}), db {}, api {}, workers {}, batch {}, refresh {}, details {}{}{}", o.area_label,
               counted(o.municipalities.size(), "municipality", "municipalities"), redact_db_url(f.db), o.api_url,
               o.workers, o.batch_size,
               o.refresh.to_string(), f.details, o.limit ? fmt::format(", limit {}", o.limit) : "",
               o.shard.is_whole() ? "" : ", shard " + o.shard.to_string());
  warn_if_never_imported(f, o, s.store.get());
  s.record.emplace(o.dry_run ? nullptr : s.store.get(), f.db, run_info(f, o));
}

// A log that could not be written is an error of the run, like any output file.
int check_log_written(const RunFlags& f, int exit_code) {
  if (const std::string error = flush_logs(); !error.empty()) {
    std::fprintf(stderr, "error: could not write --log-file %s: %s\n", f.log_file.c_str(), error.c_str());
    if (exit_code == kExitOk) exit_code = kExitFatal;
  }
  return exit_code;
}

// A run that failed before it began is a failed run to a monitor: the error is logged (to
// --log-file and as JSON too) as the run's last line, --metrics-file and --summary-json say
// failed, and the database, if it exists and opens, gets its `failed` etl_runs row (none is
// created for it). Not a dry run's.
int failed_start(const RunFlags& f, const RunOptions& o, Started& s, const std::string& error) {
  if (!s.store && !s.opening_store && !o.dry_run) {
    try {
      if (database_exists(f.db)) s.store = open_resilient_store(f.db);
    } catch (const std::exception& e) {
      spdlog::debug("the failed run is not recorded in etl_runs: {}", e.what());
    }
  }
  RunSummary summary;
  summary.error = error;
  summary.began = false;
  RunCounters counters;
  init_counters(counters, o);
  std::optional<RunRecord> record;
  try {
    record.emplace(o.dry_run ? nullptr : s.store.get(), f.db, run_info(f, o));
  } catch (const std::exception& e) {  // another run holds the database (its row says so), or no row could begin
    spdlog::debug("the failed run is not recorded in etl_runs: {}", e.what());
    record.emplace(nullptr, f.db, run_info(f, o));
  }
  const int exit_code = record->finish(std::move(summary), RunOutcomeCode{RunStatus::failed, kExitFatal}, counters, o,
                                      RunOutputs{nullptr, "", f.summary_json, f.metrics_file});
  return check_log_written(f, exit_code);
}

// Flags that name nothing (exit 2) are a typing mistake, reported like any bad flag; every
// other error before the run begins is the run's failure.
int run(RunFlags& f) {
  RunOptions o = run_options(f);
  Started s;
  try {
    start(f, o, s);
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    return failed_start(f, o, s, e.what());
  }
  CurlMultiClient& http = *s.http;
  const std::unique_ptr<ReconnectingStore>& store = s.store;

  RunCounters counters;
  init_counters(counters, o);
  const std::atomic<int>& stop = install_stop_signals();
  const StopAfter budget(parse_duration(f.max_run_time, "--max-run-time"));

  ProgressReporter progress(counters, http, parse_progress_mode(f.progress), o.limit);
  progress.start();
  ImportPipeline pipeline(o, store.get(), http, counters, stop);
  PipelineResult result = pipeline.run();
  progress.stop();

  RunSummary summary;
  summary.http = http.stats();
  summary.limit_reached = result.limit_reached;
  summary.error = result.fatal_error;
  if (budget.expired() && summary.error.empty())
    summary.error = "stopped after --max-run-time " + f.max_run_time + " as on SIGTERM; what was parsed is committed";
  const std::int64_t failed = counters.total(&MunicipalityCounters::failed);
  const RunOutcomeCode end = run_outcome(!result.fatal_error.empty(), store && store->lost(), result.interrupted,
                                         stop.load(), failed);
  if (o.dry_run) {
    summary.would_fetch = static_cast<std::int64_t>(result.would_fetch.size());
    for (const std::string& id : result.would_fetch) std::fputs((id + "\n").c_str(), stdout);
  }
  const int exit_code = s.record->finish(std::move(summary), end, counters, o,
                                         RunOutputs{o.dry_run ? stderr : stdout, "", f.summary_json, f.metrics_file});
  return check_log_written(f, exit_code);
}

}  // namespace

// One statement per flag, in the order --help lists them: long, and flat on purpose.
CommandAction add_run_command(CLI::App& app) {
  auto f = std::make_shared<RunFlags>();
  CLI::App* sub = app.add_subcommand(
      "run",
      "Import an area: read its listings and discover its property IDs, fetch and load what is new or changed.\n"
      "Incremental: a stored property is fetched again when its search item or its listings changed (or --refresh\n"
      "wants it); failures of earlier runs are retried. Nightly: --refresh on-market (listings only); weekly: plain.");
  auto* area = sub->add_option("--area", f->area, "Area from municipalities.yaml (see `etl areas`), e.g. copenhagen");
  auto* muni = sub->add_option("--municipality", f->municipalities,
                               "A municipality by name, e.g. København (repeatable; instead of --area)");
  area->excludes(muni);
  sub->add_option("--workers", f->workers, "HTTP requests in flight")->capture_default_str()->check(whole_number_in(1, 1024));
  sub->add_option("--batch-size", f->batch_size, "Rows per database commit")->capture_default_str()->check(whole_number_in(1, 100000));
  sub->add_option("--limit", f->limit, "Stop after fetching and loading this many properties (0 = no limit)")
      ->capture_default_str()
      ->check(validator_from(
          [](const std::string& v) {
            if (parse_whole_number(v) < 0) throw ConfigError("must be 0 (no limit) or more");
          },
          "N"));
  add_db_option(*sub, f->db);
  sub->add_option("--api-url", f->api_url, "Base URL of the Boligsiden API")->capture_default_str()->envname("ETL_API_URL");
  sub->add_option("--address-types", f->address_types,
                  "Address types to discover, comma-separated (villa, condo, terraced house, holiday house, farm, "
                  "hobby farm, full year plot, holiday plot, villa apartment, cooperative, houseboat), or all")
      ->capture_default_str();
  sub->add_option("--timeout", f->timeout, "Per-request timeout: 500ms, 10s, 1m (at most 1h)")
      ->capture_default_str()
      ->check(validator_from([](const std::string& v) { parse_timeout(v); }, "DURATION"));
  sub->add_option("--max-run-time", f->max_run_time,
                  "Wall-clock budget of the run: past it, the run stops as on SIGTERM (commits what is parsed, "
                  "records 'interrupted' and why, exits 143)")
      ->capture_default_str()
      ->check(validator_from([](const std::string& v) { parse_duration(v, "--max-run-time"); }, "DURATION"));
  sub->add_option("--retries", f->retries, "Retries per request on timeouts, 429 and 5xx")
      ->capture_default_str()
      ->check(whole_number_in(0, 20));
  sub->add_option("--max-rps", f->max_rps, "Requests per second across all workers (0 = unlimited; halves on 429 and 403)")
      ->capture_default_str()
      ->check(validator_from(
          [](const std::string& v) {
            // Below one request per 10 s a run never gets anywhere: a typo, not a politeness.
            const double rps = parse_number(v);
            if (!(rps == 0 || (rps >= 0.1 && rps <= 1e6)))
              throw ConfigError("must be 0 (unlimited) or from 0.1 (a request every 10 s) to 1000000");
          },
          "RPS"));
  sub->add_option("--refresh", f->refresh, "none; on-market: the nightly refresh, only the listings (/search/cases) and the properties whose "
                  "listings changed, no address search; stale:DURATION (e.g. stale:7d) or all: also re-fetch stored "
                  "properties by age, or all")
      ->capture_default_str()
      ->check(validator_from([](const std::string& v) { RefreshPolicy::parse(v); }, "POLICY"));
  sub->add_option("--details", f->details,
                  "always: one detail request per property; never: load the search items (50 per request), fetching "
                  "only listed properties (search items carry no listing)")
      ->capture_default_str()
      ->check(one_of({"always", "never"}));
  sub->add_flag("--dry-run", f->dry_run, "Discover and skip as usual, print the IDs a run would fetch, write nothing");
  sub->add_option("--shard", f->shard, "Take the K-th of N disjoint parts of the area, e.g. 1/2 (for N machines, one database)")
      ->capture_default_str()
      ->check(validator_from([](const std::string& v) { Shard::parse(v); }, "K/N"));
  sub->add_option("--config", f->config, "Area configuration (default: $ETL_CONFIG, ./municipalities.yaml, or the built-in one)");
  sub->add_option("--log-level", f->log_level, "trace, debug, info, warn, error or off")->capture_default_str();
  auto* quiet = sub->add_flag_callback("-q,--quiet", [f] { f->log_level = "warn"; }, "Only warnings and errors (--log-level warn)");
  auto* verbose = sub->add_flag_callback("-v,--verbose", [f] { f->log_level = "debug"; },
                         "Debug: also one line per HTTP request (URL, status, ms) (--log-level debug)");
  quiet->excludes(verbose);  // which one wins would be a guess
  sub->add_option("--log-file", f->log_file,
                  "Also write the log to this file (appended); if it cannot be written the run exits 1, or 3 if it "
                  "had failures anyway, though what it loaded stays")
      ->check(output_file());
  sub->add_option("--log-format", f->log_format,
                  "text, or json: one JSON object a line (time, level, message, fields) on stderr and in --log-file")
      ->capture_default_str()
      ->check(one_of({"text", "json"}));
  sub->add_option("--progress", f->progress, "auto (tty when stderr is a terminal), tty (one line redrawn in place, cut to the terminal's width), "
                  "plain (the same facts as a log line every 5 s) or none")
      ->capture_default_str()
      ->check(one_of({"auto", "tty", "plain", "none"}));
  sub->add_option("--summary-json", f->summary_json,
                  "Write the run summary as JSON to this file (- for standard output; the table then goes to "
                  "standard error). If it cannot be written the run exits 1, though what it loaded stays")
      ->check(output_file());
  sub->add_option("--metrics-file", f->metrics_file,
                  "At the end, write the run's metrics to this Prometheus textfile-collector file (atomically: a new "
                  "temporary file beside it, renamed); unwritable: exit 1")
      ->check(output_file());
  sub->add_flag("--insecure", f->insecure, "Do not verify TLS certificates (never needed for the real API)");
  sub->add_option("--max-results", f->max_results,
                  "The API's cap on one query's results, page x per_page (change only for a stand-in API)")
      ->capture_default_str()
      ->check(whole_number_in(50, 10'000'000));
  sub->footer(
      "Exit codes: 0 all loaded; 3 finished with recorded failures; 1 fatal (config, database, API unreachable);\n"
      "2 usage; 130/143 interrupted by SIGINT/SIGTERM (what was parsed is committed).\n"
      "A PostgreSQL connection lost mid-run is reopened up to 3 times (backoff 0.5, 1, 2 s); then the run stops\n"
      "as interrupted (etl_runs status 'interrupted' if it can still be written), exit 1; rerun to resume.");
  // Checked while parsing, so a missing area is a usage error (exit 2).
  sub->callback([f, sub] {
    if (f->area.empty() && f->municipalities.empty()) throw CLI::RequiredError("--area or --municipality");
    for (const CLI::Option* opt : sub->get_options()) {
      if (opt->count() == 0 || opt->get_name() == "--help") continue;
      if (opt->get_expected_min() == 0) {
        f->argv.push_back(opt->get_name());
        continue;
      }
      for (const std::string& v : opt->results()) {
        f->argv.push_back(opt->get_name());
        f->argv.push_back(opt->get_name() == "--db" ? redact_db_url(v) : redact_secrets(v));  // --api-url's user:***@
      }
    }
  });
  return [f] { return run(*f); };
}

}  // namespace etl::cli
