// Store behaviour that is not per dialect: URLs, errors, redaction, cross-dialect dumps,
// and the PostgreSQL store surviving a server restart.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <SQLiteCpp/SQLiteCpp.h>

#include "etl/core/errors.hpp"
#include "loaders/migrations.hpp"
#include "loaders/store.hpp"
#include "tests/loaders/fixture_records.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl {
namespace {

constexpr UnixTime kT0 = 1'700'000'000;

TEST(RedactDbUrl, HidesPasswords) {
  EXPECT_EQ(redact_db_url("postgresql://etl:secret@127.0.0.1:5432/db"), "postgresql://etl:***@127.0.0.1:5432/db");
  EXPECT_EQ(redact_db_url("postgres://u:p%40ss@h/db?sslmode=disable"), "postgres://u:***@h/db?sslmode=disable");
  EXPECT_EQ(redact_db_url("postgresql://u:we@rd/pw@h:1/db"), "postgresql://u:***@h:1/db");
  EXPECT_EQ(redact_db_url("postgresql://h/db?user=u&password=topsecret&x=1"),
            "postgresql://h/db?user=u&password=***&x=1");
  EXPECT_EQ(redact_db_url("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(redact_db_url("sqlite:data/etl.db"), "sqlite:data/etl.db");
}

TEST(OpenStore, RejectsUnsupportedUrlsWithConfigError) {
  for (const std::string url : {"", "mysql://u:hunter2@h/db", "sqlite:", "http://x", "postgresql:/x",
                                 "postgressql://u:hunter2@h/db", "postgresql//u:hunter2@h/db", "u:hunter2@h/db"}) {
    try {
      open_store(url);
      ADD_FAILURE() << "accepted " << url;
    } catch (const ConfigError& e) {
      const std::string msg = e.what();
      EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
      EXPECT_NE(msg.find("sqlite:"), std::string::npos) << msg;
      if (url != "sqlite:") {
        EXPECT_NE(msg.find("postgresql://"), std::string::npos) << msg;
      }
    }
  }
}

TEST(OpenStore, CreatesTheSqliteFolder) {
  test::TempDir dir;
  const std::string path = dir.file("a/b/c/etl.db");
  auto store = open_store("sqlite:" + path);
  EXPECT_EQ(store->dialect(), "sqlite");
  EXPECT_TRUE(std::ifstream(path).good());
  EXPECT_EQ(test::count_rows("sqlite:" + path, "properties"), 0);
}

// As sqlite-utils and Datasette take it: no "scheme:" and no '@' is a SQLite file's path.
TEST(OpenStore, APlainPathIsASqliteFile) {
  test::TempDir dir;
  const std::string path = dir.file("plain/etl.db");
  EXPECT_FALSE(database_exists(path));
  EXPECT_EQ(open_store(path)->dialect(), "sqlite");
  EXPECT_TRUE(database_exists(path));
  EXPECT_EQ(test::count_rows("sqlite:" + path, "properties"), 0);
}

TEST(OpenStore, UnwritableSqlitePathIsAStoreError) {
  test::TempDir dir;
  std::ofstream(dir.file("plain-file")) << "x";
  // A path below a regular file cannot be created, whoever runs the test (root included).
  EXPECT_THROW(open_store("sqlite:" + dir.file("plain-file/sub/etl.db")), StoreError);
  EXPECT_THROW(open_store("sqlite:" + dir.file("plain-file/etl.db")), StoreError);
  // A folder where the database file should be.
  std::filesystem::create_directories(dir.file("isdir.db"));
  try {
    open_store("sqlite:" + dir.file("isdir.db"));
    ADD_FAILURE() << "opened a folder as a database";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("isdir.db"), std::string::npos) << e.what();
  }
  // Not a database at all.
  std::ofstream(dir.file("garbage.db")) << std::string(4096, 'g');
  EXPECT_THROW(open_store("sqlite:" + dir.file("garbage.db")), StoreError);
}

TEST(OpenStore, PostgresErrorsAreStoreErrorsWithoutThePassword) {
  // Nothing listens on port 1.
  try {
    open_store("postgresql://etl:s3cr3t-pw@127.0.0.1:1/etl?connect_timeout=3");
    ADD_FAILURE() << "connected to port 1";
  } catch (const StoreError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find("s3cr3t-pw"), std::string::npos) << msg;
    EXPECT_NE(msg.find("postgresql://etl:***@127.0.0.1:1/etl"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  // A database that does not exist, on a live server.
  auto& pg = test::PgServer::shared();
  const std::string url = fmt::format("postgresql://etl:secret@127.0.0.1:{}/no_such_db", pg.port());
  try {
    open_store(url);
    ADD_FAILURE() << "opened a missing database";
  } catch (const StoreError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find(":secret@"), std::string::npos) << msg;
    EXPECT_NE(msg.find("no_such_db"), std::string::npos) << msg;
  }
}

TEST(OpenStore, PercentEncodedPasswordsReachTheServer) {
  auto& pg = test::PgServer::shared();
  pg.create_database("pwdb");
  // p w'"\@:/?&=x, percent-encoded as a URL must carry it.
  const std::string good =
      fmt::format("postgresql://pwcheck:p%20w%27%22%5C%40%3A%2F%3F%26%3Dx@127.0.0.1:{}/pwdb", pg.port());
  auto store = open_store(good);
  EXPECT_EQ(store->dialect(), "postgresql");
  const std::string bad = fmt::format("postgresql://pwcheck:wrong-pass-42@127.0.0.1:{}/pwdb", pg.port());
  try {
    open_store(bad);
    ADD_FAILURE() << "a wrong password was accepted";
  } catch (const StoreError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find("wrong-pass-42"), std::string::npos) << msg;
    EXPECT_NE(msg.find("password authentication failed"), std::string::npos) << msg;
  }
}

// The writer checkpoints every 32 MB of WAL, not every 4 MB (SQLite's default): ~16 MB of
// batches leave the database file as it was created, and the WAL stays bounded after more.
TEST(SqliteStore, CheckpointsWaitFor32MbOfWalAndTheWalStaysBounded) {
  test::TempDir dir;
  const std::string path = dir.file("wal.db");
  auto store = open_store("sqlite:" + path);
  const auto db_bytes = [&] { return std::filesystem::file_size(path); };
  const auto wal_bytes = [&] { return std::filesystem::file_size(path + "-wal"); };
  const std::uintmax_t empty = db_bytes();
  const std::string filler(8000, 'x');
  int next = 0;
  const auto write_mb = [&](int mb) {
    for (int b = 0; b < mb * 1'000'000 / (50 * 8000); ++b) {
      std::vector<PropertyRecord> batch;
      for (int i = 0; i < 50; ++i) {
        PropertyRecord r;
        r.address_id = fmt::format("wal-{}", next++);
        r.raw_json = fmt::format(R"({{"addressID":"{}","filler":"{}"}})", r.address_id, filler);
        r.payload_hash = test::fnv1a64(r.raw_json);
        batch.push_back(std::move(r));
      }
      ASSERT_TRUE(store->upsert_batch(batch, kT0).failures.empty());
    }
  };
  write_mb(16);
  EXPECT_GT(wal_bytes(), 16u << 20);
  EXPECT_EQ(db_bytes(), empty) << "checkpointed before 32 MB of WAL";
  write_mb(100);
  EXPECT_GT(db_bytes(), 64u << 20) << "the rows reached the database file";
  EXPECT_LE(wal_bytes(), 40u << 20) << "a checkpoint every 8,000 pages bounds the WAL";
}

// Migration 008 rebuilds buildings and registrations WITHOUT ROWID in a database written
// before it, keeping every row.
TEST(SqliteStore, ChildTablesBecomeWithoutRowidKeepingTheirRows) {
  test::TempDir dir;
  const std::string path = dir.file("old.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at TEXT NOT NULL) STRICT");
    for (const auto& m : loaders_detail::migrations_for("sqlite")) {
      if (m.version >= 8) continue;
      db.exec(std::string(m.sql));
      SQLite::Statement rec(db, "INSERT INTO schema_migrations VALUES (?1, ?2, '2026-01-01T00:00:00Z')");
      rec.bind(1, m.version);
      rec.bind(2, m.name);
      rec.exec();
    }
    db.exec("INSERT INTO properties (address_id, raw_json, payload_hash, first_seen_at, last_seen_at, fetched_at) "
            "VALUES ('a1', '{}', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    db.exec("INSERT INTO buildings (address_id, building_key, year_built) VALUES ('a1', 'b1', 1931)");
    db.exec("INSERT INTO registrations (address_id, registration_id, amount) VALUES ('a1', 'r1', 100), "
            "('a1', 'r2', 200)");
  }
  const std::vector<std::string> children = {"buildings", "registrations"};
  const std::string before = test::canonical_dump("sqlite:" + path, children);
  open_store("sqlite:" + path).reset();
  EXPECT_EQ(test::canonical_dump("sqlite:" + path, children), before);
  const auto sql = test::query_rows("sqlite:" + path, "SELECT name, sql FROM sqlite_master WHERE name IN "
                                                      "('buildings', 'registrations') ORDER BY name");
  ASSERT_EQ(sql.size(), 2u);
  for (const auto& row : sql) EXPECT_NE(row[1].find("WITHOUT ROWID"), std::string::npos) << row[0];
  EXPECT_EQ(test::count_rows("sqlite:" + path, "registrations"), 2);
}

int migration_version(const std::string& dialect, const std::string& name) {
  for (const auto& m : loaders_detail::migrations_for(dialect)) {
    if (m.name == name) return m.version;
  }
  return 0;
}

// Migration 010 (both dialects) moves the payloads out of properties into
// property_payloads: a database written before it (here: taken back to that schema) holds the
// same data after it, and properties has no raw_json left.
TEST(CrossDialect, PayloadsMoveToTheirOwnTableKeepingEveryRow) {
  const auto records = test::load_fixture_records();
  test::TempDir dir;
  for (const std::string& url : {"sqlite:" + dir.file("etl.db"), test::PgServer::shared().fresh_database()}) {
    const bool sqlite = url.rfind("sqlite:", 0) == 0;
    ASSERT_TRUE(open_store(url)->upsert_batch(records, 1'700'000'000).failures.empty());
    const std::string before = test::canonical_dump(url);
    const int version = migration_version(sqlite ? "sqlite" : "postgres", "property_payloads");
    ASSERT_GT(version, 0);
    test::exec_sql(url, {fmt::format("ALTER TABLE properties ADD COLUMN raw_json {}", sqlite ? "TEXT" : "JSONB"),
                         "UPDATE properties SET raw_json = (SELECT pp.raw_json FROM property_payloads pp "
                         "WHERE pp.address_id = properties.address_id)",
                         "DROP TABLE property_payloads",
                         fmt::format("DELETE FROM schema_migrations WHERE version = {}", version)});
    open_store(url).reset();
    EXPECT_EQ(test::canonical_dump(url), before) << url;
    EXPECT_EQ(test::count_rows(url, "property_payloads"), static_cast<std::int64_t>(records.size()));
    const auto left = test::query_rows(url, sqlite ? "SELECT COUNT(*) FROM pragma_table_info('properties') "
                                                     "WHERE name = 'raw_json'"
                                                   : "SELECT CAST(COUNT(*) AS integer) FROM information_schema.columns "
                                                     "WHERE table_name = 'properties' AND column_name = 'raw_json'");
    EXPECT_EQ(left.at(0).at(0), "0") << url;
  }
}

// PostgreSQL migration 011: payloads stored as jsonb (before it) become json, every row kept,
// the column still lz4-compressed.
TEST(PostgresMigration, PayloadsBecomeJsonKeepingEveryRow) {
  const auto records = test::load_fixture_records();
  const std::string url = test::PgServer::shared().fresh_database();
  ASSERT_TRUE(open_store(url)->upsert_batch(records, 1'700'000'000).failures.empty());
  const std::string before = test::canonical_dump(url);
  const int version = migration_version("postgres", "payloads_as_json");
  ASSERT_GT(version, 0);
  test::exec_sql(url, {"ALTER TABLE property_payloads ALTER COLUMN raw_json TYPE jsonb USING CAST(raw_json AS jsonb)",
                       "ALTER TABLE property_payloads ALTER COLUMN raw_json SET COMPRESSION lz4",  // as 010 left it
                       fmt::format("DELETE FROM schema_migrations WHERE version = {}", version)});
  const std::string type_query =
      "SELECT data_type FROM information_schema.columns WHERE table_name = 'property_payloads' AND column_name = "
      "'raw_json'";
  ASSERT_EQ(test::query_rows(url, type_query).at(0).at(0), "jsonb");
  open_store(url).reset();
  EXPECT_EQ(test::query_rows(url, type_query).at(0).at(0), "json");
  EXPECT_EQ(test::canonical_dump(url), before);
  EXPECT_EQ(test::query_rows(url, "SELECT CAST(attcompression AS text) FROM pg_attribute WHERE attrelid = "
                                  "CAST('property_payloads' AS regclass) AND attname = 'raw_json'")
                .at(0)
                .at(0),
            "l");
}

TEST(CrossDialect, SqliteAndPostgresDumpsAreEqual) {
  const auto records = test::load_fixture_records();
  test::TempDir dir;
  const std::string sqlite_url = "sqlite:" + dir.file("etl.db");
  const std::string pg_url = test::PgServer::shared().fresh_database();
  for (const auto& url : {sqlite_url, pg_url}) {
    auto store = open_store(url);
    auto offer = records.back();
    offer.cases[0].price_changes = {PriceChange{"2025-05-01", 3'200'000, 1.25}};
    std::vector<PropertyRecord> batch(records.begin(), records.end() - 1);
    batch.push_back(offer);
    ASSERT_TRUE(store->upsert_batch(batch, kT0).failures.empty());
    store->mark_removed({records[1].address_id}, kT0 + 5);
  }
  const std::string a = test::canonical_dump(sqlite_url), b = test::canonical_dump(pg_url);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("== properties (11 rows)"), std::string::npos);
  EXPECT_NE(a.find("removed=1"), std::string::npos);
  EXPECT_NE(a.find("payload_hash="), std::string::npos);
  EXPECT_NE(a.find("== price_changes (1 rows)"), std::string::npos);
}

TEST(PostgresStore, ReconnectsAfterAServerRestart) {
  test::PgServer pg;  // its own server: this test stops it
  pg.create_database("restart");
  auto store = open_store(pg.url("restart"));
  ASSERT_EQ(store->upsert_batch({test::load_fixture_records()[0]}, kT0).written, 1);

  pg.stop(/*immediate=*/true);
  EXPECT_THROW(store->lookup({"x"}, kT0), StoreError);
  pg.start();
  // The next call reconnects by itself.
  const auto states = store->lookup({"0a3f50c2-b95c-32b8-e044-0003ba298018"}, kT0 + 1);
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(test::count_rows(pg.url("restart"), "registrations"), 7);
  // A write of the same shape prepares its statements again: the new connection has none of
  // the old one's.
  PropertyRecord again = test::load_fixture_records()[0];
  again.address_id = "restart-2";
  const auto written = store->upsert_batch({again}, kT0 + 2);
  EXPECT_EQ(written.written, 1);
  EXPECT_TRUE(written.failures.empty());
}

}  // namespace
}  // namespace etl
