// `etl`: the only place that parses argv. Dispatches to one subcommand and maps errors to
// the documented exit codes.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "etl/cli/logging_setup.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/name_match.hpp"
#include "etl/core/version.hpp"

namespace {

using namespace etl::cli;

// `etl help [SUBCOMMAND]` is --help, as people type it.
std::vector<std::string> arguments(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "help") {
    args.erase(args.begin());
    args.push_back("--help");
  }
  return args;
}

// A first word that is no flag and no subcommand: the message lists the subcommands.
bool unknown_subcommand(const CLI::App& app, const std::vector<std::string>& args) {
  if (args.empty() || args.front().starts_with("-")) return false;
  std::string known;
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_name() == args.front()) return false;
    known += (known.empty() ? "" : ", ") + sub->get_name();
  }
  std::fprintf(stderr, "error: unknown subcommand '%s' (%s; see --help)\n", args.front().c_str(), known.c_str());
  return true;
}

// "; did you mean '--workers'?" for the first unknown flag among `extras` that is close to a
// flag of the subcommand typed (the deepest one parsed, e.g. `failures clear`), or "".
std::string closest_flag(const CLI::App& app, const std::vector<std::string>& extras) {
  const CLI::App* typed = &app;
  while (!typed->get_subcommands().empty()) typed = typed->get_subcommands().front();
  std::vector<std::string> flags;
  for (const CLI::Option* option : typed->get_options())
    for (const std::string& name : option->get_lnames()) flags.push_back("--" + name);
  for (const std::string& extra : extras) {
    if (!extra.starts_with("--")) continue;
    if (std::string hint = etl::did_you_mean(extra.substr(0, extra.find('=')), flags); !hint.empty()) return hint;
  }
  return "";
}

// Runs the parsed subcommand; an error is one line on stderr and its exit code.
int run_parsed(const std::map<CLI::App*, CommandAction>& actions) {
  try {
    setup_logging(spdlog::level::info, "");  // one log format for every subcommand; run and import-json refine it
    for (const auto& [sub, action] : actions)
      if (sub->parsed()) return action();
  } catch (const etl::UsageError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {  // ConfigError, StoreError, ApiError, ... and the unforeseen
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitFatal;
  }
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      // "Examples:" after a blank line and "$ " before each: help2man makes them the man
      // page's EXAMPLES, one a line.
      "propetl: imports Danish villa data from the Boligsiden API into SQLite or PostgreSQL.\n"
      "\n"
      "Examples:\n"
      "  $ etl run --area copenhagen --workers 12 --batch-size 50\n"
      "  $ etl run --area copenhagen --limit 100\n"
      "  $ etl run --area copenhagen --refresh on-market\n"
      "  $ etl changes --since 24h --kind listed,price_changed,sold\n"
      "  $ etl market --area copenhagen\n"
      "  $ etl export current_listings --out listings.csv\n"
      "  $ etl report --area copenhagen --out market.html\n"
      "  $ etl areas --area copenhagen",
      "etl"};
  app.set_version_flag("-V,--version", std::string("etl (propetl) ") + etl::kVersion);
  app.require_subcommand(1);
  // One line: the flag and what is wrong with it; an unknown flag gets the closest known one.
  app.failure_message([](const CLI::App* parsed, const CLI::Error& e) {
    std::string what = e.what();
    const std::vector<std::string> extras = parsed->remaining(true);
    // CLI11 2.1 lists arguments it did not expect last first ("x --config"); in the order typed:
    if (dynamic_cast<const CLI::ExtrasError*>(&e) && !extras.empty()) {
      what = (extras.size() == 1 ? "The following argument was not expected:" : "The following arguments were not expected:");
      for (const std::string& a : extras) what += " " + a;
    }
    return "error: " + what + closest_flag(*parsed, extras) + " (see --help)\n";
  });

  std::map<CLI::App*, CommandAction> actions;
  const auto add = [&](CommandAction action) { actions[app.get_subcommands({}).back()] = std::move(action); };
  add(add_run_command(app));
  add(add_areas_command(app));
  add(add_migrate_command(app));
  add(add_status_command(app));
  add(add_import_json_command(app));
  add(add_failures_command(app));
  add(add_changes_command(app));
  add(add_market_command(app));
  add(add_export_command(app));
  add(add_report_command(app));

  std::vector<std::string> args = arguments(argc, argv);
  if (unknown_subcommand(app, args)) return kExitUsage;
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  return run_parsed(actions);
}
