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
#include "etl/core/version.hpp"

int main(int argc, char** argv) {
  using namespace etl::cli;
  CLI::App app{
      "propetl: imports Danish villa data from the Boligsiden API into SQLite or PostgreSQL.\n"
      "Examples:\n"
      "  etl run --area copenhagen --workers 12 --batch-size 50\n"
      "  etl run --area copenhagen --limit 100\n"
      "  etl run --area copenhagen --refresh on-market\n"
      "  etl areas --area copenhagen",
      "etl"};
  app.set_version_flag("-V,--version", std::string("etl (propetl) ") + etl::kVersion);
  app.require_subcommand(1);
  // One line: the flag and what is wrong with it.
  app.failure_message([](const CLI::App*, const CLI::Error& e) { return "error: " + std::string(e.what()) + " (see --help)\n"; });

  std::map<CLI::App*, CommandAction> actions;
  const auto add = [&](CommandAction action) { actions[app.get_subcommands({}).back()] = std::move(action); };
  add(add_run_command(app));
  add(add_areas_command(app));
  add(add_migrate_command(app));
  add(add_status_command(app));
  add(add_import_json_command(app));
  add(add_failures_command(app));

  // `etl help [SUBCOMMAND]` is --help, as people type it.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "help") {
    args.erase(args.begin());
    args.push_back("--help");
  }
  std::string known;
  bool is_subcommand = false;
  for (const CLI::App* sub : app.get_subcommands({})) {
    known += (known.empty() ? "" : ", ") + sub->get_name();
    is_subcommand = is_subcommand || (!args.empty() && sub->get_name() == args.front());
  }
  if (!args.empty() && !args.front().starts_with("-") && !is_subcommand) {
    std::fprintf(stderr, "error: unknown subcommand '%s' (%s; see --help)\n", args.front().c_str(), known.c_str());
    return kExitUsage;
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  try {
    setup_logging("info", "");  // one log format for every subcommand; run and import-json refine it
    for (auto& [sub, action] : actions)
      if (sub->parsed()) return action();
  } catch (const etl::UsageError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitUsage;
  } catch (const etl::ConfigError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitFatal;
  } catch (const etl::EtlError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitFatal;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitFatal;
  }
  return kExitUsage;
}
