#include <fmt/core.h>

#include <memory>

#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "loaders/store.hpp"

namespace etl::cli {

CommandAction add_migrate_command(CLI::App& app) {
  auto db = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand("migrate", "Create or upgrade the database schema (run, import-json and failures clear do this on open; status and failures list only read)");
  add_db_option(*sub, *db);
  return [db] {
    const auto store = open_store(*db);
    fmt::print("{}: schema is up to date ({})\n", redact_db_url(*db), store->dialect());
    return kExitOk;
  };
}

}  // namespace etl::cli
