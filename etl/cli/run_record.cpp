#include "etl/cli/run_record.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/chrono.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>

#include "etl/cli/logging_setup.hpp"
#include "etl/core/errors.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "etl/pipeline/run_metrics.hpp"

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

// Written beside the target and renamed over it, so a collector never reads half a file. The
// temporary file is new (mkstemp, O_EXCL): a planted M.tmp symlink is never followed.
bool write_metrics_file(const std::string& path, const std::string& text) {
  std::string tmp = path + ".XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) {
    spdlog::error("could not write --metrics-file {}: {}", path, std::strerror(errno));
    return false;
  }
  // mkstemp makes it 0600; a textfile collector running as another user must read it.
  bool ok = fchmod(fd, 0644) == 0;
  for (std::size_t done = 0; ok && done < text.size();) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    ok = n > 0 || (n < 0 && errno == EINTR);
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  const int error = errno;
  if (close(fd) != 0 && ok) ok = false;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    spdlog::error("could not write --metrics-file {}: {}", path, std::strerror(ok ? errno : error));
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

// When the last run that completed (with or without failures) finished, from etl_runs.
std::optional<UnixTime> last_success(ReportReads* runs) {
  if (!runs) return std::nullopt;
  try {
    for (const RunRow& r : runs->recent_runs(1000)) {
      if ((r.status == RunStatus::completed || r.status == RunStatus::completed_with_failures) && r.finished_at) return r.finished_at;
    }
  } catch (const EtlError& e) {
    spdlog::warn("could not read the last successful run: {}", e.what());
  }
  return std::nullopt;
}

// "another run holds the database (pid P): run #N, started T: COMMAND", naming the newest
// run still `running` if its row is there yet (with shards, the pid is the one to trust).
std::string holder_message(ReportReads& runs, const std::string& shard, const RunLockedError& e) {
  std::string message = e.what();
  for (const RunRow& r : runs.recent_runs(100)) {
    if (r.status != RunStatus::running) continue;
    message += fmt::format(": run #{}, started {}: {}", r.id, fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(static_cast<std::time_t>(r.started_at))), r.command);
    break;
  }
  return message + " (one run per database" + (shard == "1/1" ? "" : " and shard") + "; wait for it, or stop it)";
}

}  // namespace

RunRecord::RunRecord(Roles store, const std::string& db_url, const RunInfo& info) : store_(store) {
  if (!store_.log) return;
  try {
    lock_ = take_run_lock(db_url, info.shard);
  } catch (const RunLockedError& e) {
    throw RunLockedError(holder_message(*store_.reads, info.shard, e), e.holder_pid());
  }
  run_id_ = store_.log->begin_run(info, now_seconds());
  store_.log->set_run_id(run_id_);
}

int RunRecord::finish(RunSummary summary, const RunOutcomeCode& end, const RunCounters& counters,
                      const RunOptions& options, RunOutputs outputs) {
  summary.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  measure_resources(summary);
  summary.status = end.status;
  // An error may quote a URL (an unreachable --api-url): no password reaches a file or etl_runs.
  summary.error = redact_secrets(summary.error);
  int exit_code = end.exit_code;
  const std::string json = summary_json(summary, counters, options);
  if (store_.log && run_id_) {
    try {
      store_.log->finish_run(run_id_, RunOutcome{summary.status, json}, now_seconds());
    } catch (const EtlError& e) {
      spdlog::error("could not record the run in etl_runs: {}", e.what());
      if (exit_code == kExitOk || exit_code == kExitWithFailures) exit_code = kExitFatal;
    }
  }
  // With --summary-json - the JSON alone is on standard output, so scripts can read it.
  if (outputs.summary_json == "-" && outputs.table) outputs.table = stderr;
  if (outputs.table) std::fputs((outputs.table_prefix + summary_table(summary, counters, options)).c_str(), outputs.table);
  // The run itself is recorded; a file its caller asked for that is not there is an error.
  if (!outputs.summary_json.empty() && !write_summary_json(outputs.summary_json, json) && exit_code == kExitOk)
    exit_code = kExitFatal;
  if (!outputs.metrics_file.empty()) {
    const std::string text = run_metrics(summary, counters, options, now_seconds(), last_success(store_.reads));
    if (!write_metrics_file(outputs.metrics_file, text) && exit_code == kExitOk) exit_code = kExitFatal;
  }
  log_outcome(summary, counters, options, json, exit_code);
  return exit_code;
}

// The last line of the log says how the run ended, so a cron or systemd log that holds
// nothing else (the table goes to standard output) says it too.
void RunRecord::log_outcome(const RunSummary& summary, const RunCounters& counters, const RunOptions& options,
                            const std::string& json, int exit_code) const {
  const std::string run = options.dry_run ? "dry run" : run_id_ ? fmt::format("run {}", run_id_) : "run";
  const std::string how = summary.began ? fmt::format("in {:.1f} s: {}{}", summary.elapsed_s,
                                                      summary.error.empty() ? "" : summary.error + "; ",
                                                      summary_line(summary, counters))
                                        : "before it began: " + summary.error;
  const std::string message = fmt::format("{} {} {}; exit {}", run, to_string(summary.status), how, exit_code);
  const std::string fields = fmt::format(R"("run_id":{},"exit_code":{},"summary":{})",
                                         run_id_ ? std::to_string(run_id_) : "null", exit_code, json);
  const auto level = summary.status == RunStatus::completed ? spdlog::level::info
                     : summary.status == RunStatus::failed  ? spdlog::level::err
                                                            : spdlog::level::warn;
  log_event(level, message, fields);
}

}  // namespace etl::cli
