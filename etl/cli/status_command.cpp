// `etl status [--json]`: what the database holds (properties per municipality, on market,
// removed), the market's changes of the last 24 h by kind, the last runs, pending failures, and the states a monitor alerts on: the last
// run failed, a run still "running" long past its time, failures waiting for a retry (those of
// import-json files are counted apart: no run retries them).
#include <fmt/core.h>

#include <array>
#include <ctime>
#include <limits>
#include <memory>
#include <optional>

#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "etl/core/counted.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/json_writer.hpp"
#include "etl/core/printable_text.hpp"
#include "etl/core/utc_time.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "loaders/store.hpp"

namespace etl::cli {
namespace {

// A run still "running" after this long was killed (or hangs): the nightly and weekly jobs
// of a whole area take minutes to an hour or two at 10 requests/s.
constexpr UnixTime kOverdueAfter = 12 * 3600;
// --json lists the oldest pending failures, not all; the counts are of all of them.
constexpr std::size_t kListedInJson = 1000;

std::string format_time(std::optional<UnixTime> t) { return t ? format_utc_time(*t).value_or("?") : "-"; }

struct Status {
  std::vector<MunicipalityCount> counts;
  std::vector<RunRow> runs;  // newest first
  std::vector<PendingFailure> failures;  // every pending one, oldest first
  // Events of the last 24 h, by kind; nullopt on a schema older than property_events (status
  // reads any schema as it is), with why in changes_unknown.
  std::optional<std::array<std::int64_t, kEventKinds>> changes;
  std::string changes_unknown;
  UnixTime now = 0;

