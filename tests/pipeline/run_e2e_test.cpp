// End to end: the real `etl` binary against the real replica-api over loopback HTTP, into
// real SQLite files (and a real PostgreSQL server for the dialect check).
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "tests/pipeline/etl_run_fixture.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"

namespace etl {
namespace {

using test::EtlRunTest;
using test::ProcessResult;
using test::ReplicaProcess;
using test::area_names;
using test::kConfig;
using test::replica_ids;
using test::replica_stat;
using test::stored_ids;

// One municipality row of `etl status`, as it prints it.
std::string fmt_row(const std::string& name, int code, std::size_t properties, std::size_t on_market) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%5d %10zu %10zu %8d", code, properties, on_market, 0);
  return name + std::string(20 - 9, ' ') + " " + buf;  // "København" is 9 characters wide
}

TEST_F(EtlRunTest, ImportEqualsReplicaThenRerunFetchesNothing) {
  ReplicaProcess replica({"--scale", "0.001", "--seed", "7"});
  const std::string db = sqlite_url("a.db");
  const ProcessResult first = etl({"--area", "copenhagen", "--summary-json", dir.file("s.json")}, replica, db);
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;

  const std::set<std::string> expected = replica_ids(replica, area_names("copenhagen"));
  ASSERT_GT(expected.size(), 150u);
  EXPECT_EQ(stored_ids(dir.file("a.db")), expected);

  // A sample compared field by field with the detail endpoint.
  SQLite::Database sql(dir.file("a.db"));
  simdjson::dom::parser parser;
  int compared = 0;
  for (auto it = expected.begin(); it != expected.end() && compared < 12; std::advance(it, 13), ++compared) {
    const std::string body = replica.get("/addresses/" + *it);
    const simdjson::dom::element d = parser.parse(body);
    SQLite::Statement q(sql,
                        "SELECT road_name, zip_code, municipality_code, latitude, longitude, living_area, "
                        "latest_valuation, raw_json, (SELECT COUNT(*) FROM buildings b WHERE b.address_id = p.address_id) "
                        "FROM properties p JOIN property_payloads USING (address_id) WHERE address_id = ?");
    q.bind(1, *it);
    ASSERT_TRUE(q.executeStep()) << *it;
    EXPECT_EQ(q.getColumn(0).getString(), std::string(d["roadName"].get_string().value()));
    EXPECT_EQ(q.getColumn(1).getInt64(), d["zipCode"].get_int64().value());
    EXPECT_EQ(q.getColumn(2).getInt64(), d["municipality"]["municipalityCode"].get_int64().value());
    EXPECT_DOUBLE_EQ(q.getColumn(3).getDouble(), d["coordinates"]["lat"].get_double().value());
    EXPECT_DOUBLE_EQ(q.getColumn(4).getDouble(), d["coordinates"]["lon"].get_double().value());
    EXPECT_EQ(q.getColumn(5).getInt64(), static_cast<std::int64_t>(d["livingArea"].get_double().value()));
    EXPECT_EQ(q.getColumn(6).getInt64(), static_cast<std::int64_t>(d["latestValuation"].get_double().value()));
    EXPECT_EQ(q.getColumn(7).getString(), body);
    simdjson::dom::array buildings;
    const std::size_t n_buildings = d["buildings"].get(buildings) ? 0 : buildings.size();
    EXPECT_EQ(static_cast<std::size_t>(q.getColumn(8).getInt64()), n_buildings) << *it;
  }
  EXPECT_GE(compared, 10);

  // Nothing new: zero detail requests and no row changed.
  const std::string before = test::canonical_dump(db);
  replica.post("/__stats/reset");
  const ProcessResult again = etl({"--area", "copenhagen"}, replica, db);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(replica_stat(replica, "detail"), 0);
  EXPECT_EQ(test::canonical_dump(db), before);
}

// The replica's default order shifts from request to request, as the real API's is reported
// to, and a cap of 100 results per query makes most municipalities partition: a clean import
// still stores exactly the properties the replica lists, in both dialects.
TEST_F(EtlRunTest, CleanImportUnderAShiftingOrderStoresEveryPropertyOnce) {
  const std::vector<std::string> area = area_names("copenhagen");
  ReplicaProcess uncapped({"--scale", "0.01", "--seed", "21"});
  const std::set<std::string> expected = replica_ids(uncapped, area);
  ASSERT_GT(expected.size(), 2000u);
  ReplicaProcess replica({"--scale", "0.01", "--seed", "21", "--max-results", "100"});
  const std::string pg_url = test::PgServer::shared().fresh_database();
  for (const std::string& db : {sqlite_url("shift.db"), pg_url}) {
    const ProcessResult r = etl({"--area", "copenhagen", "--max-results", "100", "--summary-json", dir.file("s.json")},
                                replica, db);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    simdjson::dom::parser parser;
    const auto summary = parser.load(dir.file("s.json"));
    EXPECT_EQ(summary["totals"]["shortfall"].get_int64().value(), 0);
    std::set<std::string> stored;
    for (const auto& row : test::query_rows(db, "SELECT address_id FROM properties")) stored.insert(row.at(0));
    EXPECT_EQ(stored, expected) << db.substr(0, db.find(':'));
  }
}

// `--refresh on-market` reads the listings (/search/cases), not the address search, and
// fetches exactly the properties whose listings changed overnight: new listings (of stored
// and of unknown properties), ended ones (a sale's registration, or a removal) and price
// changes. What stayed the same costs no request.
TEST_F(EtlRunTest, EpochOneOnMarketRefreshFetchesOnlyChangedListings) {
  const std::string db = sqlite_url("e.db");
  {
    ReplicaProcess replica({"--scale", "0.2", "--seed", "11", "--epoch", "0"});
    const ProcessResult first = etl({"--area", "kobenhavn"}, replica, db);
    ASSERT_EQ(first.exit_code, 0);
    // A first import's listings are all "changed": not a line each at info.
    EXPECT_EQ(first.err.find("whose listings changed"), std::string::npos) << first.err;
  }
  // address -> its open cases "caseID:price", as stored before the night and as listed after it.
  std::map<std::string, std::set<std::string>> stored_cases, listed_cases;
  for (const auto& r : test::query_rows(db, "SELECT address_id, case_id, price_cash FROM cases"))
    stored_cases[r[0]].insert(r[1] + ":" + r[2]);
  ReplicaProcess replica({"--scale", "0.2", "--seed", "11", "--epoch", "1"});
  simdjson::dom::parser parser;
  const simdjson::dom::element page = parser.parse(
      replica.get("/search/cases?municipalities=K%C3%B8benhavn&addressTypes=villa&sortBy=address&per_page=500&page=1"));
  ASSERT_LT(page["totalHits"].get_int64().value(), 500);
  for (simdjson::dom::element c : page["cases"].get_array()) {
    listed_cases[std::string(c["address"]["addressID"].get_string().value())].insert(
        std::string(c["caseID"].get_string().value()) + ":" + std::to_string(c["priceCash"].get_int64().value()));
  }
  std::set<std::string> changed;
  for (const auto& [id, cases] : listed_cases)
    if (stored_cases[id] != cases) changed.insert(id);
  for (const auto& [id, cases] : stored_cases)
    if (!cases.empty() && !listed_cases.contains(id)) changed.insert(id);
  ASSERT_GE(changed.size(), 2u);

  const ProcessResult r = etl({"--area", "kobenhavn", "--refresh", "on-market"}, replica, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("København: " + std::to_string(changed.size()) + " addresses whose listings changed"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(replica_stat(replica, "detail"), static_cast<std::int64_t>(changed.size()));
  EXPECT_EQ(replica_stat(replica, "search"), 0) << "the address search is not paged";

  // Now stored: exactly the listed cases, and each changed property's epoch 1 payload.
  std::map<std::string, std::set<std::string>> now_stored;
  for (const auto& row : test::query_rows(db, "SELECT c.address_id, c.case_id, c.price_cash FROM cases c "
                                              "JOIN properties p USING (address_id) WHERE p.removed_at IS NULL AND c.ended_at IS NULL"))
    now_stored[row[0]].insert(row[1] + ":" + row[2]);
  EXPECT_EQ(now_stored, listed_cases);
  SQLite::Database sql(dir.file("e.db"));
  for (const std::string& id : changed) {
    const auto reply = replica.request("/addresses/" + id);
    SQLite::Statement q(sql, "SELECT raw_json, removed_at IS NOT NULL FROM properties JOIN property_payloads USING (address_id) "
                             "WHERE address_id = ?");
    q.bind(1, id);
    ASSERT_TRUE(q.executeStep()) << id;
    if (reply.status == 404) {
      EXPECT_EQ(q.getColumn(1).getInt(), 1) << id << " vanished: removed";
    } else {
      EXPECT_EQ(q.getColumn(0).getString(), reply.body) << id;
    }
  }
}

// A run of another address type sees only its own: the villas a villa run stored are not its
// to diff or to check for removal (scope), so nothing is fetched and nothing is removed.
TEST_F(EtlRunTest, AnotherAddressTypeLeavesTheStoredPropertiesAlone) {
  ReplicaProcess replica({"--scale", "0.05", "--seed", "4"});
  const std::string db = sqlite_url("z.db");
  ASSERT_EQ(etl({"--area", "kobenhavn"}, replica, db).exit_code, 0);
  const auto listed = stored_ids(dir.file("z.db"), "is_on_market = 1");
  ASSERT_GT(listed.size(), 3u);
  for (const char* refresh : {"none", "on-market"}) {
    replica.post("/__stats/reset");
    const ProcessResult r = etl({"--area", "kobenhavn", "--address-types", "condo", "--refresh", refresh}, replica, db);
    ASSERT_EQ(r.exit_code, 0) << refresh << ": " << r.err;  // only villas exist: no condo anywhere
    EXPECT_EQ(replica_stat(replica, "detail"), 0) << refresh;
    EXPECT_EQ(stored_ids(dir.file("z.db"), "is_on_market = 1"), listed) << refresh;
    EXPECT_TRUE(stored_ids(dir.file("z.db"), "removed_at IS NOT NULL").empty()) << refresh;
  }
}

// A name the API does not know finds nothing, where its properties and listings are stored:
// that is told from a municipality whose listings ended by the address search's totalHits
// (one request), and it is a recorded failure of the municipality (exit 3, a pending
// failure, an alert), never a quiet `completed` that ends every stored listing.
TEST_F(EtlRunTest, AMunicipalityWhoseSearchFindsNothingWhereListingsAreStoredIsAFailure) {
  ReplicaProcess replica({"--scale", "0.2", "--seed", "1"});
  const std::string db = sqlite_url("n.db");
  ASSERT_EQ(etl({"--municipality", "Dragør"}, replica, db).exit_code, 0);
  const auto listed = stored_ids(dir.file("n.db"), "is_on_market = 1");
  ASSERT_GT(listed.size(), 0u);
  const std::string config = dir.file("misspelt.yaml");
  std::ofstream(config) << "municipalities:\n  - code: 155\n    name: Dragoer\n    region: Region Hovedstaden\n"
                           "    zip_codes: [\"2791\"]\nareas: {}\n";
  for (const char* refresh : {"on-market", "none"}) {
    replica.post("/__stats/reset");
    const ProcessResult r =
        test::run_process({ETL_BIN, "run", "--config", config, "--municipality", "Dragoer", "--refresh", refresh,
                           "--api-url", replica.base_url(), "--db", db, "--progress", "none", "--max-rps", "0"});
    EXPECT_EQ(r.exit_code, 3) << refresh << ": " << r.err;
    EXPECT_NE(r.err.find("finds nothing in Dragoer although"), std::string::npos) << r.err;
    EXPECT_EQ(replica_stat(replica, "detail"), 0) << refresh;
    EXPECT_EQ(replica_stat(replica, "search"), 1) << refresh << ": one count, no address pages";
    EXPECT_EQ(stored_ids(dir.file("n.db"), "is_on_market = 1"), listed) << refresh;
    EXPECT_TRUE(stored_ids(dir.file("n.db"), "removed_at IS NOT NULL").empty()) << refresh;
  }
  const ProcessResult status = test::run_process({ETL_BIN, "status", "--db", db, "--json"});
  simdjson::dom::parser parser;
  EXPECT_EQ(parser.parse(status.out)["alerts"]["pending_failures"].get_int64().value(), 1) << status.out;
}

// One municipality named three ways is one municipality: searched and fetched once.
TEST_F(EtlRunTest, AMunicipalityNamedTwiceIsSearchedOnce) {
  ReplicaProcess replica({"--scale", "0.05", "--seed", "4"});
  const std::string db = sqlite_url("twice.db");
  const ProcessResult r = etl({"--municipality", "Dragør", "--municipality", "dragoer", "--municipality", "DRAGØR",
                               "--summary-json", dir.file("s.json")},
                              replica, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(replica_stat(replica, "search_cases"), 1);
  EXPECT_EQ(replica_stat(replica, "detail"), test::count_rows(db, "properties"));
  simdjson::dom::parser parser;
  EXPECT_EQ(parser.load(dir.file("s.json"))["municipalities"].get_array().size(), 1u);
}

// A nightly refresh reads only the listings: into a database that holds none of the area's
// properties it would quietly store the listed ones alone. It warns, before discovery,
// naming the plain import that comes first; once that is done, it does not.
TEST_F(EtlRunTest, ANightlyRefreshOfAnAreaTheDatabaseLacksSaysToImportItFirst) {
  ReplicaProcess replica({"--scale", "0.005", "--seed", "4"});
  const std::string db = sqlite_url("first.db");
  const std::string warning = " warning the database holds none of the properties of ";
  const ProcessResult nightly = etl({"--area", "kobenhavn", "--refresh", "on-market", "-v"}, replica, db);
  ASSERT_EQ(nightly.exit_code, 0) << nightly.err;
  const auto warned = nightly.err.find(warning);
  ASSERT_NE(warned, std::string::npos) << nightly.err;
  const std::string line = nightly.err.substr(warned, nightly.err.find('\n', warned) - warned);
  EXPECT_NE(line.find("`etl run --area kobenhavn`"), std::string::npos) << "names the command: " << line;
  EXPECT_LT(warned, nightly.err.find("/search/cases?")) << "before discovery: " << nightly.err;
  const ProcessResult municipality = etl({"--municipality", "Dragør", "--refresh", "on-market"}, replica,
                                         sqlite_url("other.db"));
  EXPECT_NE(municipality.err.find("`etl run --municipality Dragør`"), std::string::npos) << municipality.err;

  const ProcessResult plain = etl({"--area", "kobenhavn"}, replica, db);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.err.find(warning), std::string::npos) << "the import itself: " << plain.err;
  const ProcessResult next = etl({"--area", "kobenhavn", "--refresh", "on-market"}, replica, db);
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(next.err.find(warning), std::string::npos) << next.err;
}

TEST_F(EtlRunTest, LimitLoadsExactlyThatMany) {
  ReplicaProcess replica({"--scale", "0.002"});
  const std::string db = sqlite_url("l.db");
  const ProcessResult r = etl({"--area", "copenhagen", "--limit", "100"}, replica, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::count_rows(db, "properties"), 100);
  EXPECT_EQ(replica_stat(replica, "detail"), 100);
}

TEST_F(EtlRunTest, LimitStopsDiscoveryOnceEnoughIdsAreFound) {
  // One worker is never short of work, so only the limit can end discovery early: without
  // it, search pages would be requested until a 1,000-ID lookup chunk had filled (20 pages).
  ReplicaProcess replica({"--scale", "0.15", "--latency-ms", "20"});
  const ProcessResult r = etl({"--municipality", "København", "--limit", "120", "--workers", "1"}, replica,
                              sqlite_url("l1.db"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(replica_stat(replica, "detail"), 120);
  // The preflight, pages 1-3 (150 IDs), and pages 4-7, sent by the 4-page window meanwhile.
  EXPECT_LE(replica_stat(replica, "search"), 8);
}

TEST_F(EtlRunTest, DryRunWritesNothing) {
  ReplicaProcess replica({"--scale", "0.01"});
  const ProcessResult fresh = etl({"--area", "kobenhavn", "--dry-run"}, replica, sqlite_url("d.db"));
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("d.db")));
  const auto expected = replica_ids(replica, {"København"});
  std::set<std::string> printed;
  std::istringstream lines(fresh.out);
  for (std::string l; std::getline(lines, l);) printed.insert(l);
  EXPECT_EQ(printed, expected);
  EXPECT_EQ(replica_stat(replica, "detail"), 0);

  // Against an existing database: the stored ones are not listed and nothing changes.
  const std::string db = sqlite_url("d2.db");
  ASSERT_EQ(etl({"--area", "kobenhavn", "--limit", "40"}, replica, db).exit_code, 0);
  const std::string before = test::canonical_dump(db);
  const auto runs_before = test::count_rows(db, "etl_runs");
  const ProcessResult dry = etl({"--area", "kobenhavn", "--dry-run"}, replica, db);
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(std::count(dry.out.begin(), dry.out.end(), '\n'), static_cast<long>(expected.size()) - 40);
  EXPECT_EQ(test::canonical_dump(db), before);
  EXPECT_EQ(test::count_rows(db, "etl_runs"), runs_before);
}

TEST_F(EtlRunTest, WorkerCountDoesNotChangeTheResult) {
  ReplicaProcess replica({"--scale", "0.01"});
  ASSERT_EQ(etl({"--area", "kobenhavn", "--workers", "1", "--batch-size", "7"}, replica, sqlite_url("w1.db")).exit_code, 0);
  ASSERT_EQ(etl({"--area", "kobenhavn", "--workers", "64"}, replica, sqlite_url("w64.db")).exit_code, 0);
  const std::string one = test::canonical_dump(sqlite_url("w1.db"));
  EXPECT_GT(test::count_rows(sqlite_url("w1.db"), "properties"), 100);
  EXPECT_EQ(one, test::canonical_dump(sqlite_url("w64.db")));
}

TEST_F(EtlRunTest, TwoShardsEqualOneRun) {
  ReplicaProcess replica({"--scale", "0.01"});
  ASSERT_EQ(etl({"--area", "kobenhavn"}, replica, sqlite_url("whole.db")).exit_code, 0);
  ASSERT_EQ(etl({"--area", "kobenhavn", "--shard", "1/2"}, replica, sqlite_url("shards.db")).exit_code, 0);
  const auto half = test::count_rows(sqlite_url("shards.db"), "properties");
  ASSERT_EQ(etl({"--area", "kobenhavn", "--shard", "2/2"}, replica, sqlite_url("shards.db")).exit_code, 0);
  const auto whole = test::count_rows(sqlite_url("whole.db"), "properties");
  EXPECT_GT(half, whole / 4);
  EXPECT_LT(half, whole * 3 / 4);
  EXPECT_EQ(test::canonical_dump(sqlite_url("shards.db")), test::canonical_dump(sqlite_url("whole.db")));
}

TEST_F(EtlRunTest, SigintThenRerunEqualsCleanRun) {
  ReplicaProcess replica({"--scale", "0.002", "--latency-ms", "100"});
  ASSERT_EQ(etl({"--area", "copenhagen", "--workers", "32"}, replica, sqlite_url("clean.db")).exit_code, 0);

  const std::string db = sqlite_url("int.db");
  test::ChildProcess child({ETL_BIN, "run", "--config", kConfig, "--api-url", replica.base_url(), "--db", db, "--progress",
                            "none", "--area", "copenhagen", "--workers", "4", "--batch-size", "10", "--max-rps", "0"});
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  const auto t0 = std::chrono::steady_clock::now();
  child.send_signal(SIGINT);
  const ProcessResult stopped = child.wait(std::chrono::seconds(30));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(6)) << "stops within the request timeout";
  ASSERT_EQ(stopped.exit_code, 130) << stopped.err;
  const auto partial = test::count_rows(db, "properties");
  EXPECT_GT(partial, 0);
  EXPECT_LT(partial, test::count_rows(sqlite_url("clean.db"), "properties"));
  {
    SQLite::Database sql(dir.file("int.db"));
    EXPECT_EQ(sql.execAndGet("SELECT status FROM etl_runs ORDER BY id DESC LIMIT 1").getString(), "interrupted");
  }
  ASSERT_EQ(etl({"--area", "copenhagen", "--workers", "32"}, replica, db).exit_code, 0);
  EXPECT_EQ(test::canonical_dump(db), test::canonical_dump(sqlite_url("clean.db")));
}

// Ctrl-C while discovery is still paging cancels its requests; that is the stop, not a
// failure of the search that the next run would have to retry.
TEST_F(EtlRunTest, SigintDuringDiscoveryRecordsNoFailure) {
  ReplicaProcess replica({"--scale", "0.01", "--latency-ms", "400"});
  const std::string db = sqlite_url("sd.db");
  test::ChildProcess child({ETL_BIN, "run", "--config", kConfig, "--api-url", replica.base_url(), "--db", db, "--progress",
                            "none", "--area", "copenhagen", "--max-rps", "0"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  child.send_signal(SIGINT);
  const ProcessResult stopped = child.wait(std::chrono::seconds(30));
  ASSERT_EQ(stopped.exit_code, 130) << stopped.err;
  SQLite::Database sql(dir.file("sd.db"));
  EXPECT_EQ(sql.execAndGet("SELECT COUNT(*) FROM etl_failures").getInt64(), 0) << stopped.err;
  EXPECT_EQ(sql.execAndGet("SELECT status FROM etl_runs ORDER BY id DESC LIMIT 1").getString(), "interrupted");
}

TEST_F(EtlRunTest, PostgresGetsTheSameDataAsSqlite) {
  const std::string pg_url = test::PgServer::shared().fresh_database();
  ReplicaProcess replica({"--scale", "0.01"});
  ASSERT_EQ(etl({"--area", "kobenhavn"}, replica, sqlite_url("same.db")).exit_code, 0);
  const ProcessResult r = etl({"--area", "kobenhavn", "--workers", "16"}, replica, pg_url);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("secret"), std::string::npos) << "password leaked";
  EXPECT_EQ(r.err.find("secret"), std::string::npos) << "password leaked";
  EXPECT_EQ(test::canonical_dump(pg_url), test::canonical_dump(sqlite_url("same.db")));
}

// --summary-json - is the JSON alone on standard output; one that cannot be written is an
// error and exit 1, though what the run loaded stays.
TEST_F(EtlRunTest, SummaryJsonToStdoutAndAnUnwritableOneIsAnError) {
  ReplicaProcess replica({"--scale", "0.002"});
  const ProcessResult out = etl({"--area", "kobenhavn", "--summary-json", "-"}, replica, sqlite_url("sj.db"));
  ASSERT_EQ(out.exit_code, 0) << out.err;
  simdjson::dom::parser parser;
  const auto summary = parser.parse(out.out);
  EXPECT_EQ(std::string(summary["status"].get_string().value()), "completed") << out.out;
  EXPECT_FALSE(std::filesystem::exists("-"));
  const ProcessResult bad = etl({"--area", "kobenhavn", "--summary-json", "/dev/full"}, replica, sqlite_url("sj2.db"));
  EXPECT_EQ(bad.exit_code, 1) << bad.err;
  EXPECT_NE(bad.err.find("could not write --summary-json"), std::string::npos) << bad.err;
  EXPECT_GT(test::count_rows(sqlite_url("sj2.db"), "properties"), 0);
  // A folder that is not there is a typing mistake found before the run (issue 33).
  const ProcessResult typo = etl({"--area", "kobenhavn", "--summary-json", dir.file("no/such/dir/s.json")}, replica,
                                 sqlite_url("sj3.db"));
  EXPECT_EQ(typo.exit_code, 2) << typo.err;
  EXPECT_NE(typo.err.find("--summary-json: the folder"), std::string::npos) << typo.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("sj3.db")));
}

TEST_F(EtlRunTest, StatusShowsWhatTheDatabaseHolds) {
  ReplicaProcess replica({"--scale", "0.01"});
  const std::string db = sqlite_url("st.db");
  ASSERT_EQ(etl({"--area", "kobenhavn", "--limit", "60"}, replica, db).exit_code, 0);
  const ProcessResult r = test::run_process({ETL_BIN, "status", "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto on_market = test::stored_ids(dir.file("st.db"), "is_on_market = 1").size();
  EXPECT_NE(r.out.find(fmt_row("København", 101, 60, on_market)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("completed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--limit 60"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pending failures: 0"), std::string::npos) << r.out;
}

TEST_F(EtlRunTest, BadFlagsAreUsageErrors) {
  ReplicaProcess replica({"--scale", "0.001"});
  for (const auto& bad : std::vector<std::vector<std::string>>{{"--area", "copenhagen", "--workers", "0"},
                                                               {"--area", "copenhagen", "--batch-size", "-1"},
                                                               {"--area", "copenhagen", "--refresh", "stale:xyz"},
                                                               {"--area", "copenhagen", "--shard", "3/2"},
                                                               {}}) {
    const ProcessResult r = etl(bad, replica, sqlite_url("bad.db"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.file("bad.db")));
  const ProcessResult unknown = etl({"--area", "atlantis"}, replica, sqlite_url("bad.db"));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown area 'atlantis'"), std::string::npos) << unknown.err;
}

// A failure of an import-json file belongs to the file: no run can fetch it (retry_source
// leaves stage import out), so a run requests nothing for it and it stays pending, unchanged,
// until the file is imported again or the failure cleared.
TEST_F(EtlRunTest, ARunNeverRetriesAnImportJsonFailure) {
  ReplicaProcess replica({"--scale", "0.001", "--seed", "3"});
  const std::string db = sqlite_url("i.db");
  { std::ofstream(dir.file("bad.json")) << R"([{"addressID": "cut short")"; }
  const ProcessResult imported = test::run_process({ETL_BIN, "import-json", "--db", db, dir.file("bad.json")});
  ASSERT_EQ(imported.exit_code, 3) << imported.out << imported.err;
  const auto pending = [&] {
    const ProcessResult r = test::run_process({ETL_BIN, "failures", "--json", "--db", db});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  const std::string before = pending();
  ASSERT_NE(before.find(R"("id":"file:)" + dir.file("bad.json")), std::string::npos) << before;
  ASSERT_NE(before.find(R"("stage":"import")"), std::string::npos) << before;

  const ProcessResult run = etl({"--area", "kobenhavn", "-v"}, replica, db);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("debug GET "), std::string::npos) << "-v logs every request: " << run.err;
  EXPECT_EQ(run.err.find("file:"), std::string::npos) << "a request for the file's failure: " << run.err;
  EXPECT_EQ(run.err.find("retrying"), std::string::npos) << run.err;
  EXPECT_EQ(pending(), before) << "still pending, not attempted again";
}

TEST_F(EtlRunTest, UnreachableApiIsFatal) {
  ReplicaProcess replica({"--scale", "0.001"});
  std::vector<std::string> argv = {ETL_BIN, "run", "--config", kConfig, "--api-url", "http://127.0.0.1:9", "--db",
                                   sqlite_url("u.db"), "--progress", "none", "--retries", "1", "--area", "kobenhavn"};
  const ProcessResult r = test::run_process(argv);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("API unreachable"), std::string::npos) << r.err;
}

// Polite by default (issue 16 item 5): without --max-rps a run sends at most 10 requests a
// second, so ~33 requests to a replica that answers at once take over 2 s (a burst of at most
// 10 allowed); the summary says the limit it ran under.
TEST_F(EtlRunTest, TenRequestsASecondByDefault) {
  ReplicaProcess replica({"--scale", "0.05", "--seed", "2"});
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult r = test::run_process({ETL_BIN, "run", "--config", test::kConfig, "--api-url", replica.base_url(),
                                             "--db", sqlite_url("polite.db"), "--progress", "none", "--municipality",
                                             "København", "--limit", "30", "--summary-json", "-"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"max_rps\":10,"), std::string::npos) << r.out;
  simdjson::dom::parser parser;
  const std::int64_t requests = parser.parse(r.out)["api"]["requests"].get_int64().value();
  ASSERT_GE(requests, 31);
  EXPECT_GE(seconds, static_cast<double>(requests - 10) / 10.0) << requests << " requests";
}

}  // namespace
}  // namespace etl
