// The exit codes the README states, for every subcommand and the ways people get flags
// wrong: 0 done, 1 fatal (config, database, API), 2 usage. Every error is one line on
// stderr, and none of these writes a database.
#include <gtest/gtest.h>

#include <algorithm>
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
  const std::string missing = dir.file("missing");  // a folder that is not there
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
      {{"run", "--area", "copenhagen", "--workers", "0", "--db", db}, 2, "--workers: '0' is not a whole number from 1 to 1024"},
      {{"run", "--area", "copenhagen", "--workers", "abc", "--db", db}, 2, "--workers: 'abc' is not a whole number from 1 to 1024"},
      {{"run", "--area", "copenhagen", "--workers", "1.5", "--db", db}, 2, "--workers: '1.5' is not a whole number"},
      {{"run", "--area", "copenhagen", "--batch-size", "0", "--db", db}, 2, "--batch-size: '0' is not a whole number from 1 to 100000"},
      {{"run", "--area", "copenhagen", "--retries", "21", "--db", db}, 2, "--retries: '21' is not a whole number from 0 to 20"},
      {{"run", "--area", "copenhagen", "--max-results", "10", "--db", db}, 2, "--max-results: '10' is not a whole number from 50 to 10000000"},
      {{"run", "--area", "copenhagen", "--max-rps", "abc", "--db", db}, 2, "--max-rps: 'abc' is not a number"},
      {{"run", "--area", "copenhagen", "--max-rps", "1x", "--db", db}, 2, "--max-rps: '1x' is not a number"},
      {{"run", "--area", "copenhagen", "--max-rps", "-1", "--db", db}, 2, "--max-rps: must be 0 (unlimited) or from 0.1"},
      // Issue 33: a rate at which the run never progresses, output files in a folder that is
      // not there, and a run-time budget that is no duration: refused before the run.
      {{"run", "--area", "copenhagen", "--max-rps", "1e-300", "--db", db}, 2, "--max-rps: must be 0 (unlimited) or from 0.1"},
      {{"run", "--area", "copenhagen", "--summary-json", missing + "/s.json", "--db", db}, 2,
       "--summary-json: the folder '" + missing + "' does not exist"},
      {{"run", "--area", "copenhagen", "--metrics-file", missing + "/m.prom", "--db", db}, 2,
       "--metrics-file: the folder '" + missing + "' does not exist"},
      {{"run", "--area", "copenhagen", "--log-file", missing + "/etl.log", "--db", db}, 2,
       "--log-file: the folder '" + missing + "' does not exist"},
      {{"run", "--area", "copenhagen", "--summary-json", "/tmp", "--db", db}, 2, "--summary-json: '/tmp' is a folder"},
      {{"import-json", "--metrics-file", missing + "/m.prom", "--db", db, "x.json"}, 2,
       "--metrics-file: the folder '" + missing + "' does not exist"},
      {{"run", "--area", "copenhagen", "--max-run-time", "10", "--db", db}, 2, "--max-run-time: invalid duration '10'"},
      {{"run", "--area", "copenhagen", "--limit", "abc", "--db", db}, 2, "--limit: 'abc' is not a whole number"},
      {{"run", "--area", "copenhagen", "--details", "sometimes", "--db", db}, 2, "--details: 'sometimes' is not one of always, never"},
      {{"run", "--area", "copenhagen", "--log-format", "xml", "--db", db}, 2, "--log-format: 'xml' is not one of text, json"},
      {{"run", "--area", "copenhagen", "-q", "-v", "--db", db}, 2, "--quiet excludes --verbose"},
      {{"import-json", "--batch-size", "0", "--db", db, "x.json"}, 2, "--batch-size: '0' is not a whole number from 1 to 100000"},
      {{"import-json", "-v", "-q", "--db", db, "x.json"}, 2, "--quiet excludes --verbose"},
      {{"run", "--area", "copenhagen", "--timeout", "10", "--db", db}, 2, "--timeout: invalid duration '10'"},
      {{"run", "--area", "copenhagen", "--timeout", "abc", "--db", db}, 2, "--timeout: invalid duration 'abc'"},
      {{"run", "--area", "copenhagen", "--refresh", "stale:7y", "--db", db}, 2, "--refresh"},
      {{"run", "--area", "copenhagen", "--limit", "-1", "--db", db}, 2, "--limit: must be 0 (no limit) or more"},
      {{"run", "--area", "copenhagen", "--log-level", "loud", "--db", db}, 2, "--log-level: invalid value 'loud'"},
      {{"run", "--area", "copenhagen", "--progress", "fancy", "--db", db}, 2, "--progress: 'fancy' is not one of auto, tty, plain, none"},
      {{"run", "--area", "copenhagen", "--shard", "3/2", "--db", db}, 2, "--shard"},
      {{"run", "--area", "copenhagen", "--frobnicate"}, 2, "--frobnicate"},
      // An unknown flag close to one of the subcommand's: the closest, for every subcommand.
      {{"run", "--worker", "4", "--area", "copenhagen"}, 2, "not expected: --worker 4; did you mean '--workers'?"},
      {{"run", "--worker=4", "--area", "copenhagen"}, 2, "did you mean '--workers'?"},
      {{"run", "--worker", "4"}, 2, "did you mean '--workers'?"},
      {{"--verison"}, 2, "did you mean '--version'?"},
      {{"areas", "--are", "copenhagen"}, 2, "did you mean '--area'?"},
      {{"migrate", "--bd", db}, 2, "did you mean '--db'?"},
      {{"status", "--jsn", "--db", db}, 2, "did you mean '--json'?"},
      {{"import-json", "--batch-sise", "5", "--db", db, "x.json"}, 2, "did you mean '--batch-size'?"},
      {{"failures", "clear", "--older-then", "30d", "--db", db}, 2, "did you mean '--older-than'?"},
      {{"changes", "--sinse", "7d", "--db", db}, 2, "did you mean '--since'?"},
      {{"run", "--area", "copenhagen", "--db", "bogus:x"}, 1, "unsupported database URL"},
      {{"run", "--area", "copenhagen", "--db", db, "--api-url", no_api, "--retries", "0"}, 1, "API unreachable"},
      {{"areas", "--area", "nowhere"}, 2, "--area: unknown area 'nowhere'"},
      {{"areas", "--config", dir.file("missing.yaml")}, 1, "cannot open the area configuration"},
      {{"status", "--db", db}, 1, "no database at"},
      {{"status", "--db", "bogus:x"}, 1, "unsupported database URL"},
      {{"migrate", "--db", "bogus:x"}, 1, "unsupported database URL"},
      {{"import-json", "--db", db}, 2, ""},
      {{"status", "--foo", "a", "--bar", "b", "--db", db}, 2, "The following arguments were not expected: --foo a --bar b"},
      {{"status", "--config", "x", "--db", db}, 2, "The following arguments were not expected: --config x"},
      {{"failures", "--db", db}, 1, "no database at"},
      {{"failures", "list", "--db", db}, 1, "no database at"},
      {{"failures", "clear", "--db", db}, 1, "no database at"},
      {{"failures", "frob", "--db", db}, 2, "The following argument was not expected: frob"},
      {{"failures", "--stage", "fetched", "--db", db}, 2, "--stage: 'fetched' is not one of discover, fetch, parse, load, import"},
      {{"failures", "clear", "--older-than", "30", "--db", db}, 2, "--older-than: invalid duration '30'"},
      {{"changes", "--db", db}, 1, "no database at"},
      {{"changes", "--since", "yesterday", "--db", db}, 2, "--since: invalid value 'yesterday'"},
      {{"changes", "--kind", "listed,bought", "--db", db}, 2, "--kind: 'bought' is not one of new, listed, price_changed"},
      {{"changes", "--format", "xml", "--db", db}, 2, "--format: 'xml' is not one of table, csv, json"},
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
      // A message about a flag names it once ("--workers: Value ..." named it twice, in effect).
      if (c.message.starts_with("--")) {
        const std::string flag = c.message.substr(0, c.message.find_first_of(": "));
        std::size_t named = 0;
        for (std::size_t at = r.err.find(flag); at != std::string::npos; at = r.err.find(flag, at + 1)) ++named;
        EXPECT_EQ(named, 1u) << shown << ": " << r.err;
      }
    }
    EXPECT_FALSE(std::filesystem::exists(dir.file("sub"))) << shown << " created the database";
    EXPECT_FALSE(std::filesystem::exists(missing)) << shown << " created the output folder";
  }
}

}  // namespace
}  // namespace etl::test
