// The --db option, one definition for every subcommand, and what it names.
#include "etl/cli/command.hpp"

#include "etl/core/errors.hpp"
#include "loaders/store.hpp"

namespace etl::cli {

CLI::Option* add_db_option(CLI::App& sub, std::string& db) {
  db = kDefaultDbUrl;
  return sub
      .add_option("--db", db,
                  "Database: a SQLite file, PATH (no scheme: prefix, no @) or sqlite:PATH, or "
                  "postgresql://user:pass@host:port/db (percent-encode @ and / in a password; keep it out of argv "
                  "with $ETL_DB_URL, PGPASSWORD or ~/.pgpass)")
      ->capture_default_str()
      ->envname("ETL_DB_URL");
}

void require_database(const std::string& url) {
  if (!database_exists(url))
    throw ConfigError("no database at " + redact_db_url(url) + " (a run creates it; check --db or $ETL_DB_URL)");
}

}  // namespace etl::cli
