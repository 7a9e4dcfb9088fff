#include "etl/cli/run_record.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "etl/core/errors.hpp"
#include "etl/pipeline/batch_loader.hpp"

namespace etl::cli {
namespace {

// "-" is standard output. False (and logged) when the file cannot be written in full.
bool write_summary_json(const std::string& path, const std::string& json) {
  if (path == "-") {
    std::fputs((json + "\n").c_str(), stdout);
    return std::fflush(stdout) == 0;
  }
  std::ofstream out(path);
  out << json << '\n';
  out.flush();
  if (out) return true;
  spdlog::error("could not write --summary-json {}: {}", path, std::strerror(errno));
  return false;
}

}  // namespace

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
  // With --summary-json - the JSON alone is on standard output, so scripts can read it.
  if (summary_json_path == "-") table_out = stderr;
  std::fputs((table_prefix + summary_table(summary, counters, options)).c_str(), table_out);
  if (!summary_json_path.empty() && !write_summary_json(summary_json_path, json)) {
    // The run itself is recorded; what its caller asked for is not there.
    if (exit_code == kExitOk) exit_code = kExitFatal;
  }
  return exit_code;
}

}  // namespace etl::cli
