// Case columns added after the first schema, each with a migration that backfills it from
// raw_json: cases.realtor_phone (schema/sqlite/003, schema/postgres/004) and
// cases.distinction (schema/sqlite/004, schema/postgres/005). The stores write them, and
// the migration fills them on a database of the schema before it.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <fmt/format.h>

#include <fstream>
#include <functional>
#include <ostream>
#include <sstream>
#include <tuple>

#include "loaders/postgres/postgres_store.hpp"
#include "loaders/postgres/soci_compat.hpp"
#include "loaders/store.hpp"
#include "tests/loaders/fixture_records.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl {
namespace {

constexpr UnixTime kT0 = 1'700'000'000;
const std::string kCaseId = "f2687747-0bd7-4ded-aa4c-8dc123b9e624";

struct CaseColumn {
  std::string name;
  int sqlite_version;    // the migration that adds it
  int postgres_version;
  std::string expected;  // its value for the fixture's case
  std::function<std::optional<std::string>&(ListingCase&)> field;
};

void PrintTo(const CaseColumn& c, std::ostream* os) { *os << c.name; }

const CaseColumn kColumns[] = {
    {"realtor_phone", 3, 4, "47310098", [](ListingCase& c) -> std::optional<std::string>& { return c.realtor_phone; }},
    {"distinction", 4, 5, "real_estate", [](ListingCase& c) -> std::optional<std::string>& { return c.distinction; }},
};

// The fixture's listed property, its payload an address whose cases[] holds case-offering.json.
PropertyRecord listed_property() {
  std::ifstream in(std::string(ETL_FIXTURES_DIR) + "/case-offering.json", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  PropertyRecord r = test::load_fixture_records().back();
  r.raw_json = R"({"addressID":")" + r.address_id + R"(","cases":[)" + text.str() + "]}";
  r.payload_hash = test::fnv1a64(r.raw_json);
  return r;
}

class CaseColumnTest : public ::testing::TestWithParam<std::tuple<std::string, CaseColumn>> {
 protected:
  void SetUp() override {
    url_ = sqlite() ? "sqlite:" + dir_.file("etl.db") : test::PgServer::shared().fresh_database();
  }

  bool sqlite() const { return std::get<0>(GetParam()) == "sqlite"; }
  const CaseColumn& column() const { return std::get<1>(GetParam()); }

  std::string value(const std::string& case_id) const {
    const auto rows =
        test::query_rows(url_, fmt::format("SELECT {} FROM cases WHERE case_id = '{}'", column().name, case_id));
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? std::string("no row") : rows[0].at(0);
  }

  // Takes the database back to the schema before the column's migration (the data stay).
  void downgrade() {
    const std::string drop = "ALTER TABLE cases DROP COLUMN " + column().name;
    // The market history's view reads the column; the test does not need it back.
    const std::string drop_view = "DROP VIEW IF EXISTS current_listings";
    // The payload back in properties, where the column's migration reads it (before sqlite/010, postgres/010).
    const std::string payload_back =
        "UPDATE properties SET raw_json = (SELECT pp.raw_json FROM property_payloads pp "
        "WHERE pp.address_id = properties.address_id)";
    if (sqlite()) {
      SQLite::Database db(dir_.file("etl.db"), SQLite::OPEN_READWRITE);
      db.exec(drop_view);
      db.exec(drop);
      db.exec("ALTER TABLE properties ADD COLUMN raw_json TEXT");
      db.exec(payload_back);
      db.exec(fmt::format("DELETE FROM schema_migrations WHERE version = {}", column().sqlite_version));
    } else {
      soci::session sql(*soci::factory_postgresql(), loaders_detail::pg_conninfo(url_));
      sql << drop_view;
      sql << drop;
      sql << "ALTER TABLE properties ADD COLUMN raw_json JSONB";
      sql << payload_back;
      sql << fmt::format("DELETE FROM schema_migrations WHERE version = {}", column().postgres_version);
    }
  }

  test::TempDir dir_;
  std::string url_;
};

TEST_P(CaseColumnTest, StoreWritesIt) {
  auto store = open_store(url_);
  auto r = listed_property();
  ASSERT_EQ(column().field(r.cases.at(0)), column().expected);
  ASSERT_TRUE(store->upsert_batch({r}, kT0).failures.empty());
  EXPECT_EQ(value(kCaseId), column().expected);
}

TEST_P(CaseColumnTest, MigrationBackfillsItFromRawJson) {
  {
    auto store = open_store(url_);
    auto r = listed_property();
    column().field(r.cases.at(0)).reset();  // as written before the column existed
    ASSERT_TRUE(store->upsert_batch({r}, kT0).failures.empty());
    // A case row whose property's payload has no cases[]: stays NULL.
    auto other = test::load_fixture_records().front();
    other.cases = {ListingCase{"other-case", "open", 1'000'000, {}, {}, {}, {}, {}, {}, "X", {}, {}, {}}};
    ASSERT_TRUE(store->upsert_batch({other}, kT0).failures.empty());
    // A case whose value in the payload is not a string: stays NULL, as the parser leaves it.
    auto odd = test::load_fixture_records().at(1);
    odd.raw_json = R"({"addressID":")" + odd.address_id +
                   R"(","cases":[{"caseID":"odd-case","distinction":7,"realtor":{"contactInformation":{"phone":7}}}]})";
    odd.payload_hash = test::fnv1a64(odd.raw_json);
    odd.cases = {ListingCase{"odd-case", "open", 1, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}}};
    ASSERT_TRUE(store->upsert_batch({odd}, kT0).failures.empty());
  }
  downgrade();
  open_store(url_);  // applies the column's migration again
  EXPECT_EQ(value(kCaseId), column().expected);
  EXPECT_EQ(value("other-case"), "NULL");
  EXPECT_EQ(value("odd-case"), "NULL");
}

INSTANTIATE_TEST_SUITE_P(Dialects, CaseColumnTest,
                         ::testing::Combine(::testing::Values("sqlite", "postgresql"), ::testing::ValuesIn(kColumns)),
                         [](const ::testing::TestParamInfo<CaseColumnTest::ParamType>& info) {
                           return std::get<0>(info.param) + "_" + std::get<1>(info.param).name;
                         });

}  // namespace
}  // namespace etl
