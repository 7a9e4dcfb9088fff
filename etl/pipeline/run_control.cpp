#include "etl/pipeline/run_control.hpp"

#include <spdlog/spdlog.h>

#include "etl/core/errors.hpp"

namespace etl {

void RunControl::fail_fatally(const std::string& message) {
  {
    std::lock_guard lock(result_mutex_);
    if (result_.fatal_error.empty()) result_.fatal_error = message;
  }
  spdlog::error("{}", message);
  fatal_ = true;
  halt_ = true;
}

bool RunControl::admit(const std::string& id) {
  if (limit_ > 0) {
    if (emitted_.load() >= limit_) {
      limit_reached_ = true;
      return false;
    }
    if (++emitted_ >= limit_) limit_reached_ = true;
  } else {
    ++emitted_;
  }
  if (dry_run_) {
    std::lock_guard lock(result_mutex_);
    result_.would_fetch.push_back(id);
    return false;
  }
  in_flight_ += 1;
  return true;
}

PipelineResult RunControl::take_result() {
  std::lock_guard lock(result_mutex_);
  PipelineResult r = std::move(result_);
  r.interrupted = signalled();
  r.limit_reached = limit_reached();
  return r;
}

bool RunControl::store_call(const char* what, const std::function<void()>& call) {
  try {
    call();
  } catch (const EtlError& e) {
    fail_fatally(std::string(what) + " failed: " + e.what());
    return false;
  }
  return true;
}

}  // namespace etl
