// Live progress of a run: discovered/expected, skipped, fetched, loaded, failed, retries,
// current rate (last 10 s), overall rate and ETA. On a TTY one line is redrawn in place at
// most 4 times a second; otherwise a log line every 5 seconds.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "etl/pipeline/run_counters.hpp"
#include "extractors/http_client.hpp"

namespace etl {

enum class ProgressMode { Auto, Tty, Plain, None };

// "auto", "tty", "plain" or "none"; throws ConfigError.
ProgressMode parse_progress_mode(const std::string& text);

class ProgressReporter {
 public:
  ProgressReporter(const RunCounters& counters, const HttpClient& http, ProgressMode mode, std::int64_t limit);
  ~ProgressReporter();  // stops the thread
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  void start();
  void stop();

  // One progress line for the counters now; exposed for tests.
  std::string line(double elapsed_s, double current_rate) const;

 private:
  void loop();

  const RunCounters& counters_;
  const HttpClient& http_;
  ProgressMode mode_;
  std::int64_t limit_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace etl
