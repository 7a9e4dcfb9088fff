// Read-only commands (issue 20 item 4): `etl status`, `etl failures` and `etl market` never create,
// migrate or write a database. A read-only SQLite file in a read-only folder and a
// PostgreSQL role with only SELECT are read as they are; an older schema is read as it is,
// and where a table the command reads is missing the one-line error says to run `etl migrate`.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "loaders/migrations.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl::test {
namespace {

namespace fs = std::filesystem;
using loaders_detail::Migration;
using loaders_detail::migrations_for;

const std::string kFixture = std::string(ETL_FIXTURES_DIR) + "/address-0a3f50c2-b95c-32b8-e044-0003ba298018.json";

// Runs etl as a user without privileges: root would write a read-only file anyway.
ProcessResult etl_unprivileged(std::vector<std::string> args) {
  std::vector<std::string> argv;
  if (geteuid() == 0) argv = {ETL_SETPRIV, "--reuid=nobody", "--regid=nogroup", "--clear-groups"};
  argv.push_back(ETL_BIN);
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {{"ETL_DB_URL", ""}});
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The whitespace-separated fields of the first line of `out` whose first field is `first`.
std::vector<std::string> row(const std::string& out, const std::string& first) {
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::vector<std::string> v;
    for (std::string f; fields >> f;) v.push_back(f);
    if (!v.empty() && v[0] == first) return v;
  }
  return {};
}

using Row = std::vector<std::string>;

int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST(ReadOnlyCommands, SqliteReadOnlyFileInAReadOnlyFolderIsReadAsItIs) {
  TempDir dir;
  const std::string folder = dir.file("ro");
  fs::create_directory(folder);
  const std::string path = folder + "/etl.db";
  const ProcessResult import = run_process({ETL_BIN, "import-json", "--db", "sqlite:" + path, kFixture});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  chmod(dir.path().c_str(), 0755);  // the unprivileged user may enter, nothing more
  chmod(path.c_str(), 0444);
  chmod(folder.c_str(), 0555);
  const std::string before = file_bytes(path);
  const auto entries = [&] { return std::distance(fs::directory_iterator(folder), fs::directory_iterator()); };
  const auto files_before = entries();

  const ProcessResult status = etl_unprivileged({"status", "--db", "sqlite:" + path});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(row(status.out, "TOTAL"), (Row{"TOTAL", "1", "0", "0"})) << status.out;
  const ProcessResult failures = etl_unprivileged({"failures", "--db", "sqlite:" + path});
  EXPECT_EQ(failures.exit_code, 0) << failures.err;
  EXPECT_NE(failures.out.find("0 pending failures"), std::string::npos) << failures.out;
  const ProcessResult market = etl_unprivileged({"market", "--db", "sqlite:" + path});
  EXPECT_EQ(market.exit_code, 0) << market.err;
  EXPECT_EQ(row(market.out, "TOTAL").at(1), "1") << market.out;
  EXPECT_EQ(file_bytes(path), before) << "a read-only command wrote the database";
  EXPECT_EQ(entries(), files_before) << "a read-only command created a file beside the database";
  chmod(folder.c_str(), 0755);  // for TempDir to remove it
}

// A database migrated only to migration 001, one property in it, as an older etl left it.
void make_first_schema_database(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, "
          "applied_at TEXT NOT NULL) STRICT");
  const Migration first = migrations_for("sqlite").front();
  ASSERT_EQ(first.version, 1);
  db.exec(std::string(first.sql));
  db.exec("INSERT INTO schema_migrations VALUES (1, 'initial', '2026-01-01T00:00:00Z')");
  db.exec("INSERT INTO properties (address_id, municipality_code, raw_json, payload_hash, first_seen_at, last_seen_at, "
          "fetched_at) VALUES ('a1', 101, '{}', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
}

