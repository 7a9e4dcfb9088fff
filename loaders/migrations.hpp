// The SQL migrations of schema/<dialect>/NNN_name.sql, embedded into the library at build
// time (see embed_migrations.cmake). Internal to loaders/.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace etl::loaders_detail {

struct EmbeddedMigration {
  const char* dialect;  // "sqlite" or "postgres" (the schema/ folder name)
  int version;
  const char* name;
  const char* sql;
  std::size_t size;
};

struct Migration {
  int version = 0;
  std::string name;
  std::string_view sql;
};

// Defined in the generated embedded_migrations.cpp.
const std::vector<EmbeddedMigration>& all_embedded_migrations();

// The migrations of one dialect ("sqlite" or "postgres"), sorted by version. Throws
// std::logic_error if two files share a version.
std::vector<Migration> migrations_for(std::string_view dialect);

}  // namespace etl::loaders_detail
