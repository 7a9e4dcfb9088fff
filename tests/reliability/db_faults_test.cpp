// Issue 8.3: the database fails under the run: PostgreSQL stops mid-run, a SQLite file is
// locked by another writer, the database path cannot be written, the disk fills up.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <unistd.h>

#include "tests/pipeline/etl_run_fixture.hpp"
#include "tests/reliability/reliability_support.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"

namespace etl::test {
namespace {

const std::vector<std::string> kReplicaArgs = {"--scale", "0.02", "--seed", "81", "--latency-ms", "20"};

std::vector<std::string> flags(const char* workers) {
  std::vector<std::string> f = municipality_flags({"København"});
  for (const char* a : {"--workers", workers, "--batch-size", "5", "--timeout", "5s"}) f.push_back(a);
  return f;
}

std::map<std::string, std::string> hashes(const std::string& db_url) {
  std::map<std::string, std::string> out;
  for (auto& r : query_rows(db_url, "SELECT address_id, payload_hash FROM properties")) out[r.at(0)] = r.at(1);
  return out;
}

// Restarts the shared server whatever the test's outcome.
struct RestartPg {
  ~RestartPg() { PgServer::shared().start(); }
};

TEST(DatabaseFaults, PostgresStoppedMidRunRetriesThenStopsAsInterruptedAndARerunCompletes) {
  ReplicaProcess replica(kReplicaArgs);
  TempDir dir;
  const std::string clean_url = "sqlite:" + dir.file("clean.db");
  ASSERT_EQ(run_process(etl_run_argv(replica.base_url(), clean_url, flags("8"))).exit_code, 0);
  const auto clean_hashes = hashes(clean_url);

  PgServer& pg = PgServer::shared();
  const std::string db_url = pg.fresh_database();
  std::int64_t committed = 0;
  ProcessResult r;
  std::int64_t stop_to_exit_ms = 0;
  {
    RestartPg restart;
    ChildProcess etl(etl_run_argv(replica.base_url(), db_url, flags("2")));
    ASSERT_TRUE(wait_until(
        [&] {
          try {
            return (committed = count_rows(db_url, "properties")) >= 20;
          } catch (const std::exception&) {
            return false;  // not migrated yet
          }
        },
        std::chrono::seconds(30)));
    pg.stop();
    const auto stopped = std::chrono::steady_clock::now();
    r = etl.wait(std::chrono::seconds(60));
    stop_to_exit_ms = elapsed_ms(stopped);
  }
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // Bounded: 3 reconnect attempts with 0.5 + 1 + 2 s backoff, then a stop (slack for sanitizers).
  EXPECT_LT(stop_to_exit_ms, 15'000);
  EXPECT_NE(r.err.find("reconnecting"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("giving up after 3 reconnect attempt(s)"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("secret"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("status interrupted"), std::string::npos) << r.out;

  // Every committed batch is intact: at least what was seen before the stop, each row the
  // same payload as the clean run's.
  const auto stored = hashes(db_url);
  EXPECT_GE(static_cast<std::int64_t>(stored.size()), committed);
  EXPECT_LT(stored.size(), clean_hashes.size());
  for (const auto& [id, hash] : stored) EXPECT_EQ(clean_hashes.at(id), hash) << id;

  const ProcessResult rerun = run_process(etl_run_argv(replica.base_url(), db_url, flags("8")));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_TRUE(canonical_dump(db_url) == canonical_dump(clean_url)) << "the rerun's database differs from a clean run's";
}

TEST(DatabaseFaults, SqliteLockedByAnotherWriterWaitsThenFailsClearly) {
  ReplicaProcess replica({"--scale", "0.002", "--seed", "3"});
  TempDir dir;
  const std::string file = dir.file("locked.db");
  ASSERT_EQ(run_process(etl_run_argv(replica.base_url(), "sqlite:" + file, flags("4"))).exit_code, 0);
  const std::string before = canonical_dump("sqlite:" + file);

  ProcessResult r;
  std::int64_t waited_ms = 0;
  {
    SQLite::Database holder(file, SQLite::OPEN_READWRITE);
    holder.exec("BEGIN EXCLUSIVE");
    holder.exec("INSERT INTO etl_failures (address_id, stage, reason, source, attempts, first_failed_at, last_failed_at) "
                "VALUES ('held', 'test', 'uncommitted', '', 1, '2025-01-01', '2025-01-01')");
    const auto started = std::chrono::steady_clock::now();
    r = run_process(etl_run_argv(replica.base_url(), "sqlite:" + file, flags("4")), {}, std::chrono::seconds(60));
    waited_ms = elapsed_ms(started);
    holder.exec("ROLLBACK");
  }
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_GE(waited_ms, 4'000) << "etl must wait for the lock (busy_timeout) before giving up";
  EXPECT_NE(r.err.find("database is locked"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" error "), std::string::npos) << "logged as an error: " << r.err;

  // Nothing corrupted: the file checks out and a run now succeeds with the same data.
  {
    SQLite::Database db(file, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  }
  EXPECT_TRUE(canonical_dump("sqlite:" + file) == before);
  const ProcessResult again = run_process(etl_run_argv(replica.base_url(), "sqlite:" + file, flags("4")));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(canonical_dump("sqlite:" + file) == before);
}

// The disk fills up mid-run: the SQLite database lives on a 6 MB tmpfs, mounted in a mount
// namespace of its own (unshare; a user namespace too when not root). The batch that does not
// fit fails and rolls back whole, the run stops with exit 1 saying so, and what was committed
// is intact and consistent; the rerun with space continues and ends where a clean import ends.
TEST(DatabaseFaults, SqliteDiskFullMidRunStopsCleanlyAndTheRerunCompletes) {
  ReplicaProcess replica({"--scale", "0.1", "--seed", "81"});
  TempDir small, out, clean;
  std::vector<std::string> argv = {"/usr/bin/unshare", "--mount"};
  if (geteuid() != 0) argv.insert(argv.end(), {"--user", "--map-root-user"});
  // $1: the mount point, $2: where the database is copied after etl exits (the mount dies
  // with the namespace), the rest: etl's argv.
  const std::string script =
      "dir=$1; keep=$2; shift 2; mount -t tmpfs -o size=6m tmpfs \"$dir\" || exit 97; "
      "\"$@\"; rc=$?; cp \"$dir\"/etl.db \"$dir\"/etl.db-wal \"$keep\"/ || exit 98; exit $rc";
  argv.insert(argv.end(), {"/bin/sh", "-c", script, "sh", small.path(), out.path()});
  const auto run = etl_run_argv(replica.base_url(), "sqlite:" + small.file("etl.db"), flags("8"));
  argv.insert(argv.end(), run.begin(), run.end());
  const ProcessResult full = run_process(argv);
  ASSERT_NE(full.exit_code, 97) << "cannot mount a tmpfs here: " << full.err;
  EXPECT_EQ(full.exit_code, 1) << full.err;
  EXPECT_NE(full.err.find("database or disk is full"), std::string::npos) << full.err;

  const std::string kept = "sqlite:" + out.file("etl.db");
  {
    SQLite::Database db(out.file("etl.db"), SQLite::OPEN_READWRITE);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  }
  const std::int64_t stored = count_rows(kept, "properties");
  EXPECT_GT(stored, 0) << "batches before the disk filled are kept";
  EXPECT_EQ(stored % 5, 0) << "whole batches of 5 only";
  EXPECT_EQ(count_rows(kept, "property_payloads"), stored);
  EXPECT_EQ(count_rows(kept, "property_events"), stored) << "a 'new' event with each property, none without";

  const ProcessResult again = run_process(etl_run_argv(replica.base_url(), kept, flags("8")));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  ASSERT_EQ(run_process(etl_run_argv(replica.base_url(), "sqlite:" + clean.file("etl.db"), flags("8"))).exit_code, 0);
  EXPECT_GT(count_rows(kept, "properties"), stored);
  EXPECT_TRUE(live_dump(kept) == live_dump("sqlite:" + clean.file("etl.db"))) << "the rerun ends where a clean import ends";
}

TEST(DatabaseFaults, UnwritableDatabasePathFailsBeforeAnyRequest) {
  ReplicaProcess replica({"--scale", "0.002", "--seed", "3"});
  TempDir dir;
  // A path below a regular file: not creatable even for root.
  const std::string regular = dir.file("plain-file");
  { std::ofstream(regular) << "x"; }
  for (const std::string& url : {"sqlite:" + regular + "/x.db", "sqlite:" + regular + "/sub/x.db"}) {
    const ProcessResult r = run_process(etl_run_argv(replica.base_url(), url, flags("4")));
    EXPECT_EQ(r.exit_code, 1) << url << ": " << r.err;
    EXPECT_NE(r.err.find(" error run failed before it began: sqlite " + regular), std::string::npos)
        << "logged as an error: " << r.err;
    EXPECT_EQ(replica_stat(replica, "search") + replica_stat(replica, "detail"), 0) << url;
  }
  EXPECT_EQ(std::filesystem::file_size(regular), 1u);
}

}  // namespace
}  // namespace etl::test
