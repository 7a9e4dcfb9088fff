// PostgreSQL in the registry: its URLs (postgresql://, postgres://), a server that can be
// reconnected to, its run lock (postgres_lock.hpp).
#include "loaders/postgres/postgres_dialect.hpp"

#include "etl/core/errors.hpp"
#include "loaders/postgres/postgres_lock.hpp"
#include "loaders/postgres/postgres_sql.hpp"
#include "loaders/postgres/postgres_store.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

std::string target(const std::string& url) {
  // libpq splits the authority at the first '@' and the path at the first '/': the rest of
  // such a password would be read as a host or database name and quoted in its errors.
  const auto [pw_begin, pw_end] = password_span(url);
  if (pw_begin != std::string::npos && url.find_first_of("@/", pw_begin) < pw_end)
    throw ConfigError("database URL '" + redact_db_url(url) +
                      "': the password contains '@' or '/'; percent-encode them (%40, %2F), or leave the password "
                      "out of the URL and use PGPASSWORD or ~/.pgpass");
  return url;
}

std::unique_ptr<Store> open(const std::string& url, SchemaMigration* migrated) {
  return open_postgres_store(url, StoreAccess::read_write, migrated);
}

std::unique_ptr<ReadStore> open_read(const std::string& url) {
  return open_postgres_store(url, StoreAccess::read_only);
}

bool exists(const std::string&) { return true; }  // only connecting could tell
void check_creatable(const std::string&) {}       // the server creates nothing before connecting

}  // namespace

const DialectEntry& postgres_dialect() {
  static const DialectEntry entry{
      "postgresql", "postgres", {"postgresql://", "postgres://"}, false, postgres_syntax(), &target, &open, &open_read,
      &exists,      &check_creatable, &lock_postgres,
      true,  // a server connection can be lost and reopened
  };
  return entry;
}

}  // namespace etl::loaders_detail
