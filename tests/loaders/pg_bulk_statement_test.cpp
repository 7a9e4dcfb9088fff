// PgBulkStatement against a real PostgreSQL server: values of every kind round-trip through
// the binary arrays, a batch past the statement budget continues in the next statement of the
// same transaction, and a statement prepared once is reused.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <limits>
#include <memory>

#include "loaders/fold.hpp"
#include "loaders/postgres/pg_bulk_statement.hpp"
#include "loaders/postgres/postgres_store.hpp"
#include "loaders/postgres/soci_compat.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"

namespace etl {
namespace {

using loaders_detail::PgBulkStatement;
using loaders_detail::Row;
using loaders_detail::Table;

constexpr UnixTime kT0 = 1'700'000'000;

PropertyRecord record(int i, std::size_t payload_bytes) {
  PropertyRecord r;
  r.address_id = fmt::format("bulk-{}", i);
  r.road_name = "Vej \"{1,2}\" \\ NULL æøå";
  r.zip_code = 2000 + i;
  r.latitude = 55.5 + i / 1000.0;
  r.is_on_market = i % 2 == 0;
  r.raw_json = fmt::format(R"({{"addressID":"{}","pad":"{}"}})", r.address_id, std::string(payload_bytes, 'x'));
  r.payload_hash = static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL;  // the full 64 bits, stored signed
  return r;
}

// The rows `table` gets from `records`.
std::vector<Row> rows_of(const Table& table, const std::vector<PropertyRecord>& records) {
  std::vector<Row> rows;
  for (const PropertyRecord& r : records) table.collect(r, loaders_detail::fold_children(r), rows);
  return rows;
}

// Writes `records` to properties and property_payloads through `bulk`, in one transaction.
void write(PgBulkStatement& bulk, PGconn* conn, const std::vector<PropertyRecord>& records) {
  for (const Table* t : loaders_detail::changed_tables()) {
    if (std::string_view(t->name) != "properties" && std::string_view(t->name) != "property_payloads") continue;
    bulk.write(*t, rows_of(*t, records), kT0);
  }
  PQclear(PQexec(conn, "BEGIN"));
  bulk.execute(conn);
  PQclear(PQexec(conn, "COMMIT"));
}

class PgBulkStatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = test::PgServer::shared().fresh_database();
    open_store(url_);  // migrates
    conn_.reset(PQconnectdb(loaders_detail::pg_conninfo(url_).c_str()));
    ASSERT_EQ(PQstatus(conn_.get()), CONNECTION_OK) << PQerrorMessage(conn_.get());
  }
  std::string one(const std::string& sql) const { return test::query_rows(url_, sql).at(0).at(0); }

  struct Finish {
    void operator()(PGconn* c) const { PQfinish(c); }
  };
  std::string url_;
  std::unique_ptr<PGconn, Finish> conn_;
};

TEST_F(PgBulkStatementTest, ValuesRoundTripThroughBinaryArrays) {
  std::vector<PropertyRecord> records{record(1, 10), record(2, 10)};
  records[1].zip_code.reset();  // NULLs among values
  records[1].latitude = -0.0;
  records[0].weighted_area = std::numeric_limits<double>::max();
  records[0].house_number = "";
  PgBulkStatement bulk;
  write(bulk, conn_.get(), records);
  EXPECT_EQ(test::query_rows(url_, "SELECT address_id, road_name, CAST(zip_code AS text), CAST(is_on_market AS text), "
                                   "CAST(payload_hash AS text), house_number, CAST(weighted_area AS text), "
                                   "CAST(first_seen_at = to_timestamp(1700000000) AS text) FROM properties "
                                   "ORDER BY address_id"),
            (std::vector<std::vector<std::string>>{
                {"bulk-1", *records[0].road_name, "2001", "false", "-7046029254386353131", "",
                 "1.7976931348623157e+308", "true"},
                {"bulk-2", *records[1].road_name, "NULL", "true", "4354685564936845354", "NULL", "NULL", "true"}}));
  EXPECT_EQ(one("SELECT CAST(latitude AS text) FROM properties WHERE address_id = 'bulk-2'"), "-0");
  EXPECT_EQ(one("SELECT CAST(raw_json AS text) FROM property_payloads WHERE address_id = 'bulk-1'"),
            records[0].raw_json);
}

TEST_F(PgBulkStatementTest, ValuesOverTheBudgetContinueInTheNextStatementOfTheTransaction) {
  std::vector<PropertyRecord> records;
  for (int i = 0; i < 40; ++i) records.push_back(record(i, 1000));
  PgBulkStatement bulk(8 * 1024);  // ~7 payloads a statement
  for (const Table* t : loaders_detail::changed_tables()) {
    if (std::string_view(t->name) != "property_payloads") continue;
    PgBulkStatement probe(8 * 1024);
    probe.write(*t, rows_of(*t, records), kT0);
    EXPECT_GE(probe.statements(), 5u);
  }
  write(bulk, conn_.get(), records);
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS text) FROM property_payloads WHERE length(CAST(raw_json AS text)) > 1000"),
            "40");
  EXPECT_EQ(one("SELECT CAST(COUNT(DISTINCT CAST(xmin AS text)) AS text) FROM property_payloads"), "1");
  EXPECT_TRUE(bulk.empty());
}

TEST_F(PgBulkStatementTest, AStatementIsPreparedOnceAndReused) {
  PgBulkStatement bulk;
  write(bulk, conn_.get(), {record(1, 10), record(2, 10)});
  write(bulk, conn_.get(), {record(3, 10), record(4, 10), record(5, 10)});  // other rows, the same text
  PGresult* r = PQexec(conn_.get(), "SELECT CAST(COUNT(*) AS text) FROM pg_prepared_statements");
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK);
  EXPECT_STREQ(PQgetvalue(r, 0, 0), "1");
  PQclear(r);
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS text) FROM properties"), "5");
}

// A prepared statement the session lost (DISCARD ALL, a pooler) fails that transaction, and
// the next one prepares it again.
TEST_F(PgBulkStatementTest, AStatementTheSessionLostIsPreparedAgain) {
  PgBulkStatement bulk;
  write(bulk, conn_.get(), {record(1, 10)});
  PQclear(PQexec(conn_.get(), "DEALLOCATE ALL"));
  EXPECT_THROW(write(bulk, conn_.get(), {record(2, 10)}), soci::soci_error);
  PQclear(PQexec(conn_.get(), "ROLLBACK"));
  bulk.clear();
  write(bulk, conn_.get(), {record(2, 10)});
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS text) FROM properties"), "2");
}

}  // namespace
}  // namespace etl
