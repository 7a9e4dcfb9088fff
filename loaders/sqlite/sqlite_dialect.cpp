// SQLite in the registry: its URLs (sqlite:PATH, or a plain path), its file checks and its
// run lock (flock(2) on files beside the database; see run_lock.hpp).
#include "loaders/sqlite/sqlite_dialect.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "etl/core/errors.hpp"
#include "loaders/sqlite/sqlite_sql.hpp"
#include "loaders/sqlite/sqlite_store.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

std::string target(const std::string& url) {
  if (!url.starts_with("sqlite:")) return url;  // a plain path
  std::string path = url.substr(7);
  if (path.starts_with("//")) path = path.substr(2);  // tolerate sqlite://PATH and sqlite:///ABS
  if (path.empty()) throw ConfigError("database URL 'sqlite:' has no file path; use sqlite:PATH, e.g. sqlite:data/etl.db");
  // Else the password would become part of a file name, and of every message naming it.
  if (password_span(url).first != std::string::npos)
    throw ConfigError("database URL '" + redact_db_url(url) +
                      "' holds a user and password (user:password@), which SQLite does not take; use sqlite:PATH");
  return path;
}

std::unique_ptr<Store> open(const std::string& path, SchemaMigration* migrated) {
  return open_sqlite_store(path, StoreAccess::read_write, migrated);
}

std::unique_ptr<ReadStore> open_read(const std::string& path) {
  return open_sqlite_store(path, StoreAccess::read_only);
}

bool exists(const std::string& path) {
  std::error_code ec;
  return path == ":memory:" || std::filesystem::exists(path, ec);
}

void check_creatable(const std::string& path) {
  if (path == ":memory:") return;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path file = fs::absolute(path, ec);
  if (fs::exists(file, ec)) {
    if (access(file.c_str(), R_OK | W_OK) != 0) throw StoreError("sqlite " + path + ": the database file is not writable");
    return;
  }
  fs::path folder = file.parent_path();
  while (!folder.empty() && !fs::exists(folder, ec) && folder != folder.root_path()) folder = folder.parent_path();
  if (!fs::is_directory(folder, ec))
    throw StoreError("sqlite " + path + ": cannot create the database: " + folder.string() + " is not a folder");
  if (access(folder.c_str(), W_OK) != 0)
    throw StoreError("sqlite " + path + ": cannot create the database: " + folder.string() + " is not writable");
}

// DB.lock for a whole run; DB.lock.K-N, and DB.lock shared, for a shard.
std::unique_ptr<RunLock> lock(const std::string& path, const std::string& shard) {
  if (path == ":memory:") return lock_files("sqlite", {});  // no other process can open it
  if (shard == kWholeRun) return lock_files("sqlite", {{path + ".lock", true}});
  std::string suffix = shard;
  std::replace(suffix.begin(), suffix.end(), '/', '-');
  return lock_files("sqlite", {{path + ".lock." + suffix, true}, {path + ".lock", false}});
}

}  // namespace

const DialectEntry& sqlite_dialect() {
  static const DialectEntry entry{
      "sqlite", "sqlite", {"sqlite:"}, true, sqlite_syntax(), &target, &open, &open_read, &exists, &check_creatable,
      &lock,    false,  // a file is not lost; its errors (busy, read-only, full) are not cured by reopening
  };
  return entry;
}

}  // namespace etl::loaders_detail
