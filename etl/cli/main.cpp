// `etl`: the only place that parses argv. Dispatches to one subcommand and maps errors to
// the documented exit codes.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <map>

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
  app.set_version_flag("--version", std::string("etl (propetl) ") + etl::kVersion);
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

  try {
    app.parse(argc, argv);
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
