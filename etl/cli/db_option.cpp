// The --db option, one definition for every subcommand.
#include "etl/cli/command.hpp"

namespace etl::cli {

CLI::Option* add_db_option(CLI::App& sub, std::string& db) {
  db = kDefaultDbUrl;
  return sub.add_option("--db", db, "Database: sqlite:PATH or postgresql://user:pass@host:port/db")
      ->capture_default_str()
      ->envname("ETL_DB_URL");
}

}  // namespace etl::cli
