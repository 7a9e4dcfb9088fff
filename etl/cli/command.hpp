// Each subcommand registers its flags on a CLI11 sub-app and returns the action that runs
// it after parsing; the action returns the process exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <spdlog/common.h>

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include "etl/core/enum_names.hpp"
#include "etl/core/errors.hpp"

namespace etl::cli {

using CommandAction = std::function<int()>;

// Where every subcommand's database is unless --db or $ETL_DB_URL says otherwise.
inline const std::string kDefaultDbUrl = "sqlite:data/etl.db";

// The --db option every subcommand takes, the same way: `db` holds kDefaultDbUrl until parsed.
CLI::Option* add_db_option(CLI::App& sub, std::string& db);

// A CLI11 validator from a parse function that throws ConfigError "--flag: why": CLI11
// prefixes the flag itself, so the message names it once. `description` is shown by --help.
template <class F>
CLI::Validator validator_from(F check, const std::string& name, const std::string& description = "") {
  return CLI::Validator(
      [check](std::string& v) {
        try {
          check(v);
          return std::string();
        } catch (const ConfigError& e) {
          std::string why = e.what();
          if (why.starts_with("--") && why.find(": ") != std::string::npos) why.erase(0, why.find(": ") + 2);
          return why;
        } catch (const std::exception&) {  // std::stod and the like
          return "invalid value '" + v + "'";
        }
      },
      description, name);
}

// Every whole-number and enumerated flag is checked by these, not CLI11's Range and IsMember:
// "--workers: 'abc' is not a whole number from 1 to 1024", "--details: 'sometimes' is not one
// of always, never". --help shows "INT in [1 - 1024]" and "{always,never}" as before.
CLI::Validator whole_number_in(std::int64_t min, std::int64_t max);
CLI::Validator one_of(const std::vector<std::string>& values);

// A flag read into its type as CLI11 parses it, so the command gets typed values only:
// `parse(text)` returns the value or throws ConfigError "why", reported as "--flag: why"
// (exit 2). `value` keeps its default when the flag is not given.
template <class T, class Parse>
CLI::Option* add_parsed_option(CLI::App& sub, const std::string& name, T& value, Parse parse, const std::string& help,
                               const std::string& syntax) {
  return sub.add_option_function<std::string>(name, [&value, parse](const std::string& v) { value = parse(v); }, help)
      ->check(validator_from([parse](const std::string& v) { parse(v); }, syntax));
}

// A flag whose value is one of `names`, read into `value` (an E, or an optional E with no
// default): --help shows "{a,b}" and the default, a bad value is "'x' is not one of a, b".
template <class T, class E, std::size_t N>
CLI::Option* add_enum_option(CLI::App& sub, const std::string& name, T& value, const EnumNames<E, N>& names,
                             const std::string& help) {
  CLI::Option* option =
      sub.add_option_function<std::string>(name, [&value, names](const std::string& v) { value = *names.parse(v); }, help)
          ->check(one_of(std::vector<std::string>(names.names.begin(), names.names.end())));
  if constexpr (std::is_same_v<T, E>) option->default_str(std::string(names(value)));
  return option;
}

// --log-level, and -q and -v for warn and debug, into `level`.
void add_log_level_options(CLI::App& sub, spdlog::level::level_enum& level);

// An output file (--summary-json, --metrics-file, --log-file): its folder must exist, so a
// typo fails before the run, not after it ("-", standard output, passes).
CLI::Validator output_file();

// The whole text as a number, for validator_from: throws ConfigError "'1x' is not a (whole) number".
std::int64_t parse_whole_number(const std::string& text);
double parse_number(const std::string& text);

// Throws ConfigError naming the (redacted) URL when its database does not exist: commands
// that only read must not create it.
void require_database(const std::string& url);

CommandAction add_areas_command(CLI::App& app);
CommandAction add_run_command(CLI::App& app);
CommandAction add_migrate_command(CLI::App& app);
CommandAction add_status_command(CLI::App& app);
CommandAction add_import_json_command(CLI::App& app);
CommandAction add_failures_command(CLI::App& app);
CommandAction add_changes_command(CLI::App& app);
CommandAction add_market_command(CLI::App& app);
CommandAction add_export_command(CLI::App& app);
CommandAction add_report_command(CLI::App& app);

}  // namespace etl::cli
