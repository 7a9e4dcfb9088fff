// Embedded migrations of one dialect, in version order (see migrations.hpp).
#include "loaders/migrations.hpp"

#include <algorithm>
#include <stdexcept>

namespace etl::loaders_detail {

std::vector<Migration> migrations_for(std::string_view dialect) {
  std::vector<Migration> out;
  for (const auto& m : all_embedded_migrations()) {
    if (dialect == m.dialect) out.push_back(Migration{m.version, m.name, std::string_view(m.sql, m.size)});
  }
  std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      throw std::logic_error("two " + std::string(dialect) + " migrations share version " +
                             std::to_string(out[i].version));
    }
  }
  return out;
}

}  // namespace etl::loaders_detail
