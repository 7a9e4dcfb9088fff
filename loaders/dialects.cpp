// The registry (see dialects.hpp): one line per dialect, and the URL parsed once against it.
#include "loaders/dialects.hpp"

#include <stdexcept>

#include "etl/core/errors.hpp"
#include "loaders/postgres/postgres_dialect.hpp"
#include "loaders/sqlite/sqlite_dialect.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

const std::vector<const DialectEntry*>& dialects() {
  static const std::vector<const DialectEntry*> all = {
      &sqlite_dialect(),
      &postgres_dialect(),
  };
  return all;
}

const DialectEntry& dialect_named(std::string_view name) {
  for (const DialectEntry* d : dialects()) {
    if (name == d->name) return *d;
  }
  throw std::logic_error("no dialect named " + std::string(name));
}

DbUrl parse_db_url(const std::string& url) {
  for (const DialectEntry* d : dialects()) {
    for (const std::string_view scheme : d->schemes) {
      if (url.starts_with(scheme)) return {*d, d->target(url)};
    }
  }
  const std::string expected =
      "expected a file path (e.g. data/etl.db), sqlite:PATH or postgresql://user:password@host:port/dbname "
      "(postgres:// also accepted)";
  if (const std::size_t scheme = scheme_length(url); scheme > 0) {
    // Only the scheme and its slashes: in what follows a mistyped URL can hide a password
    // where redact_db_url finds none ("etl:pw@host": the user taken for a scheme).
    std::size_t shown = scheme + 1;
    while (shown < url.size() && url[shown] == '/') ++shown;
    throw ConfigError("unsupported database URL '" + url.substr(0, shown) + "...': " + expected);
  }
  if (url.empty()) throw ConfigError("the database URL is empty: " + expected);
  // A URL that lost its scheme or its ':' ("postgresql//etl:pw@host") is no file name, and
  // would show its password in every message naming the file.
  if (url.find('@') != std::string::npos)
    throw ConfigError("the database URL has a user@ or user:password@ but no scheme (not echoed: it may hold a "
                      "password): " + expected + "; a file whose name has an '@' is sqlite:PATH");
  for (const DialectEntry* d : dialects()) {
    if (d->takes_paths) return {*d, d->target(url)};
  }
  throw ConfigError("unsupported database URL: " + expected);
}

}  // namespace etl::loaders_detail
