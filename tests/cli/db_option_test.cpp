// --db and $ETL_DB_URL take a database as sqlite-utils and Datasette do (issue 31): a value
// without a "scheme:" prefix and without an '@' is a SQLite file path, for every subcommand.
// Anything else that is not sqlite:PATH or postgresql:// (a mistyped scheme, a URL that lost
// its "://" or its scheme) is refused, never becomes a file, and no message shows its password.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/process.hpp"

namespace etl::test {
namespace {

const std::string kFixture = std::string(ETL_FIXTURES_DIR) + "/address-0a3f50c2-b95c-32b8-e044-0003ba298018.json";

// etl with `args`, run in `dir`, so that a relative path lands there.
ProcessResult etl_in(const std::string& dir, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {{"ETL_DB_URL", ""}}) {
  std::vector<std::string> argv = {"/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", dir, ETL_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env);
}

TEST(DbOption, AValueWithoutASchemeIsASqlitePath) {
  TempDir dir;
  const ProcessResult migrate = etl_in(dir.path(), {"migrate", "--db", "full.db"});
  ASSERT_EQ(migrate.exit_code, 0) << migrate.err;
  EXPECT_TRUE(std::filesystem::exists(dir.file("full.db")));
  const ProcessResult import = etl_in(dir.path(), {"import-json", "--db", "full.db", kFixture});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"status"}, {"changes"}, {"market"}, {"failures"}, {"failures", "clear"}, {"migrate"}}) {
    std::vector<std::string> args = command;
    args.insert(args.end(), {"--db", "full.db"});
    const ProcessResult relative = etl_in(dir.path(), args);
    EXPECT_EQ(relative.exit_code, 0) << command[0] << ": " << relative.err;
    args.back() = dir.file("full.db");
    const ProcessResult absolute = etl_in("/", args);
    EXPECT_EQ(absolute.exit_code, 0) << command[0] << ": " << absolute.err;
    const ProcessResult from_env = etl_in(dir.path(), command, {{"ETL_DB_URL", "full.db"}});
    EXPECT_EQ(from_env.exit_code, 0) << command[0] << ": " << from_env.err;
  }
  const ProcessResult status = etl_in(dir.path(), {"status", "--db", "full.db"});
  EXPECT_NE(status.out.find("database full.db (sqlite)"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("TOTAL"), std::string::npos) << status.out;
}

TEST(DbOption, WhatIsNoPathNorUrlIsRefusedWithoutItsPassword) {
  TempDir dir;
  const std::vector<std::string> urls = {
      "postgressql://etl:Hunter2Secret@127.0.0.1:1/db",  // a mistyped scheme
      "postgresql//etl:Hunter2Secret@127.0.0.1:1/db",    // no ':' after the scheme
      "etl:Hunter2Secret@127.0.0.1:1/db",                // no scheme at all
      "//etl:Hunter2Secret@127.0.0.1:1/db",
      "etl@127.0.0.1/db",
      "localhost:5432/db",
  };
  const std::vector<std::vector<std::string>> commands = {
      {"migrate"}, {"status"}, {"import-json", kFixture},
      {"run", "--municipality", "Albertslund", "--api-url", "http://127.0.0.1:1", "--retries", "0"}};
  for (const std::string& url : urls) {
    for (const std::vector<std::string>& command : commands) {
      std::vector<std::string> args = command;
      args.insert(args.end(), {"--db", url});
      const ProcessResult r = etl_in(dir.path(), args);
      const std::string shown = "etl " + command[0] + " --db " + url + "\n" + r.err;
      EXPECT_EQ(r.exit_code, 1) << shown;
      EXPECT_NE(r.err.find("database URL"), std::string::npos) << shown;
      for (const char* half : {"Hunter2", "Secret"}) {
        EXPECT_EQ(r.err.find(half), std::string::npos) << "the password shows: " << shown;
        EXPECT_EQ(r.out.find(half), std::string::npos) << "the password shows: " << shown;
      }
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << url << " created a file";
  }
}

}  // namespace
}  // namespace etl::test
