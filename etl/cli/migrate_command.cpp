#include <fmt/core.h>

#include <memory>

#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "loaders/store.hpp"

namespace etl::cli {

CommandAction add_migrate_command(CLI::App& app) {
  auto db = std::make_shared<std::string>("sqlite:data/etl.db");
  CLI::App* sub = app.add_subcommand("migrate", "Create or upgrade the database schema (every command also does this on open)");
  sub->add_option("--db", *db, "Database: sqlite:PATH or postgresql://user:pass@host:port/db")
      ->capture_default_str()
      ->envname("ETL_DB_URL");
  return [db] {
    const auto store = open_store(*db);
    fmt::print("{}: schema is up to date ({})\n", redact_db_url(*db), store->dialect());
    return kExitOk;
  };
}

}  // namespace etl::cli
