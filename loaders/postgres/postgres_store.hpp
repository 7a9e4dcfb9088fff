// The PostgreSQL store (SOCI): one session, set-based batch writes (unnest of binary
// arrays, prepared through libpq), INSERT ... ON CONFLICT ... DO UPDATE. Internal to loaders/; use
// open_store("postgresql://...").
#pragma once

#include <memory>
#include <string>

#include "loaders/store.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

// Connects (the URL is handed to libpq, which accepts URIs) and, read_write, migrates (what that
// did into `migrated` when given). Throws StoreError with the password redacted.
std::unique_ptr<Store> open_postgres_store(const std::string& url, StoreAccess access,
                                           SchemaMigration* migrated = nullptr);

// A postgresql:// URL (or a conninfo string) as a libpq keyword/value conninfo string,
// parsed by libpq itself (PQconninfoParse). SOCI 4.0 rewrites the connection string it is
// given as key=value pairs, which mangles a URI, so every SOCI session takes this form.
// Throws StoreError (password redacted) if libpq cannot parse it.
std::string pg_conninfo(const std::string& url);

}  // namespace etl::loaders_detail
