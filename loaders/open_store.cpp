// open_store, open_read_store, migrate_database, database_exists and check_store_url: the URL
// parsed once against the registry (dialects.hpp), then what its dialect does.
#include "etl/core/errors.hpp"
#include "loaders/dialects.hpp"
#include "loaders/store.hpp"

namespace etl {

using loaders_detail::parse_db_url;

std::unique_ptr<Store> open_store(const std::string& url) {
  const auto parsed = parse_db_url(url);
  return parsed.dialect.open(parsed.target, nullptr);
}

std::unique_ptr<ReadStore> open_read_store(const std::string& url) {
  const auto parsed = parse_db_url(url);
  return parsed.dialect.open_read(parsed.target);
}

SchemaMigration migrate_database(const std::string& url) {
  const auto parsed = parse_db_url(url);
  SchemaMigration migrated;
  parsed.dialect.open(parsed.target, &migrated);
  migrated.dialect = parsed.dialect.name;
  return migrated;
}

bool database_exists(const std::string& url) {
  const auto parsed = parse_db_url(url);
  return parsed.dialect.exists(parsed.target);
}

void check_store_url(const std::string& url) {
  const auto parsed = parse_db_url(url);
  parsed.dialect.check_creatable(parsed.target);
}

}  // namespace etl
