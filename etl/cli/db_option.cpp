// The --db option, one definition for every subcommand, and what it names.
#include "etl/cli/command.hpp"

#include <filesystem>

namespace etl::cli {

CLI::Option* add_db_option(CLI::App& sub, std::string& db) {
  db = kDefaultDbUrl;
  return sub.add_option("--db", db, "Database: sqlite:PATH or postgresql://user:pass@host:port/db")
      ->capture_default_str()
      ->envname("ETL_DB_URL");
}

bool sqlite_database_missing(const std::string& url) {
  if (url.rfind("sqlite:", 0) != 0) return false;
  std::string path = url.substr(7);
  if (path.rfind("//", 0) == 0) path.erase(0, 2);  // sqlite://relative and sqlite:///absolute
  return !std::filesystem::exists(path);
}

}  // namespace etl::cli
