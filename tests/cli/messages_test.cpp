// What the subcommands say reads as written by someone who checked (issue 31): a count with its
// noun in the right number ("1 file", "0 pending failures", never "1 file(s)"), `etl migrate`
// says how many migrations it applied and "up to date" only when it applied none, and `etl
// status` says when there are no runs yet instead of printing an empty list.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <tuple>

#include "loaders/migrations.hpp"
#include "loaders/store.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {
namespace {

const std::string kFixture = std::string(ETL_FIXTURES_DIR) + "/address-0a3f50c2-b95c-32b8-e044-0003ba298018.json";

ProcessResult etl(std::vector<std::string> args) {
  args.insert(args.begin(), ETL_BIN);
  return run_process(args, {{"ETL_DB_URL", ""}});
}

TEST(Messages, MigrateSaysWhatItApplied) {
  TempDir dir;
  const std::string pg = PgServer::shared().fresh_database();
  for (const auto& [db, dialect, folder] : {std::tuple{"sqlite:" + dir.file("etl.db"), "sqlite", "sqlite"},
                                            std::tuple{pg, "postgresql", "postgres"}}) {
    const auto migrations = loaders_detail::migrations_for(folder);
    ASSERT_GT(migrations.size(), 1u);
    const ProcessResult first = etl({"migrate", "--db", db});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(first.out, fmt::format("{}: applied {} migrations; schema at version {} ({})\n", redact_db_url(db),
                                     migrations.size(), migrations.back().version, dialect));
    const ProcessResult again = etl({"migrate", "--db", db});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out,
              fmt::format("{}: schema is up to date at version {} ({})\n", redact_db_url(db), migrations.back().version,
                          dialect));
  }
}

TEST(Messages, StatusSaysThereAreNoRunsYet) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.file("etl.db");
  ASSERT_EQ(etl({"migrate", "--db", db}).exit_code, 0);
  const ProcessResult empty = etl({"status", "--db", db});
  ASSERT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_NE(empty.out.find("\nlast runs: none yet\n"), std::string::npos) << empty.out;
  ASSERT_EQ(etl({"import-json", "--db", db, kFixture}).exit_code, 0);
  const ProcessResult one = etl({"status", "--db", db});
  EXPECT_NE(one.out.find("\nlast runs:\n  #1 "), std::string::npos) << one.out;
}

TEST(Messages, CountsHaveTheirNounInTheRightNumber) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.file("etl.db");
  const ProcessResult import = etl({"import-json", "--db", db, kFixture});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  EXPECT_EQ(import.out.rfind("1 file\n", 0), 0u) << import.out;
  EXPECT_NE(etl({"failures", "--db", db}).out.find("\n0 pending failures\n"), std::string::npos);
  EXPECT_NE(etl({"failures", "clear", "--db", db}).out.find("cleared 0 pending failures:"), std::string::npos);
  EXPECT_NE(etl({"changes", "--db", db}).out.find("\n1 change since 24h\n"), std::string::npos);
  const ProcessResult unreachable = etl({"run", "--municipality", "Albertslund", "--api-url", "http://127.0.0.1:1",
                                         "--retries", "0", "--db", db, "--progress", "none"});
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_NE(unreachable.err.find("after 1 attempt ("), std::string::npos) << unreachable.err;
  ReplicaProcess replica({"--scale", "0.001"});
  const ProcessResult run = etl({"run", "--municipality", "København", "--api-url", replica.base_url(), "--max-rps",
                                 "0", "--limit", "1", "--db", db, "--progress", "none"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find(" (1 municipality), db "), std::string::npos) << run.err;
  for (const std::string& out : {import.out, import.err, unreachable.out, unreachable.err, run.out, run.err})
    EXPECT_EQ(out.find("(s)"), std::string::npos) << out;
}

}  // namespace
}  // namespace etl::test
