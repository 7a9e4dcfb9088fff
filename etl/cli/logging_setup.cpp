#include "etl/cli/logging_setup.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <memory>
#include <mutex>
#include <vector>

#include "etl/core/errors.hpp"
#include "etl/core/json_writer.hpp"
#include "etl/core/printable_text.hpp"
#include "etl/pipeline/terminal_line.hpp"
#include "loaders/store.hpp"

namespace etl::cli {
namespace {

// The fields of the event this thread is logging (log_event): spdlog formats on the thread
// that logs, so the formatter finds them here.
thread_local const std::string* event_fields = nullptr;

// {"time":"2026-12-02T01:30:00.123Z","level":"info","message":"...","fields":{"logger":"etl","thread":N,...}}
class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
    const std::time_t t = static_cast<std::time_t>(seconds.count());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[40];
    const std::size_t n = std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(when + n, sizeof when - n, ".%03dZ", static_cast<int>(millis));
    const auto level = spdlog::level::to_string_view(msg.level);
    fmt::format_to(std::back_inserter(dest), R"({{"time":"{}","level":"{}","message":{},"fields":{{"logger":{},"thread":{})",
                   when, std::string_view(level.data(), level.size()),
                   json_quote(std::string_view(msg.payload.data(), msg.payload.size())),
                   json_quote(std::string_view(msg.logger_name.data(), msg.logger_name.size())), msg.thread_id);
    if (event_fields && !event_fields->empty()) fmt::format_to(std::back_inserter(dest), ",{}", *event_fields);
    const std::string_view end = "}}\n";
    dest.append(end.data(), end.data() + end.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonLineFormatter>(); }
};

// Every line with its credentials scrubbed, whoever logged it: an --api-url's user:password@
// (in each -v request line, the `run:` line, an unreachable API's error) and a database
// URL's password are logged as etl_runs stores them, user:***@. The API's text in a line
// (a name, a parse error) has its control characters escaped: one line, no terminal codes.
class RedactingFormatter final : public spdlog::formatter {
 public:
  explicit RedactingFormatter(std::unique_ptr<spdlog::formatter> inner) : inner_(std::move(inner)) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string clean = redact_secrets(printable(std::string_view(msg.payload.data(), msg.payload.size())));
    spdlog::details::log_msg redacted = msg;
    redacted.payload = spdlog::string_view_t(clean.data(), clean.size());
    inner_->format(redacted, dest);
    msg.color_range_start = redacted.color_range_start;  // the colour sink reads them from msg
    msg.color_range_end = redacted.color_range_end;
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<RedactingFormatter>(inner_->clone());
  }

 private:
  std::unique_ptr<spdlog::formatter> inner_;
};

// spdlog reports a sink that cannot write to this handler, from whichever thread logged.
std::mutex log_error_mutex;
std::string log_error;

}  // namespace

spdlog::level::level_enum parse_log_level(const std::string& name) {
  const auto level = spdlog::level::from_str(name);  // off for a name it does not know
  if (level == spdlog::level::off && name != "off")
    throw ConfigError("--log-level: invalid value '" + name + "' (expected trace, debug, info, warn, error or off)");
  return level;
}

void setup_logging(spdlog::level::level_enum level, const std::string& log_file, LogFormat format) {
  // Above the progress line, which would otherwise be left broken behind each message.
  // NO_COLOR set and not empty: no colour codes even on a terminal (https://no-color.org;
  // spdlog's own terminal check does not look at it).
  const char* no_color = std::getenv("NO_COLOR");
  const auto colors = no_color && *no_color ? spdlog::color_mode::never : spdlog::color_mode::automatic;
  std::vector<spdlog::sink_ptr> sinks{above_terminal_line(std::make_shared<spdlog::sinks::stderr_color_sink_mt>(colors))};
  if (!log_file.empty()) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file));
    } catch (const spdlog::spdlog_ex& e) {
      throw ConfigError("--log-file: cannot open '" + log_file + "': " + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("etl", sinks.begin(), sinks.end());
  std::unique_ptr<spdlog::formatter> formatter;
  switch (format) {
    case LogFormat::json:
      formatter = std::make_unique<JsonLineFormatter>();
      break;
    case LogFormat::text:
      // UTC with a Z, as the JSON lines, etl_runs, `etl status` and `etl changes` give times.
      formatter = std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v",
                                                              spdlog::pattern_time_type::utc);
      break;
  }
  logger->set_formatter(std::make_unique<RedactingFormatter>(std::move(formatter)));
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  logger->set_error_handler([](const std::string& message) {
    std::lock_guard lock(log_error_mutex);
    if (log_error.empty()) log_error = message;
  });
  spdlog::set_default_logger(logger);
}

void log_event(spdlog::level::level_enum level, const std::string& message, const std::string& fields) {
  const std::string clean = redact_secrets(fields);
  event_fields = &clean;
  spdlog::log(level, "{}", message);
  event_fields = nullptr;
}

std::string flush_logs() {
  spdlog::default_logger()->flush();
  std::lock_guard lock(log_error_mutex);
  return log_error;
}

}  // namespace etl::cli