  bool overdue(const RunRow& r) const { return r.status == RunStatus::running && now - r.started_at > kOverdueAfter; }
  // The newest finished run failed or was abandoned (killed; runs still "running" are
  // overdue_runs' concern).
  bool last_run_failed() const {
    for (const RunRow& r : runs) {
      if (r.status != RunStatus::running) return r.status == RunStatus::failed || r.status == RunStatus::abandoned;
    }
    return false;
  }
  std::int64_t overdue_runs() const {
    std::int64_t n = 0;
    for (const RunRow& r : runs) n += overdue(r) ? 1 : 0;
    return n;
  }
  // Those of import-json files, which no run retries: the file has to be imported again.
  std::int64_t import_failures() const {
    std::int64_t n = 0;
    for (const PendingFailure& f : failures) n += f.stage == FailureStage::import ? 1 : 0;
    return n;
  }
  std::int64_t retried_failures() const { return static_cast<std::int64_t>(failures.size()) - import_failures(); }
};

void print_text(const std::string& db, const std::string& dialect, const Status& s) {
  fmt::print("database {} ({})\n\n", redact_db_url(db), dialect);
  fmt::print("{:<20} {:>5} {:>10} {:>10} {:>8}\n", "MUNICIPALITY", "CODE", "PROPERTIES", "ON MARKET", "REMOVED");
  MunicipalityCount total{0, "TOTAL", 0, 0, 0};
  for (const MunicipalityCount& c : s.counts) {
    fmt::print("{:<20} {:>5} {:>10} {:>10} {:>8}\n", printable(c.name), c.code, c.properties, c.on_market, c.removed);
    total.properties += c.properties;
    total.on_market += c.on_market;
    total.removed += c.removed;
  }
  fmt::print("{:<20} {:>5} {:>10} {:>10} {:>8}\n\n", total.name, "", total.properties, total.on_market, total.removed);
  fmt::print("changes in the last 24 h (etl changes):");
  if (!s.changes) fmt::print(" unknown ({})", s.changes_unknown);
  for (std::size_t k = 0; s.changes && k < kEventKinds; ++k)
    fmt::print("{} {} {}", k ? "," : "", kEventKindNames.names[k], (*s.changes)[k]);
  fmt::print("\n\nlast runs:{}\n", s.runs.empty() ? " none yet" : "");
  for (std::size_t i = 0; i < s.runs.size() && i < 5; ++i) {
    const RunRow& r = s.runs[i];
    fmt::print("  #{:<5} {}  {:<24} {}\n", r.id, format_time(r.started_at),
               s.overdue(r) ? "running (overdue: killed?)" : to_string(r.status), printable(r.command));
  }
  fmt::print("\npending failures: {} retried by the next run, {} of import-json files (not retried: import them again)\n",
             s.retried_failures(), s.import_failures());
  for (std::size_t i = 0; i < s.failures.size() && i < 10; ++i)
    fmt::print("  {}  {}  {} (attempts {})\n", printable(s.failures[i].address_id), to_string(s.failures[i].stage),
               printable(s.failures[i].reason),
               s.failures[i].attempts);
  if (s.last_run_failed()) fmt::print("\nwarning: the last run failed\n");
  if (s.overdue_runs() > 0)
    fmt::print("warning: {} still 'running' after {} h: killed, or hanging\n", counted(s.overdue_runs(), "run", "runs"),
               kOverdueAfter / 3600);
}

void print_json(const std::string& db, const std::string& dialect, const Status& s) {
  JsonWriter w;
  w.begin_object().field("database", redact_db_url(db)).field("dialect", dialect);
  w.key("alerts").begin_object();
  w.field("last_run_failed", s.last_run_failed());
  w.field("overdue_runs", s.overdue_runs());
  w.field("pending_failures", s.retried_failures());
  w.end_object();
  w.field("pending_import_failures", s.import_failures());
  w.key("changes_24h");
  if (s.changes) {
    w.begin_object();
    for (std::size_t k = 0; k < kEventKinds; ++k) w.field(kEventKindNames.names[k], (*s.changes)[k]);
    w.end_object();
  } else {
    w.null();
  }
  w.key("municipalities").begin_array();
  for (const MunicipalityCount& c : s.counts) {
    w.begin_object().field("code", c.code).field("name", c.name).field("properties", c.properties);
    w.field("on_market", c.on_market).field("removed", c.removed).end_object();
  }
  w.end_array();
  w.key("runs").begin_array();
  for (const RunRow& r : s.runs) {
    w.begin_object().field("id", r.id).field("started_at", format_time(r.started_at));
    w.key("finished_at");
    if (r.finished_at) {
      w.value(format_time(r.finished_at));
    } else {
      w.null();
    }
    w.field("status", to_string(r.status)).field("overdue", s.overdue(r)).field("command", r.command).end_object();
  }
  w.end_array();
  w.key("pending_failures").begin_array();
  for (std::size_t i = 0; i < s.failures.size() && i < kListedInJson; ++i) {
    const PendingFailure& f = s.failures[i];
    w.begin_object().field("address_id", f.address_id).field("stage", to_string(f.stage)).field("reason", f.reason);
    w.field("attempts", f.attempts).field("last_failed_at", format_time(f.last_failed_at)).end_object();
  }
  w.end_array().end_object();
  fmt::print("{}\n", w.str());
}

int run_status(const std::string& db, bool json) {
  // Looking must not create: a typo'd path is an error, not an empty database.
  require_database(db);
  const auto store = open_read_store(db);
  Status s;
  s.counts = store->property_counts();
  s.runs = store->recent_runs(json ? 20 : 5);
  s.failures = store->pending_failures(std::numeric_limits<std::int64_t>::max());  // all: the alert counts them
  s.now = now_seconds();
  try {
    s.changes = store->event_counts(s.now - 24 * 3600);
  } catch (const StoreError& e) {
    s.changes_unknown = e.what();
  }
  if (json) {
    print_json(db, store->dialect(), s);
  } else {
    print_text(db, store->dialect(), s);
  }
  return kExitOk;
}

}  // namespace

CommandAction add_status_command(CLI::App& app) {
  auto db = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand(
      "status", "What the database holds: properties per municipality, on market, removed, last runs, pending failures");
  add_db_option(*sub, *db);
  sub->add_flag("--json", *json,
                "One JSON object: alerts (last_run_failed, overdue_runs: still 'running' after 12 h, "
                "pending_failures: those a run retries), pending_import_failures (of import-json files, not retried), "
                "changes_24h (events by kind; null before `etl migrate` on an old schema), municipalities, the last 20 "
                "runs, the oldest 1,000 pending failures");
  return [db, json] { return run_status(*db, *json); };
}

}  // namespace etl::cli
