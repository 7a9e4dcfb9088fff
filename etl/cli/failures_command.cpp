// `etl failures [list|clear] [--stage S] [--json] [--older-than 30d]`: the pending failures the
// next run retries (those of import-json files are shown but never retried by a run, which has
// no file), and clearing them so no run retries them.
#include <fmt/core.h>

#include <chrono>
#include <ctime>
#include <memory>

#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "etl/core/counted.hpp"
#include "etl/core/duration.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/json_writer.hpp"
#include "etl/core/printable_text.hpp"
#include "loaders/store.hpp"

namespace etl::cli {
namespace {

struct FailuresFlags {
  std::string db;
  std::optional<FailureStage> stage;  // none: every stage
  bool json = false;
  std::string older_than;  // clear: only failures whose last attempt is older; empty: any
};

// " of stage fetch" when --stage chose one, for the closing count.
std::string of_stage(const FailuresFlags& f) { return f.stage ? " of stage " + std::string(to_string(*f.stage)) : ""; }

int clear_failures(const FailuresFlags& f) {
  FailureFilter filter{f.stage, std::nullopt};
  const UnixTime now = static_cast<UnixTime>(std::time(nullptr));
  if (!f.older_than.empty())
    filter.failed_before = now - std::chrono::duration_cast<std::chrono::seconds>(
                                     parse_duration(f.older_than, "--older-than")).count();
  require_database(f.db);
  const std::int64_t n = open_store(f.db)->resolve_failures(filter, now);
  fmt::print("cleared {}{}{}: no run retries them\n", counted(n, "pending failure", "pending failures"),
             of_stage(f), f.older_than.empty() ? "" : " last failed over " + f.older_than + " ago");
  return kExitOk;
}

// What the next `etl run` does with a failure of this stage.
const char* next_step(FailureStage stage) {
  switch (stage) {
    case FailureStage::import:
      return "not retried: import the file again";
    case FailureStage::discover:
      return "redone by the next run's search";
    case FailureStage::fetch:
    case FailureStage::parse:
    case FailureStage::load:
      return "retried by the next run";
  }
  return "retried by the next run";  // not reached: the switch names every stage
}

int list_failures(const FailuresFlags& f) {
  require_database(f.db);
  const auto store = open_read_store(f.db);
  std::vector<PendingFailure> failures;
  for (PendingFailure& p : store->pending_failures(1'000'000))
    if (!f.stage || p.stage == *f.stage) failures.push_back(std::move(p));
  if (f.json) {
    JsonWriter w;
    w.begin_array();
    for (const PendingFailure& p : failures) {
      w.begin_object().field("id", p.address_id).field("stage", to_string(p.stage)).field("reason", p.reason);
      w.field("attempts", p.attempts).field("last_failed_at", p.last_failed_at).field("next", next_step(p.stage));
      w.end_object();
    }
    w.end_array();
    fmt::print("{}\n", w.str());
    return kExitOk;
  }
  fmt::print("{:<40} {:<9} {:>8}  {}\n", "ID", "STAGE", "ATTEMPTS", "REASON");
  for (const PendingFailure& p : failures) {
    const std::string reason = p.reason.size() > 100 ? p.reason.substr(0, 97) + "..." : p.reason;
    fmt::print("{:<40} {:<9} {:>8}  {} ({})\n", printable(p.address_id), to_string(p.stage), p.attempts, printable(reason), next_step(p.stage));
  }
  fmt::print("{}{}\n", counted(failures.size(), "pending failure", "pending failures"), of_stage(f));
  return kExitOk;
}

}  // namespace

CommandAction add_failures_command(CLI::App& app) {
  auto f = std::make_shared<FailuresFlags>();
  CLI::App* sub = app.add_subcommand(
      "failures", "The pending failures (fetch, parse, load, discover, import) and what the next run does with each");
  add_db_option(*sub, f->db);
  add_enum_option(*sub, "--stage", f->stage, kFailureStageNames, "Only this stage: fetch, parse, load, discover or import");
  sub->add_flag("--json", f->json, "A JSON array: id, stage, reason, attempts, last_failed_at (Unix time), next");
  sub->add_subcommand("list", "List them (the default)")->fallthrough();
  CLI::App* clear = sub->add_subcommand("clear", "Mark them resolved without a retry: no run retries them again")->fallthrough();
  clear->add_option("--older-than", f->older_than, "Only failures whose last attempt is older than this (e.g. 30d, 12h)")
      ->check(validator_from([](const std::string& v) { parse_duration(v, "--older-than"); }, "DURATION"));
  return [f, clear] { return clear->parsed() ? clear_failures(*f) : list_failures(*f); };
}

}  // namespace etl::cli
