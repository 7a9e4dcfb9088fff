// No message shows a database password, whatever shape the URL given to --db has: mistyped
// schemes, unencoded '@' and '/', passwords in the query, refused and failed connections,
// a successful run. Each subcommand that takes --db, against a real PostgreSQL server and the
// replica; stdout, stderr, the log file, the summary and etl_runs are all checked.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {
namespace {

// Either half of the password is a leak: a password cut at its '@' or '/' must not show either.
const std::vector<std::string> kFragments = {"Hunter2", "Secret"};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void expect_no_password(const std::string& text, const std::string& where) {
  for (const auto& f : kFragments) EXPECT_EQ(text.find(f), std::string::npos) << where << " shows '" << f << "':\n" << text;
}

TEST(Security, NoErrorShowsThePasswordWhateverTheUrlShape) {
  auto& pg = PgServer::shared();
  const std::string live_db = pg.fresh_database();  // an etl/secret URL of a real database
  const std::string live_name = live_db.substr(live_db.rfind('/') + 1);
  const int port = pg.port();
  TempDir dir;
  ReplicaProcess replica({"--scale", "0.01"});
  const std::string payload = dir.file("one.json");
  std::ofstream(payload) << read_file(std::string(ETL_FIXTURES_DIR) + "/address-9ae3d8cf-dc2c-4f25-8749-62cb0dff42af.json");

  const std::vector<std::string> urls = {
      fmt::format("postgresql:/etl:Hunter2Secret@127.0.0.1:{}/db", port),
      fmt::format("postgresql:etl:Hunter2Secret@127.0.0.1:{}/db", port),
      fmt::format("postgresql://pwcheck:Hunter2Secret@127.0.0.1:{}/pwdb", port),  // refused by the server
      fmt::format("postgresql://etl:Hunter2@Secret@127.0.0.1:{}/db", port),
      fmt::format("postgresql://etl:Hunter2/Secret@127.0.0.1:{}/db", port),
      fmt::format("postgresql://etl@127.0.0.1:{}/db?password=Hunter2Secret&sslmode=bogus", port),
      "postgresql://etl:Hunter2Secret@127.0.0.1:1/db",  // nothing listens
      "postgresql://etl:Hunter2Secret@127.0.0.1:notaport/db",
      "postgresql://etl:Hunter2%40Secret@127.0.0.1:1/db",
      "sqlite://etl:Hunter2Secret@" + dir.file("x.db"),
      "mysql://etl:Hunter2Secret@127.0.0.1/db",
      fmt::format("postgresql://etl:Hunter2Secret@127.0.0.1:{}/{}", port, live_name),  // works (trust)
  };
  const std::string log = dir.file("etl.log"), summary = dir.file("summary.json");
  const std::vector<std::vector<std::string>> commands = {
      {"run", "--municipality", "Albertslund", "--limit", "3", "--api-url", replica.base_url(), "--retries", "0",
       "--log-file", log, "--summary-json", summary},
      {"import-json", payload, "--summary-json", summary},
      {"migrate"},
      {"status"},
      {"status", "--json"},
      {"failures", "list"},
      {"failures", "clear"},
  };
  int succeeded = 0;
  for (const auto& url : urls) {
    for (const auto& command : commands) {
      std::filesystem::remove(log);
      std::filesystem::remove(summary);
      std::vector<std::string> argv = {ETL_BIN};
      argv.insert(argv.end(), command.begin(), command.end());
      argv.insert(argv.end(), {"--db", url});
      const std::string shown = fmt::format("etl {} --db {}", command[0], url);
      const auto r = run_process(argv, {{"ETL_DB_URL", ""}, {"ETL_CONFIG", ""}}, std::chrono::seconds(60));
      succeeded += r.exit_code == 0;
      expect_no_password(r.out, shown + ": stdout");
      expect_no_password(r.err, shown + ": stderr");
      expect_no_password(read_file(log), shown + ": log file");
      expect_no_password(read_file(summary), shown + ": summary");
    }
  }
  // The working URL ran every command; the runs it recorded name no password either.
  EXPECT_EQ(succeeded, static_cast<int>(commands.size()));
  const auto runs = query_rows(live_db, "SELECT command, summary_json FROM etl_runs");
  EXPECT_EQ(runs.size(), 2u);  // run and import-json
  for (const auto& row : runs) {
    for (const auto& cell : row) expect_no_password(cell, "etl_runs");
  }
}

// The shapes that cannot work are refused before connecting, saying what to do.
TEST(Security, UrlsThatWouldSplitAPasswordAreRefusedWithTheFix) {
  TempDir dir;
  struct Case {
    std::string url, message;
  };
  const std::vector<Case> cases = {
      {"postgresql://etl:Hunter2@Secret@127.0.0.1:1/db", "percent-encode them (%40, %2F)"},
      {"postgresql://etl:Hunter2/Secret@127.0.0.1:1/db", "percent-encode them (%40, %2F)"},
      {"sqlite://etl:Hunter2Secret@" + dir.file("x.db"), "SQLite does not take"},
  };
  for (const auto& c : cases) {
    const auto r = run_process({ETL_BIN, "migrate", "--db", c.url}, {{"ETL_DB_URL", ""}});
    EXPECT_EQ(r.exit_code, 1) << c.url;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.url << "\n" << r.err;
    EXPECT_NE(r.err.find("etl:***@"), std::string::npos) << c.url << "\n" << r.err;
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));  // nothing created, not even a folder
}

// An --api-url can hold a user and password too (a proxy in front of the API): -v's request
// lines, the `run:` line and an unreachable API's error show them as user:***@, like etl_runs.
TEST(Security, NoLogLineShowsTheApiUrlPassword) {
  TempDir dir;
  ReplicaProcess replica({"--scale", "0.001"});
  const std::string port = replica.base_url().substr(replica.base_url().rfind(':') + 1);
  for (const std::string& api : {"http://etl:Hunter2Secret@127.0.0.1:" + port, std::string("http://etl:Hunter2Secret@127.0.0.1:1")}) {
    const std::string log = dir.file("run.log");
    std::filesystem::remove(log);
    const auto r = run_process({ETL_BIN, "run", "--municipality", "København", "--api-url", api, "--db",
                                "sqlite:" + dir.file("api.db"), "--retries", "0", "--progress", "none", "-v",
                                "--log-file", log},
                               {{"ETL_DB_URL", ""}});
    EXPECT_EQ(r.exit_code, api.ends_with(":1") ? 1 : 0) << api << "\n" << r.err;
    const std::string logged = read_file(log);
    expect_no_password(r.err, api + " stderr");
    expect_no_password(r.out, api + " stdout");
    expect_no_password(logged, api + " --log-file");
    EXPECT_NE(logged.find("debug GET http://etl:***@127.0.0.1:"), std::string::npos) << logged;
    if (api.ends_with(":1")) {
      EXPECT_NE(logged.find("API unreachable"), std::string::npos) << logged;
    } else {
      EXPECT_NE(logged.find(", api http://etl:***@127.0.0.1:"), std::string::npos) << "the run: line\n" << logged;
    }
  }
}

}  // namespace
}  // namespace etl::test
