// open_store and check_store_url: the URL parsed once (store_common), then the dialect's store.
#include <unistd.h>

#include <filesystem>
#include <string>

#include "etl/core/errors.hpp"
#include "loaders/postgres_store.hpp"
#include "loaders/sqlite_store.hpp"
#include "loaders/store.hpp"
#include "loaders/store_common.hpp"

namespace etl {

std::unique_ptr<Store> open_store(const std::string& url) {
  const auto parsed = loaders_detail::parse_db_url(url);
  switch (parsed.kind) {
    case loaders_detail::DbKind::sqlite:
      return loaders_detail::open_sqlite_store(parsed.target);
    case loaders_detail::DbKind::postgresql:
      return loaders_detail::open_postgres_store(parsed.target);
  }
  throw ConfigError("unsupported database URL");
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
