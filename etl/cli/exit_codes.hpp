#pragma once

namespace etl::cli {

// The exit codes cron jobs and scripts rely on.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFatal = 1;          // config, database, API unreachable
inline constexpr int kExitUsage = 2;          // bad flags or subcommand
inline constexpr int kExitWithFailures = 3;   // finished; some properties recorded as failures
inline constexpr int kExitSigint = 130;
inline constexpr int kExitSigterm = 143;

}  // namespace etl::cli
