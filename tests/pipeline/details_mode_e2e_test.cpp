// `--details never`: properties straight from the search pages, 50 per request; only listed
// ones are fetched, since search items are not known to carry listings. The first two run
// the replica with `--search-items full` (each item equals its detail, the optimistic case)
// on purpose: they test the search-only path, not what lean items leave out (the refresh
// convergence test runs --details never with lean items, and so does the last one here: what
// a run does with the details stored before it).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <set>

#include "tests/pipeline/etl_run_fixture.hpp"
#include "tests/support/db_dump.hpp"

namespace etl {
namespace {

using test::EtlRunTest;
using test::ReplicaProcess;

TEST_F(EtlRunTest, DetailsNeverAndAlwaysGiveTheSameDatabase) {
  ReplicaProcess replica({"--scale", "0.02", "--search-items", "full"});
  ASSERT_EQ(etl({"--area", "kobenhavn", "--details", "always"}, replica, sqlite_url("always.db")).exit_code, 0);
  replica.post("/__stats/reset");
  const auto never = etl({"--area", "kobenhavn", "--details", "never", "--summary-json", dir.file("s.json")}, replica,
                         sqlite_url("never.db"));
  ASSERT_EQ(never.exit_code, 0) << never.err;
  const auto listed = test::stored_ids(dir.file("always.db"), "is_on_market = 1");
  ASSERT_GE(listed.size(), 2u);
  EXPECT_EQ(test::replica_stat(replica, "detail"), static_cast<std::int64_t>(listed.size()));
  const std::int64_t searches = test::replica_stat(replica, "search");
  const auto loaded = test::count_rows(sqlite_url("never.db"), "properties");
  EXPECT_GT(loaded, 250);
  EXPECT_LE(searches * 100, loaded * 3) << "at most 0.03 search requests per property";
  EXPECT_EQ(test::canonical_dump(sqlite_url("never.db")), test::canonical_dump(sqlite_url("always.db")));

  // The mode and requests per property are in the summary and in etl_runs.
  simdjson::dom::parser parser;
  const auto summary = parser.load(dir.file("s.json"));
  EXPECT_EQ(std::string(summary["details"].get_string().value()), "never");
  EXPECT_LE(summary["api"]["requests_per_loaded_property"].get_double().value(), 0.1);
  SQLite::Database db(dir.file("never.db"));
  EXPECT_EQ(db.execAndGet("SELECT details_mode FROM etl_runs ORDER BY id DESC LIMIT 1").getString(), "never");
}

TEST_F(EtlRunTest, DetailsNeverRerunRewritesNothing) {
  const std::string db = sqlite_url("n.db");
  ReplicaProcess replica({"--scale", "0.05", "--seed", "5", "--epoch", "0", "--search-items", "full"});
  ASSERT_EQ(etl({"--area", "kobenhavn", "--details", "never"}, replica, db).exit_code, 0);
  const std::string before = test::canonical_dump(db);
  SQLite::Database sql(dir.file("n.db"));
  const std::string fetched_before = sql.execAndGet("SELECT MAX(fetched_at) FROM properties").getString();
  replica.post("/__stats/reset");
  const auto r = etl({"--area", "kobenhavn", "--details", "never"}, replica, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::canonical_dump(db), before);
  EXPECT_EQ(sql.execAndGet("SELECT MAX(fetched_at) FROM properties").getString(), fetched_before) << "no row rewritten";
  EXPECT_EQ(test::replica_stat(replica, "detail"), 0);
}

// With lean search items (the real API's): a --details never run stores what a clean
// --details never import stores: the search item of every unlisted property (also over a
// detail stored earlier), and the end of a listing that ended. (A saved search item that
// import-json reads never replaces a detail: tests/replay/import_json_test.cpp.)
TEST_F(EtlRunTest, DetailsNeverStoresWhatACleanDetailsNeverImportStoresAndEndsEndedListings) {
  const std::vector<std::string> market = {"--scale", "0.2", "--seed", "39"};
  const std::string db = sqlite_url("d.db");
  {
    std::vector<std::string> args = market;
    args.insert(args.end(), {"--epoch", "0"});
    ReplicaProcess night0(args);
    ASSERT_EQ(etl({"--area", "kobenhavn"}, night0, db).exit_code, 0);
  }
  // As import-json or a nightly refresh leaves them, without search hashes: the run loads
  // every property's search item (a stored search hash would skip the unchanged ones).
  test::exec_sql(db, {"UPDATE properties SET search_hash = NULL"});
  const auto before = test::stored_ids(dir.file("d.db"));
  const auto listed_before = test::stored_ids(dir.file("d.db"), "is_on_market = 1");
  ASSERT_EQ(test::stored_ids(dir.file("d.db"), "is_on_market IS NULL").size(), 0u) << "details only";

  std::vector<std::string> args = market;
  args.insert(args.end(), {"--epoch", "1"});
  ReplicaProcess night1(args);
  ASSERT_EQ(etl({"--area", "kobenhavn"}, night1, sqlite_url("clean.db")).exit_code, 0);
  const auto ended = [&] {
    std::set<std::string> out;
    const auto listed = test::stored_ids(dir.file("clean.db"), "is_on_market = 1");
    for (const std::string& id : listed_before)
      if (!listed.contains(id)) out.insert(id);
    return out;
  }();
  ASSERT_FALSE(ended.empty()) << "the night must end a listing";
  const auto r = etl({"--area", "kobenhavn", "--details", "never"}, night1, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  EXPECT_EQ(test::stored_ids(dir.file("d.db"), "is_on_market = 1 AND removed_at IS NULL"),
            test::stored_ids(dir.file("clean.db"), "is_on_market = 1"));
  // Every unlisted property holds its search item, the ended listings' among them.
  EXPECT_EQ(test::stored_ids(dir.file("d.db"), "is_on_market IS NULL AND removed_at IS NULL"),
            test::stored_ids(dir.file("clean.db"), "is_on_market = 0"));
  EXPECT_EQ(test::query_rows(db, "SELECT COUNT(*) FROM cases WHERE ended_at IS NULL AND address_id IN (SELECT address_id "
                                 "FROM properties WHERE is_on_market IS NULL)"),
            (std::vector<std::vector<std::string>>{{"0"}}))
      << "no search item keeps an open case";
}

}  // namespace
}  // namespace etl
