// The registry of dialects: which URL scheme opens which database. Each dialect lives in its
// folder (loaders/sqlite/, loaders/postgres/) and is known to the rest of loaders/ only by its
// DialectEntry; nothing outside those folders and dialects.cpp names a particular one.
// Internal to loaders/.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "loaders/dialect.hpp"
#include "loaders/run_lock.hpp"
#include "loaders/store.hpp"

namespace etl::loaders_detail {

struct DialectEntry {
  const char* name;    // Store::dialect(), in messages: "sqlite", "postgresql"
  const char* schema;  // its migrations' folder under schema/: "sqlite", "postgres"
  std::vector<std::string_view> schemes;  // the URL prefixes it takes: "sqlite:", "postgresql://"
  bool takes_paths;    // a value with no scheme and no '@' is its file (at most one dialect)
  const SqlSyntax& syntax;
  // The URL's target, checked (SQLite: the file path; PostgreSQL: the URL). Throws ConfigError.
  std::string (*target)(const std::string& url);
  // Opens read-write, creating and migrating (what that did into `migrated` when given).
  std::unique_ptr<Store> (*open)(const std::string& target, SchemaMigration* migrated);
  // Opens to read: creates, migrates and writes nothing.
  std::unique_ptr<ReadStore> (*open_read)(const std::string& target);
  // Whether the database exists, opening nothing (true when only connecting could tell).
  bool (*exists)(const std::string& target);
  // Throws StoreError when `open` could not create the database, writing nothing.
  void (*check_creatable)(const std::string& target);
  std::unique_ptr<RunLock> (*lock)(const std::string& target, const std::string& shard);  // run_lock.hpp
  bool reconnects;  // a lost connection can be reopened (ReconnectingStore); a file is not lost
};

struct DbUrl {
  const DialectEntry& dialect;
  std::string target;
};

// The dialect a URL names and its target. A URL with a scheme no dialect takes, an empty one,
// or one with an '@' but no scheme (a URL that lost it: never a file) is a ConfigError whose
// message lists the accepted forms and shows no password.
DbUrl parse_db_url(const std::string& url);

// The dialect whose name (DialectEntry::name) is `name`; throws std::logic_error if none.
const DialectEntry& dialect_named(std::string_view name);

// Every dialect, in the registry's order.
const std::vector<const DialectEntry*>& dialects();

}  // namespace etl::loaders_detail
