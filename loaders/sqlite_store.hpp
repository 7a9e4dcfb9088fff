// The SQLite store (SQLiteCpp): WAL, synchronous=NORMAL, busy_timeout, foreign keys,
// cached prepared statements. Internal to loaders/; use open_store("sqlite:PATH").
#pragma once

#include <memory>
#include <string>

#include "loaders/store.hpp"

namespace etl::loaders_detail {

// Opens (read_write: creating the file and its folder, and migrating). Throws StoreError.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, StoreAccess access);

}  // namespace etl::loaders_detail
