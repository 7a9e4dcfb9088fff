#include "etl/cli/run_record.hpp"

#include <spdlog/spdlog.h>

#include <fstream>

#include "etl/core/errors.hpp"
#include "etl/pipeline/batch_loader.hpp"

namespace etl::cli {

RunRecord::RunRecord(Store* store, const RunInfo& info) : store_(store) {
  if (store_) run_id_ = store_->begin_run(info, now_seconds());
}

int RunRecord::finish(RunSummary summary, const RunOutcomeCode& end, const RunCounters& counters,
                      const RunOptions& options, std::FILE* table_out, const std::string& table_prefix,
                      const std::string& summary_json_path) {
  summary.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  measure_resources(summary);
  summary.status = end.status;
  int exit_code = end.exit_code;
  const std::string json = summary_json(summary, counters, options);
  if (store_ && run_id_) {
    try {
      store_->finish_run(run_id_, RunOutcome{summary.status, json}, now_seconds());
    } catch (const EtlError& e) {
      spdlog::error("could not record the run in etl_runs: {}", e.what());
      if (exit_code == kExitOk || exit_code == kExitWithFailures) exit_code = kExitFatal;
    }
  }
  std::fputs((table_prefix + summary_table(summary, counters, options)).c_str(), table_out);
  if (!summary_json_path.empty()) {
    std::ofstream out(summary_json_path);
    out << json << '\n';
    if (!out) spdlog::error("could not write --summary-json {}", summary_json_path);
  }
  return exit_code;
}

}  // namespace etl::cli
