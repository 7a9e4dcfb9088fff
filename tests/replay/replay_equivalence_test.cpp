// The real fixtures loaded with `etl import-json` and with `etl run` against
// `replica-api --payload-dir` give the same database, in SQLite and in PostgreSQL.
#include <gtest/gtest.h>
#include <simdjson.h>


#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/pipeline/etl_run_fixture.hpp"
#include "tests/replay/replay_fixtures.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"

namespace etl {
namespace {

using test::import_json;
using test::kFixturesDir;
using test::ReplicaProcess;

constexpr int kExitWithFailures = 3;

// A run also stores what the search showed of each property (search_hash); an import of
// saved payloads saw no search. The rest must be the same.
std::string dump(const std::string& db_url) {
  std::string out = test::canonical_dump(db_url);
  for (auto at = out.find(" | search_hash="); at != std::string::npos; at = out.find(" | search_hash=", at))
    out.erase(at, out.find('\n', at) - at);
  return out;
}

class ReplayEquivalenceTest : public test::EtlRunTest {
 protected:
  // Every address of the fixtures is in Aarhus; some have no addressType, so ask for all types.
  test::ProcessResult run_aarhus(const ReplicaProcess& replica, const std::string& db_url, const std::string& details) {
    return etl({"--municipality", "Aarhus", "--address-types", "all", "--details", details}, replica, db_url);
  }

  const std::vector<std::string> fixtures = test::address_fixture_files();
};

// registration ID -> the addresses whose payload lists it, read from the files with simdjson.
std::map<std::string, std::set<std::string>> registration_owners(const std::vector<std::string>& files) {
  std::map<std::string, std::set<std::string>> owners;
  simdjson::dom::parser parser;
  for (const auto& file : files) {
    const simdjson::dom::element doc = parser.load(file);
    const std::string address(doc["addressID"].get_string().value());
    simdjson::dom::array registrations;
    if (doc["registrations"].get_array().get(registrations)) continue;
    for (const simdjson::dom::element r : registrations) {
      std::string_view text;
      std::int64_t number = 0;
      if (!r["registrationID"].get_string().get(text)) {
        owners[std::string(text)].insert(address);
      } else if (!r["registrationID"].get_int64().get(number)) {
        owners[std::to_string(number)].insert(address);
      }
    }
  }
  return owners;
}

TEST_F(ReplayEquivalenceTest, ImportJsonAndRunAgainstThePayloadDirGiveTheSameDatabase) {
  const auto files = import_json(fixtures, sqlite_url("files.db"));
  ASSERT_EQ(files.exit_code, 0) << files.err;
  test::expect_payloads_equal_files(sqlite_url("files.db"), fixtures);
  const std::string expected = dump(sqlite_url("files.db"));

  // The folder itself: case-offering.json (a listing case) is a failure recorded with its name.
  const auto folder = import_json({kFixturesDir}, sqlite_url("folder.db"));
  EXPECT_EQ(folder.exit_code, kExitWithFailures) << folder.err;
  EXPECT_EQ(dump(sqlite_url("folder.db")), expected);
  const auto failures = test::query_rows(sqlite_url("folder.db"), "SELECT source, stage FROM etl_failures");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0][0], kFixturesDir + "/case-offering.json");
  EXPECT_EQ(failures[0][1], "import");

  // Details fetched one by one, and search items loaded as they are: the same rows either way.
  ReplicaProcess replica({"--payload-dir", kFixturesDir});
  for (const std::string details : {"always", "never"}) {
    const std::string db = sqlite_url("run-" + details + ".db");
    const auto run = run_aarhus(replica, db, details);
    ASSERT_EQ(run.exit_code, 0) << details << "\n" << run.err;
    test::expect_payloads_equal_files(db, fixtures);
    EXPECT_EQ(dump(db), expected) << "--details " << details;
  }
}

TEST_F(ReplayEquivalenceTest, PostgresHoldsWhatSqliteHolds) {
  ASSERT_EQ(import_json(fixtures, sqlite_url("files.db")).exit_code, 0);
  const std::string expected = dump(sqlite_url("files.db"));

  const std::string imported = test::PgServer::shared().fresh_database();
  const auto files = import_json(fixtures, imported);
  ASSERT_EQ(files.exit_code, 0) << files.err;
  EXPECT_EQ(dump(imported), expected);

  const std::string fetched = test::PgServer::shared().fresh_database();
  ReplicaProcess replica({"--payload-dir", kFixturesDir});
  const auto run = run_aarhus(replica, fetched, "always");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(dump(fetched), expected);
}

TEST_F(ReplayEquivalenceTest, RegistrationSharedByAddressesIsStoredUnderEachOfThem) {
  ASSERT_EQ(import_json(fixtures, sqlite_url("files.db")).exit_code, 0);
  const auto expected = registration_owners(fixtures);
  ASSERT_TRUE(std::any_of(expected.begin(), expected.end(), [](const auto& e) { return e.second.size() > 1; }))
      << "the fixtures should share a registration ID between addresses";

  std::map<std::string, std::set<std::string>> stored;
  for (const auto& row : test::query_rows(sqlite_url("files.db"), "SELECT registration_id, address_id FROM registrations")) {
    stored[row[0]].insert(row[1]);
  }
  EXPECT_EQ(stored, expected);
}

}  // namespace
}  // namespace etl
