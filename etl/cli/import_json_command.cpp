// `etl import-json [--db URL] PATH...`: loads saved API payloads (files, folders, -) and
// records the import as a run.
#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "etl/cli/logging_setup.hpp"
#include "etl/cli/run_outcome.hpp"
#include "etl/cli/run_record.hpp"
#include "etl/cli/stop_signals.hpp"
#include "etl/core/counted.hpp"
#include "etl/core/errors.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "etl/pipeline/json_file_import.hpp"
#include "etl/pipeline/run_summary.hpp"

namespace etl::cli {
namespace {

struct ImportFlags {
  std::vector<std::string> paths;
  std::string db;
  int batch_size = static_cast<int>(RunOptions{}.batch_size);
  spdlog::level::level_enum log_level = spdlog::level::info;
  std::string summary_json;
  std::string metrics_file;
};

int run_import(const ImportFlags& f) {
  setup_logging(f.log_level, "");
  const auto store = open_store(f.db);
  RunOptions o;
  o.area_label = "import-json";
  o.batch_size = static_cast<std::size_t>(f.batch_size);
  RunCounters counters;
  counters.municipalities.emplace_back().name = "(files)";
  const std::atomic<int>& stop = install_stop_signals();

  std::string command = "etl import-json --db " + redact_db_url(f.db);
  for (const auto& p : f.paths) command += " " + p;
  RunRecord record(store.get(), f.db, RunInfo{command, "import-json", "none", "files"});
  const JsonImportResult r = import_json_paths(f.paths, *store, counters, o.batch_size, stop);

  RunSummary summary;
  summary.error = r.fatal_error;
  summary.searched = false;
  const RunOutcomeCode end = run_outcome(!r.fatal_error.empty(), false, r.interrupted, stop.load(),
                                         counters.total(&MunicipalityCounters::failed));
  return record.finish(std::move(summary), end, counters, o,
                       RunOutputs{stdout, counted(r.files, "file", "files") + "\n", f.summary_json, f.metrics_file});
}

}  // namespace

CommandAction add_import_json_command(CLI::App& app) {
  auto f = std::make_shared<ImportFlags>();
  CLI::App* sub = app.add_subcommand(
      "import-json",
      "Load saved API payloads (an address object, an array of them, or a search page {\"addresses\": [...]})");
  sub->add_option("paths", f->paths, "Files or directories (read recursively for *.json); - reads standard input")
      ->required();
  add_db_option(*sub, f->db);
  sub->add_option("--batch-size", f->batch_size, "Rows per database commit")->capture_default_str()->check(whole_number_in(1, 100000));
  add_log_level_options(*sub, f->log_level);
  sub->add_option("--metrics-file", f->metrics_file, "Write the import's metrics to this Prometheus textfile")
      ->check(output_file());
  sub->add_option("--summary-json", f->summary_json,
                  "Write the summary as JSON to this file (- for standard output); if it cannot be written, exit 1")
      ->check(output_file());
  return [f] { return run_import(*f); };
}

}  // namespace etl::cli
