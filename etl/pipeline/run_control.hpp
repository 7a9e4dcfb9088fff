// The run's shared stop logic: a signal, a fatal error, the --limit, and the --dry-run list,
// and what follows from the last two: which properties are admitted and how many are in
// flight. Every stage asks it whether to go on; it is the one place those decisions are made.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "etl/pipeline/import_pipeline.hpp"

namespace etl {

class RunControl {
 public:
  // `stop` is set from a signal handler; `limit` 0 means none.
  RunControl(const std::atomic<int>& stop, std::int64_t limit, bool dry_run)
      : stop_signal_(stop), limit_(limit), dry_run_(dry_run) {}

  bool stopping() const { return halt_.load() || stop_signal_.load() != 0; }
  bool signalled() const { return stop_signal_.load() != 0; }
  bool fatal() const { return fatal_.load(); }
  // Logs the error, keeps the first one for the result and stops the run.
  void fail_fatally(const std::string& message);
  // The API refuses us (HttpResponse::refused, ApiRefusedError): going on would only prolong
  // the refusal, so the run stops as failed (exit 1), whichever request saw it.
  void fail_refused(const std::string& why) { fail_fatally(why + "; stopping. Try again later, or with a lower --max-rps"); }

  // The one admission of a property into the pipeline: takes one of the --limit slots (taking
  // the last one, or finding none, sets limit_reached()), and with --dry-run records `id` as
  // one the run would fetch instead of sending it. True when the caller is to send it on: it
  // is then in flight until settle().
  bool admit(const std::string& id);
  // An admitted item reached the load stage.
  void settle() { in_flight_ -= 1; }
  // Items admitted that have not reached the load stage yet.
  std::int64_t in_flight() const { return in_flight_.load(); }

  bool limit_used_up() const { return limit_ > 0 && emitted_.load() >= limit_; }
  bool limit_reached() const { return limit_reached_.load(); }
  // True if the limit could be completed by `candidates` more items (look them up now).
  bool limit_within(std::int64_t candidates) const { return limit_ > 0 && candidates >= limit_ - emitted_.load(); }

  // Runs calls of the store; a database error fails the run ("<what> failed: ...") and returns false.
  bool store_call(const char* what, const std::function<void()>& call);

  PipelineResult take_result();

 private:
  const std::atomic<int>& stop_signal_;
  const std::int64_t limit_;
  const bool dry_run_;
  std::atomic<bool> halt_{false};
  std::atomic<bool> fatal_{false};
  std::atomic<bool> limit_reached_{false};
  std::atomic<std::int64_t> emitted_{0};
  std::atomic<std::int64_t> in_flight_{0};
  std::mutex result_mutex_;
  PipelineResult result_;
};

}  // namespace etl
