// Each subcommand registers its flags on a CLI11 sub-app and returns the action that runs
// it after parsing; the action returns the process exit code.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace etl::cli {

using CommandAction = std::function<int()>;

CommandAction add_areas_command(CLI::App& app);
CommandAction add_run_command(CLI::App& app);
CommandAction add_migrate_command(CLI::App& app);
CommandAction add_status_command(CLI::App& app);
CommandAction add_import_json_command(CLI::App& app);

}  // namespace etl::cli
