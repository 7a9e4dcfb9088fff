// cases.realtor_phone (schema/sqlite/003, schema/postgres/004): the stores write it, and the
// migration backfills it from raw_json on a database of the previous schema version.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>
#include <sstream>

#include "loaders/postgres_store.hpp"
#include "loaders/soci_compat.hpp"
#include "loaders/store.hpp"
#include "tests/loaders/fixture_records.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl {
namespace {

constexpr UnixTime kT0 = 1'700'000'000;
const std::string kCaseId = "f2687747-0bd7-4ded-aa4c-8dc123b9e624";

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

class RealtorPhoneTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = GetParam() == "sqlite" ? "sqlite:" + dir_.file("etl.db") : test::PgServer::shared().fresh_database();
  }

  std::string phone() const {
    const auto rows = test::query_rows(url_, "SELECT realtor_phone FROM cases WHERE case_id = '" + kCaseId + "'");
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? std::string("no row") : rows[0].at(0);
  }

  // Takes the database back to the schema before the realtor_phone migration (the data stay).
  void downgrade() {
    const std::string drop = "ALTER TABLE cases DROP COLUMN realtor_phone";
    if (GetParam() == "sqlite") {
      SQLite::Database db(dir_.file("etl.db"), SQLite::OPEN_READWRITE);
      db.exec(drop);
      db.exec("DELETE FROM schema_migrations WHERE version = 3");
    } else {
      soci::session sql(*soci::factory_postgresql(), loaders_detail::pg_conninfo(url_));
      sql << drop;
      sql << "DELETE FROM schema_migrations WHERE version = 4";
    }
  }

  test::TempDir dir_;
  std::string url_;
};

TEST_P(RealtorPhoneTest, StoreWritesTheRealtorPhone) {
  auto store = open_store(url_);
  const auto r = listed_property();
  ASSERT_EQ(r.cases.at(0).realtor_phone, "47310098");
  ASSERT_TRUE(store->upsert_batch({r}, kT0).failures.empty());
  EXPECT_EQ(phone(), "47310098");
}

TEST_P(RealtorPhoneTest, MigrationBackfillsItFromRawJson) {
  {
    auto store = open_store(url_);
    auto r = listed_property();
    r.cases.at(0).realtor_phone.reset();  // as written before the column existed
    ASSERT_TRUE(store->upsert_batch({r}, kT0).failures.empty());
    // A property without cases in its payload and one whose case has no phone: stay NULL.
    auto other = test::load_fixture_records().front();
    other.cases = {ListingCase{"other-case", "open", 1'000'000, {}, {}, {}, {}, {}, {}, "X", {}, {}, {}}};
    ASSERT_TRUE(store->upsert_batch({other}, kT0).failures.empty());
  }
  downgrade();
  open_store(url_);  // applies the realtor_phone migration again
  EXPECT_EQ(phone(), "47310098");
  const auto rows = test::query_rows(url_, "SELECT realtor_phone FROM cases WHERE case_id = 'other-case'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at(0), "NULL");
}

INSTANTIATE_TEST_SUITE_P(Dialects, RealtorPhoneTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace etl
