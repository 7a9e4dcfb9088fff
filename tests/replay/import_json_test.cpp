// `etl import-json`: the shapes a saved payload file can have, stdin, bad files and reruns.
// Issue 33: a file that never ends, a signal while reading, a byte order mark, and bytes one
// dialect would store and the other refuse.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/replay/replay_fixtures.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"

namespace etl {
namespace {

using test::expect_payloads_equal_files;
using test::file_bytes;
using test::import_json;
using test::write_file;

constexpr int kExitWithFailures = 3;

class ReplayImportJsonTest : public ::testing::Test {
 protected:
  std::string db(const std::string& name) const { return "sqlite:" + dir.file(name); }

  // The database that importing `files` one object per file gives.
  std::string reference_dump(const std::vector<std::string>& files) {
    const auto r = import_json(files, db("reference.db"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return test::canonical_dump(db("reference.db"));
  }

  test::TempDir dir;
  const std::vector<std::string> fixtures = test::address_fixture_files();
};

TEST_F(ReplayImportJsonTest, ArrayFileLoadsLikeOneFilePerAddress) {
  // Newlines before "," and "]" must not end up in the stored payloads.
  std::string array = "[";
  for (const auto& f : fixtures) array += (array.size() > 1 ? "\n," : "") + file_bytes(f);
  write_file(dir.file("all.json"), array + "\n]\n");
  const auto r = import_json({dir.file("all.json")}, db("array.db"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_payloads_equal_files(db("array.db"), fixtures);
  EXPECT_EQ(test::canonical_dump(db("array.db")), reference_dump(fixtures));
}

TEST_F(ReplayImportJsonTest, SearchPageLoadsLikeOneFilePerAddress) {
  const std::vector<std::string> two = {fixtures.front(), fixtures.back()};
  write_file(dir.file("page.json"), "{\"totalHits\": 2, \"addresses\": [" + file_bytes(two[0]) + ", " +
                                        file_bytes(two[1]) + "]}");
  const auto r = import_json({dir.file("page.json")}, db("page.db"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_payloads_equal_files(db("page.db"), two);
  EXPECT_EQ(test::canonical_dump(db("page.db")), reference_dump(two));
}

TEST_F(ReplayImportJsonTest, DirectoryIsReadRecursivelyForJsonFiles) {
  write_file(dir.file("in/top.json"), file_bytes(fixtures[0]));
  write_file(dir.file("in/a/b/deep.json"), file_bytes(fixtures[1]));
  write_file(dir.file("in/a/notes.txt"), "not a payload, and not *.json");
  const auto r = import_json({dir.file("in")}, db("dir.db"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_payloads_equal_files(db("dir.db"), {fixtures[0], fixtures[1]});
}

TEST_F(ReplayImportJsonTest, DashReadsStandardInput) {
  const std::string command = "cat " + test::shell_quote(fixtures[0]) + " | " + test::shell_quote(ETL_BIN) +
                              " import-json --log-level warn --db " + test::shell_quote(db("stdin.db")) + " -";
  const auto r = test::run_process({"/bin/sh", "-c", command});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_payloads_equal_files(db("stdin.db"), {fixtures[0]});
}

TEST_F(ReplayImportJsonTest, BadFilesAreRecordedFailuresAndNothingElseIsLost) {
  write_file(dir.file("in/1-good.json"), file_bytes(fixtures[0]));
  write_file(dir.file("in/2-not-json.json"), "this is not JSON {");
  write_file(dir.file("in/3-no-address.json"), R"({"totalHits": 0, "note": "no address here"})");
  write_file(dir.file("in/4-empty-array.json"), "[]");
  write_file(dir.file("in/5-good.json"), file_bytes(fixtures[1]));
  const auto r = import_json({dir.file("in"), dir.file("missing.json")}, db("bad.db"));
  EXPECT_EQ(r.exit_code, kExitWithFailures) << r.out << r.err;
  expect_payloads_equal_files(db("bad.db"), {fixtures[0], fixtures[1]});

  const auto failures = test::query_rows(db("bad.db"), "SELECT source, stage FROM etl_failures ORDER BY source");
  std::vector<std::string> sources;
  for (const auto& row : failures) {
    sources.push_back(row[0]);
    EXPECT_EQ(row[1], "import");
  }
  EXPECT_EQ(sources, (std::vector<std::string>{dir.file("in/2-not-json.json"), dir.file("in/3-no-address.json"),
                                               dir.file("in/4-empty-array.json"), dir.file("missing.json")}));
}

// The fixtures are lean search items (no isOnMarket, no slugAddress); a detail of the same
// property has both. Whichever is read last, in one import or a later one, the detail stays:
// a search item says nothing of the listing, so it must not blank what the detail says.
TEST_F(ReplayImportJsonTest, ASearchItemNeverReplacesTheDetailOfTheSameProperty) {
  const std::string lean = file_bytes(fixtures.front());
  ASSERT_EQ(lean.find("isOnMarket"), std::string::npos) << "a search item";
  const std::string detail = "{\"isOnMarket\":false,\"slugAddress\":\"a-detail\"," + lean.substr(lean.find('{') + 1);
  write_file(dir.file("in/1-detail.json"), detail);
  write_file(dir.file("in/2-search-item.json"), lean);
  write_file(dir.file("later/search-page.json"), "{\"addresses\": [" + lean + "]}");
  const std::string id = test::fixture_address_id(fixtures.front());
  const auto stored = [&](const std::string& db_url) {
    return test::query_rows(db_url, "SELECT CAST(is_on_market AS integer) FROM properties")[0][0] + " " +
           test::stored_payloads(db_url).at(id);
  };
  const std::string kept = "0 " + detail;

  ASSERT_EQ(import_json({dir.file("in")}, db("one.db")).exit_code, 0);
  EXPECT_EQ(stored(db("one.db")), kept) << "one import, the item read last";

  ASSERT_EQ(import_json({dir.file("in/1-detail.json")}, db("two.db")).exit_code, 0);
  const auto r = import_json({dir.file("later")}, db("two.db"), {"--summary-json", dir.file("s.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(stored(db("two.db")), kept) << "a later import";
  simdjson::dom::parser parser;
  EXPECT_EQ(parser.load(dir.file("s.json"))["totals"]["unchanged"].get_int64().value(), 1);

  // The other way round the detail is written over the item.
  ASSERT_EQ(import_json({dir.file("in/2-search-item.json")}, db("three.db")).exit_code, 0);
  ASSERT_EQ(import_json({dir.file("in/1-detail.json")}, db("three.db")).exit_code, 0);
  EXPECT_EQ(stored(db("three.db")), kept);
}

// A file that never ends (/dev/zero) or is bigger than a payload file can be: a recorded
// failure saying so, read no further than the limit. Bounded: the 64 MiB read and the process
// (~80 MB); AddressSanitizer's shadow memory and quarantine add about as much again.
#ifdef __SANITIZE_ADDRESS__
constexpr std::int64_t kPeakRssLimitKb = 400 * 1024;
#else
constexpr std::int64_t kPeakRssLimitKb = 200 * 1024;
#endif
TEST_F(ReplayImportJsonTest, AnEndlessFileEndsWithAClearErrorInBoundedMemory) {
  write_file(dir.file("zeros.json"), "");
  std::filesystem::resize_file(dir.file("zeros.json"), 100 << 20);
  for (const std::string& file : {std::string("/dev/zero"), dir.file("zeros.json")}) {
    const auto started = std::chrono::steady_clock::now();
    const auto r = import_json({file}, db("zero.db"), {"--summary-json", dir.file("zero.json")});
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
    EXPECT_EQ(r.exit_code, kExitWithFailures) << r.err;
    EXPECT_NE(r.err.find(file + ": the file is over 64 MiB"), std::string::npos) << r.err;
    simdjson::dom::parser parser;
    EXPECT_LT(parser.load(dir.file("zero.json"))["peak_rss_kb"].get_int64().value(), kPeakRssLimitKb);
  }
}

// SIGTERM while a read waits (a FIFO whose writer sends nothing) stops the import at once.
TEST_F(ReplayImportJsonTest, ASignalStopsAReadThatWaits) {
  const std::string fifo = dir.file("pipe.json");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const int writer = open(fifo.c_str(), O_RDWR);  // a writer that never writes
  ASSERT_GE(writer, 0);
  test::ChildProcess etl({ETL_BIN, "import-json", "--db", db("fifo.db"), fifo});
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  const auto signalled = std::chrono::steady_clock::now();
  etl.send_signal(SIGTERM);
  const auto r = etl.wait(std::chrono::seconds(20));
  close(writer);
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::seconds(5));
  EXPECT_EQ(r.exit_code, 143) << r.err;
  EXPECT_EQ(test::query_rows(db("fifo.db"), "SELECT status FROM etl_runs").at(0).at(0), "interrupted");
}

TEST_F(ReplayImportJsonTest, AByteOrderMarkIsNamed) {
  write_file(dir.file("bom.json"), "\xEF\xBB\xBF" + file_bytes(fixtures[0]));
  const auto r = import_json({dir.file("bom.json")}, db("bom.db"));
  EXPECT_EQ(r.exit_code, kExitWithFailures) << r.err;
  EXPECT_NE(r.err.find("starts with a UTF-8 byte order mark (bytes EF BB BF)"), std::string::npos) << r.err;
}

// SQLite's TEXT takes any bytes, PostgreSQL's json and text do not: a number 00012 (invalid
// JSON, in a field the parser does not read) and \u0000 in a text field are refused in both,
// recorded alike, and the good payload stored in both.
TEST_F(ReplayImportJsonTest, BadBytesAreRefusedAlikeInBothDialects) {
  const std::string good = file_bytes(fixtures[0]);
  std::string zeros = file_bytes(fixtures[1]), nul = file_bytes(fixtures[2]);
  zeros.insert(zeros.find('{') + 1, R"("extraNumber":00012,)");
  const auto road = nul.find(R"("roadName")");
  ASSERT_NE(road, std::string::npos);
  nul.insert(nul.find('"', road + 11) + 1, R"(\u0000)");  // the first character of its value
  write_file(dir.file("in/1-good.json"), good);
  write_file(dir.file("in/2-leading-zeros.json"), zeros);
  write_file(dir.file("in/3-nul.json"), nul);
  std::vector<std::vector<std::vector<std::string>>> outcomes;
  for (const std::string& url : {db("bytes.db"), test::PgServer::shared().fresh_database()}) {
    const auto r = import_json({dir.file("in")}, url);
    EXPECT_EQ(r.exit_code, kExitWithFailures) << r.err;
    EXPECT_EQ(test::query_rows(url, "SELECT address_id FROM properties"),
              (std::vector<std::vector<std::string>>{{test::fixture_address_id(fixtures[0])}}));
    outcomes.push_back(test::query_rows(url, "SELECT source, stage, reason FROM etl_failures ORDER BY source"));
  }
  ASSERT_EQ(outcomes[0].size(), 2u);
  EXPECT_EQ(outcomes[0], outcomes[1]) << "the same failures in both dialects";
  EXPECT_NE(outcomes[0][0][2].find("invalid JSON"), std::string::npos) << outcomes[0][0][2];
  EXPECT_NE(outcomes[0][1][2].find("\\u0000"), std::string::npos) << outcomes[0][1][2];
}

TEST_F(ReplayImportJsonTest, RerunChangesNoRow) {
  ASSERT_EQ(import_json(fixtures, db("rerun.db")).exit_code, 0);
  const std::string before = test::canonical_dump(db("rerun.db"));
  const auto r = import_json(fixtures, db("rerun.db"), {"--summary-json", dir.file("rerun.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::canonical_dump(db("rerun.db")), before);
  // Only last_seen_at and fetched_at are touched: the store found every payload unchanged.
  simdjson::dom::parser parser;
  EXPECT_EQ(parser.load(dir.file("rerun.json"))["totals"]["unchanged"].get_int64().value(),
            static_cast<std::int64_t>(fixtures.size()));
}

}  // namespace
}  // namespace etl