TEST(ReadOnlyCommands, SqliteOlderSchemaIsReadWithoutMigrating) {
  TempDir dir;
  const std::string path = dir.file("old.db");
  make_first_schema_database(path);
  ASSERT_GT(migrations_for("sqlite").back().version, 1) << "needs a later migration to be older than";

  const ProcessResult status = run_process({ETL_BIN, "status", "--db", "sqlite:" + path}, {{"ETL_DB_URL", ""}});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(row(status.out, "101"), (Row{"101", "1", "0", "0"})) << status.out;
  // No property_events yet: status says the changes are unknown; etl changes says to migrate.
  EXPECT_NE(status.out.find("changes in the last 24 h (etl changes): unknown ("), std::string::npos) << status.out;
  const ProcessResult changes = run_process({ETL_BIN, "changes", "--db", "sqlite:" + path}, {{"ETL_DB_URL", ""}});
  EXPECT_EQ(changes.exit_code, 1);
  EXPECT_NE(changes.err.find("run `etl migrate"), std::string::npos) << changes.err;
  const ProcessResult market = run_process({ETL_BIN, "market", "--db", "sqlite:" + path}, {{"ETL_DB_URL", ""}});
  EXPECT_EQ(market.exit_code, 1);
  EXPECT_NE(market.err.find("run `etl migrate"), std::string::npos) << market.err;
  SQLite::Database db(path);
  EXPECT_EQ(db.execAndGet("SELECT MAX(version) FROM schema_migrations").getInt(), 1) << "status migrated the database";
}

TEST(ReadOnlyCommands, SqliteWithoutTheTablesSaysToMigrate) {
  TempDir dir;
  const std::string path = dir.file("empty.db");
  std::ofstream(path).close();  // an empty file is an SQLite database with no tables
  for (const char* command : {"status", "failures", "market"}) {
    const ProcessResult r = run_process({ETL_BIN, command, "--db", "sqlite:" + path}, {{"ETL_DB_URL", ""}});
    EXPECT_EQ(r.exit_code, 1) << command << ": " << r.err;
    EXPECT_NE(r.err.find("run `etl migrate --db sqlite:" + path + "`"), std::string::npos) << command << ": " << r.err;
    EXPECT_EQ(lines(r.err), 1) << command << ": " << r.err;
  }
  EXPECT_EQ(fs::file_size(path), 0u) << "a read-only command wrote the database";
}

TEST(ReadOnlyCommands, PostgresRoleWithOnlySelectCanReadStatus) {
  PgServer& pg = PgServer::shared();
  const std::string url = pg.fresh_database();
  const ProcessResult import = run_process({ETL_BIN, "import-json", "--db", url, kFixture});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  const std::string dbname = url.substr(url.rfind('/') + 1);
  const ProcessResult grant = run_process(
      {ETL_PSQL, "-v", "ON_ERROR_STOP=1", "-q", pg.admin_url(dbname), "-c",
       "CREATE ROLE reader LOGIN PASSWORD 'r'; REVOKE CREATE ON SCHEMA public FROM PUBLIC; "
       "GRANT USAGE ON SCHEMA public TO reader; GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader"});
  ASSERT_EQ(grant.exit_code, 0) << grant.err;
  std::string reader = "postgresql://reader:r@127.0.0.1:";
  reader += std::to_string(pg.port());
  reader += '/';
  reader += dbname;

  const ProcessResult status = run_process({ETL_BIN, "status", "--db", reader}, {{"ETL_DB_URL", ""}});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(row(status.out, "TOTAL"), (Row{"TOTAL", "1", "0", "0"})) << status.out;
  const ProcessResult failures = run_process({ETL_BIN, "failures", "--db", reader}, {{"ETL_DB_URL", ""}});
  EXPECT_EQ(failures.exit_code, 0) << failures.err;
  const ProcessResult market = run_process({ETL_BIN, "market", "--db", reader}, {{"ETL_DB_URL", ""}});
  EXPECT_EQ(market.exit_code, 0) << market.err;
  EXPECT_EQ(row(market.out, "TOTAL").at(1), "1") << market.out;
}

}  // namespace
}  // namespace etl::test
