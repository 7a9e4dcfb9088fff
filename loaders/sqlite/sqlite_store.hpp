// The SQLite store (SQLiteCpp): WAL, synchronous=NORMAL, busy_timeout, foreign keys,
// cached prepared statements. Internal to loaders/; use open_store("sqlite:PATH").
#pragma once

#include <array>
#include <memory>
#include <string>

#include "loaders/store.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

// The settings of a read-write connection, run in order before migrating (durability: see
// loaders/README.md). With the default 2 MB page cache, re-reading pages dominated import
// time; a larger cache instead of mmap, since a mapped file would count in RSS and grow with
// the database. bench/write_limit uses the same, to measure what one writer can do.
// Checkpoints every 8,000 WAL pages (32 MB) instead of 1,000: a tenth of the fsyncs in the
// writer's commits, and the pages a batch rewrites (index and interior B-tree pages) copied
// back once per checkpoint; the WAL file is cut back to 64 MB after a checkpoint that grew it.
inline constexpr std::array<const char*, 7> kSqliteWritePragmas = {
    "PRAGMA journal_mode = WAL",        "PRAGMA synchronous = NORMAL",       "PRAGMA foreign_keys = ON",
    "PRAGMA cache_size = -65536",       "PRAGMA temp_store = MEMORY",        "PRAGMA wal_autocheckpoint = 8000",
    "PRAGMA journal_size_limit = 67108864"};

// Opens (read_write: creating the file and its folder, and migrating: what that did into
// `migrated` when given). Throws StoreError.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, StoreAccess access,
                                         SchemaMigration* migrated = nullptr);

}  // namespace etl::loaders_detail
