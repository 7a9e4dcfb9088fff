// `etl migrate [--db URL]`: creates the database or brings its schema up to date, and says
// what it applied ("applied 10 migrations; schema at version 11") or that there was nothing to.
#include <fmt/core.h>

#include <memory>

#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "etl/core/counted.hpp"
#include "loaders/store.hpp"

namespace etl::cli {

CommandAction add_migrate_command(CLI::App& app) {
  auto db = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand("migrate", "Create or upgrade the database schema (run, import-json and failures clear do this on open; status and failures list only read)");
  add_db_option(*sub, *db);
  return [db] {
    const SchemaMigration m = migrate_database(*db);
    if (m.applied > 0) {
      fmt::print("{}: applied {}; schema at version {} ({})\n", redact_db_url(*db),
                 counted(m.applied, "migration", "migrations"), m.version, m.dialect);
    } else {
      fmt::print("{}: schema is up to date at version {} ({})\n", redact_db_url(*db), m.version, m.dialect);
    }
    return kExitOk;
  };
}

}  // namespace etl::cli
