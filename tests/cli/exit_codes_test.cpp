// The exit codes the README states, for every subcommand and the ways people get flags
// wrong: 0 done, 1 fatal (config, database, API), 2 usage. Every error is one line on
// stderr, and none of these writes a database.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/process.hpp"

namespace etl::test {
namespace {

struct Case {
  std::vector<std::string> args;
  int exit_code;
  std::string message;  // in stderr; "" for none expected
};

TEST(ExitCodes, EverySubcommandAndBadFlagAsTheReadmeSays) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.file("sub/etl.db");
  const std::string no_api = "http://127.0.0.1:1";
  const std::vector<Case> cases = {
      {{"--version"}, 0, ""},
      {{"-V"}, 0, ""},
      {{"--help"}, 0, ""},
      {{"help"}, 0, ""},
      {{"help", "run"}, 0, ""},
      {{}, 2, "A subcommand is required"},
      {{"frobnicate"}, 2, "frobnicate"},
      {{"run"}, 2, "--area or --municipality is required"},
      {{"run", "--area", "copenhagn", "--db", db}, 2, "did you mean 'copenhagen'"},
      {{"run", "--municipality", "Kobenhavnx", "--db", db}, 2, "did you mean 'København'"},
      {{"run", "--area", "copenhagen", "--address-types", "house", "--db", db}, 2, "--address-types: unknown"},
      {{"run", "--area", "copenhagen", "--workers", "0", "--db", db}, 2, "--workers"},
      {{"run", "--area", "copenhagen", "--timeout", "10", "--db", db}, 2, "--timeout: invalid duration '10'"},
      {{"run", "--area", "copenhagen", "--timeout", "abc", "--db", db}, 2, "--timeout: invalid duration 'abc'"},
      {{"run", "--area", "copenhagen", "--refresh", "stale:7w", "--db", db}, 2, "--refresh"},
      {{"run", "--area", "copenhagen", "--limit", "-1", "--db", db}, 2, "--limit: must be 0 (no limit) or more"},
      {{"run", "--area", "copenhagen", "--log-level", "loud", "--db", db}, 2, "--log-level: invalid value 'loud'"},
      {{"run", "--area", "copenhagen", "--progress", "fancy", "--db", db}, 2, "--progress"},
      {{"run", "--area", "copenhagen", "--shard", "3/2", "--db", db}, 2, "--shard"},
      {{"run", "--area", "copenhagen", "--frobnicate"}, 2, "--frobnicate"},
      {{"run", "--area", "copenhagen", "--db", "bogus:x"}, 1, "unsupported database URL"},
      {{"run", "--area", "copenhagen", "--db", db, "--api-url", no_api, "--retries", "0"}, 1, "API unreachable"},
      {{"areas", "--area", "nowhere"}, 2, "--area: unknown area 'nowhere'"},
      {{"areas", "--config", dir.file("missing.yaml")}, 1, "cannot open the area configuration"},
      {{"status", "--db", db}, 1, "no database at"},
      {{"status", "--db", "bogus:x"}, 1, "unsupported database URL"},
      {{"migrate", "--db", "bogus:x"}, 1, "unsupported database URL"},
      {{"import-json", "--db", db}, 2, ""},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {ETL_BIN};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    std::string shown = "etl";
    for (const std::string& a : c.args) shown += " " + a;
    const ProcessResult r = run_process(argv, {{"ETL_DB_URL", ""}, {"ETL_CONFIG", ""}});
    EXPECT_EQ(r.exit_code, c.exit_code) << shown << "\n" << r.err;
    if (c.exit_code != 0) {
      EXPECT_NE(r.err.find(c.message), std::string::npos) << shown << ": " << r.err;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << shown << ": one line: " << r.err;
    }
    EXPECT_FALSE(std::filesystem::exists(dir.file("sub"))) << shown << " created the database";
  }
}

}  // namespace
}  // namespace etl::test
