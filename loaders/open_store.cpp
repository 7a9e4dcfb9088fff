// open_store, open_read_store, migrate_database, database_exists and check_store_url: the URL
// parsed once (store_common), then the dialect's store.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "etl/core/errors.hpp"
#include "loaders/postgres_store.hpp"
#include "loaders/sqlite_store.hpp"
#include "loaders/store.hpp"
#include "loaders/store_common.hpp"

namespace etl {
namespace {

using loaders_detail::StoreAccess;

// The dialect's store of `url`; `migrated` as open_sqlite_store takes it.
std::unique_ptr<Store> open_dialect_store(const std::string& url, StoreAccess access, SchemaMigration* migrated) {
  const auto parsed = loaders_detail::parse_db_url(url);
  std::unique_ptr<Store> store;
  switch (parsed.kind) {
    case loaders_detail::DbKind::sqlite:
      store = loaders_detail::open_sqlite_store(parsed.target, access, migrated);
      break;
    case loaders_detail::DbKind::postgresql:
      store = loaders_detail::open_postgres_store(parsed.target, access, migrated);
      break;
  }
  if (!store) throw ConfigError("unsupported database URL");
  return store;
}

}  // namespace

std::unique_ptr<Store> open_store(const std::string& url) {
  return open_dialect_store(url, StoreAccess::read_write, nullptr);
}

// The dialect's store, given only as its reads: a read-only SQLite store has not prepared the write path.
std::unique_ptr<ReadStore> open_read_store(const std::string& url) {
  return open_dialect_store(url, StoreAccess::read_only, nullptr);
}

SchemaMigration migrate_database(const std::string& url) {
  SchemaMigration migrated;
  migrated.dialect = open_dialect_store(url, StoreAccess::read_write, &migrated)->dialect();
  return migrated;
}

bool database_exists(const std::string& url) {
  const auto parsed = loaders_detail::parse_db_url(url);
  if (parsed.kind != loaders_detail::DbKind::sqlite || parsed.target == ":memory:") return true;
  std::error_code ec;
  return std::filesystem::exists(parsed.target, ec);
}

void check_store_url(const std::string& url) {
  const auto parsed = loaders_detail::parse_db_url(url);
  if (parsed.kind != loaders_detail::DbKind::sqlite || parsed.target == ":memory:") return;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path file = fs::absolute(parsed.target, ec);
  if (fs::exists(file, ec)) {
    if (access(file.c_str(), R_OK | W_OK) != 0) throw StoreError("sqlite " + parsed.target + ": the database file is not writable");
    return;
  }
  fs::path folder = file.parent_path();
  while (!folder.empty() && !fs::exists(folder, ec) && folder != folder.root_path()) folder = folder.parent_path();
  if (!fs::is_directory(folder, ec))
    throw StoreError("sqlite " + parsed.target + ": cannot create the database: " + folder.string() + " is not a folder");
  if (access(folder.c_str(), W_OK) != 0)
    throw StoreError("sqlite " + parsed.target + ": cannot create the database: " + folder.string() + " is not writable");
}

}  // namespace etl
