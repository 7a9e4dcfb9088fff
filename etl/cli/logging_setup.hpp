// spdlog set up for a command: one line per event on stderr and, when asked, in a file, as
// text or as JSON lines for log shippers; times in UTC with a Z.
#pragma once

#include <spdlog/common.h>

#include <string>

namespace etl::cli {

// spdlog to stderr (and to `log_file` when given) at `level` (trace, debug, info, warn,
// error, off), in `format` "text" or "json" (one object a line: time, level, message,
// fields). Throws ConfigError for an unknown level or format or a file that cannot be opened.
void setup_logging(const std::string& level, const std::string& log_file, const std::string& format = "text");

// One event with structured fields: `fields` holds the members of a JSON object
// (`"run_id":12,"summary":{...}`), which the JSON format adds to the line's `fields` (scrubbed
// of credentials like the message); the text format logs `message` alone.
void log_event(spdlog::level::level_enum level, const std::string& message, const std::string& fields);

// Flushes the log; the first error writing it (a full disk, a removed folder), or empty.
std::string flush_logs();

}  // namespace etl::cli
