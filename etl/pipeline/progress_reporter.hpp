// Live progress of a run (the facts: run_progress.hpp; the text: progress_line.hpp). On a
// TTY one line is redrawn in place 4 times a second, to the terminal's width, at once when
// the width changes; otherwise (plain) the same facts as a log line every 5 seconds.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

#include "etl/core/enum_names.hpp"
#include "etl/pipeline/run_counters.hpp"
#include "extractors/http_client.hpp"

namespace etl {

enum class ProgressMode { Auto, Tty, Plain, None };  // --progress
inline constexpr EnumNames<ProgressMode, 4> kProgressModeNames{{"auto", "tty", "plain", "none"}};

class ProgressReporter {
 public:
  ProgressReporter(const RunCounters& counters, const HttpClient& http, ProgressMode mode, std::int64_t limit);
  ~ProgressReporter();  // stops the thread
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  void start();
  // Stops; on a TTY the line is erased (the summary follows with the same facts).
  void stop();

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
