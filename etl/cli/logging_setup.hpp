// spdlog set up for a command: one line per event on stderr and, when asked, in a file, as
// text or as JSON lines for log shippers; times in UTC with a Z.
#pragma once

#include <spdlog/common.h>

#include <string>

#include "etl/core/enum_names.hpp"

namespace etl::cli {

// --log-format: text, or json (one object a line: time, level, message, fields).
enum class LogFormat { text, json };
inline constexpr EnumNames<LogFormat, 2> kLogFormatNames{{"text", "json"}};

// --log-level: trace, debug, info, warn, error or off (spdlog's names, so warning, err and
// critical too). Throws ConfigError "--log-level: invalid value ...".
spdlog::level::level_enum parse_log_level(const std::string& name);

// spdlog to stderr (and to `log_file` when given) at `level`, in `format`. Throws ConfigError
// for a file that cannot be opened.
void setup_logging(spdlog::level::level_enum level, const std::string& log_file, LogFormat format = LogFormat::text);

// One event with structured fields: `fields` holds the members of a JSON object
// (`"run_id":12,"summary":{...}`), which the JSON format adds to the line's `fields` (scrubbed
// of credentials like the message); the text format logs `message` alone.
void log_event(spdlog::level::level_enum level, const std::string& message, const std::string& fields);

// Flushes the log; the first error writing it (a full disk, a removed folder), or empty.
std::string flush_logs();

}  // namespace etl::cli
