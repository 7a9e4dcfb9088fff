// The table map (loaders/table_map.hpp) against the migrated schema of both dialects: a
// table the merge inserts into has exactly the map's columns, in schema order, and every
// mapped column has the map's SQL type. A column added by a migration but not to the map
// (or the other way round) fails here, not in a merge.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "loaders/dialects.hpp"
#include "loaders/store.hpp"
#include "loaders/table_map.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl {
namespace {

using loaders_detail::Table;
using loaders_detail::Write;

class TableMapTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = sqlite() ? "sqlite:" + dir_.file("etl.db") : test::PgServer::shared().fresh_database();
    open_store(url_);  // migrates
  }
  bool sqlite() const { return GetParam() == "sqlite"; }

  // "name type" per column of the stored table, in schema order.
  std::vector<std::string> schema(const Table& t) const {
    const std::string sql =
        sqlite() ? fmt::format("SELECT name, type FROM pragma_table_info('{}') ORDER BY cid", t.name)
                 : fmt::format("SELECT column_name, data_type FROM information_schema.columns "
                               "WHERE table_schema = current_schema() AND table_name = '{}' ORDER BY ordinal_position",
                               t.name);
    std::vector<std::string> out;
    for (const auto& row : test::query_rows(url_, sql)) out.push_back(row.at(0) + " " + row.at(1));
    return out;
  }

  std::vector<std::string> mapped(const Table& t) const {
    std::vector<std::string> out;
    for (const auto& c : t.columns) {
      out.push_back(std::string(c.name) + " " + loaders_detail::dialect_named(GetParam()).syntax.column_type(c.kind));
    }
    return out;
  }

  test::TempDir dir_;
  std::string url_;
};

TEST_P(TableMapTest, InsertedTablesHaveExactlyTheMapsColumns) {
  for (const Table* t : loaders_detail::changed_tables()) {
    EXPECT_EQ(mapped(*t), schema(*t)) << t->name;
  }
}

// property_events: the map's columns after the id the database assigns.
TEST_P(TableMapTest, TheEventsTableHasTheMapsColumnsAfterItsId) {
  auto stored = schema(loaders_detail::events_table());
  ASSERT_FALSE(stored.empty());
  EXPECT_EQ(stored.front(), sqlite() ? "id INTEGER" : "id bigint");
  stored.erase(stored.begin());
  EXPECT_EQ(mapped(loaders_detail::events_table()), stored);
}

TEST_P(TableMapTest, UpdatedColumnsExistWithTheMapsTypes) {
  std::vector<const Table*> tables = {&loaders_detail::touch_table(), &loaders_detail::seen_table(),
                                      &loaders_detail::resolve_failures_table()};
  for (const Table* t : loaders_detail::history_tables()) {
    if (t->write == Write::update) tables.push_back(t);
  }
  for (const Table* t : tables) {
    ASSERT_EQ(t->write, Write::update) << t->name;
    const auto stored = schema(*t);
    for (const auto& column : mapped(*t)) {
      EXPECT_NE(std::find(stored.begin(), stored.end(), column), stored.end()) << t->name << ": " << column;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, TableMapTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace etl
