// Issue 18.6: one run per database. While `etl run` works, a second one on the same database
// exits 1 at once naming the first; after the first is killed, the next run takes the lock and
// the killed run's row becomes `abandoned`. SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <signal.h>
#include <simdjson.h>

#include "tests/reliability/reliability_support.hpp"
#include "tests/support/pg_server.hpp"

namespace etl::test {
namespace {

// The newest etl_runs row's status and the number of rows, from `etl status --json`.
std::pair<std::string, std::size_t> newest_run(const std::string& db_url) {
  const ProcessResult r = run_process({ETL_BIN, "status", "--json", "--db", db_url});
  if (r.exit_code != 0) return {"", 0};
  simdjson::dom::parser parser;
  const simdjson::dom::array runs = parser.parse(r.out)["runs"].get_array();
  if (runs.size() == 0) return {"", 0};
  return {std::string(runs.at(0)["status"].get_string().value()), runs.size()};
}

std::string status_of_run(const std::string& db_url, std::int64_t id) {
  const ProcessResult r = run_process({ETL_BIN, "status", "--json", "--db", db_url});
  simdjson::dom::parser parser;
  for (const simdjson::dom::element run : parser.parse(r.out)["runs"].get_array())
    if (run["id"].get_int64().value() == id) return std::string(run["status"].get_string().value());
  return "";
}

void second_run_is_refused(const std::string& db_url) {
  // ~290 villas at 100 ms a detail, one worker: the first run takes half a minute.
  ReplicaProcess replica({"--scale", "0.02", "--seed", "81", "--latency-ms", "100"});
  const std::vector<std::string> flags = {"--municipality", "København", "--workers", "1"};
  ChildProcess first(etl_run_argv(replica.base_url(), db_url, flags));
  ASSERT_TRUE(wait_until([&] { return newest_run(db_url).first == "running"; }, std::chrono::seconds(30)))
      << "the first run never began";

  const auto start = std::chrono::steady_clock::now();
  const ProcessResult second = run_process(etl_run_argv(replica.base_url(), db_url, flags));
  EXPECT_LT(elapsed_ms(start), 5000) << "refused at once, not after fetching";
  EXPECT_EQ(second.exit_code, 1) << second.err;
  const std::string holder = "another run holds the database (pid " + std::to_string(first.pid()) + "): run #1, started ";
  EXPECT_NE(second.err.find(holder), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("--municipality København"), std::string::npos) << "names the holder's command: " << second.err;
  EXPECT_EQ(second.err.find('\n'), second.err.size() - 1) << "one line: " << second.err;
  EXPECT_EQ(newest_run(db_url).second, 1u) << "the refused run records no row";

  first.send_signal(SIGKILL);
  EXPECT_EQ(first.wait(std::chrono::seconds(30)).signal, SIGKILL);
  EXPECT_EQ(status_of_run(db_url, 1), "running") << "until a run takes the lock";
  std::vector<std::string> quick = flags;
  quick.insert(quick.end(), {"--limit", "3"});
  const ProcessResult next = run_process(etl_run_argv(replica.base_url(), db_url, quick));
  EXPECT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(status_of_run(db_url, 1), "abandoned");
}

TEST(RunLockE2E, ASecondRunOnASqliteDatabaseExitsAtOnceNamingTheFirst) {
  TempDir dir;
  second_run_is_refused("sqlite:" + dir.file("etl.db"));
}

TEST(RunLockE2E, ASecondRunOnAPostgresDatabaseExitsAtOnceNamingTheFirst) {
  second_run_is_refused(PgServer::shared().fresh_database());
}

}  // namespace
}  // namespace etl::test
