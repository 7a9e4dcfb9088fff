// `etl import-json`: the shapes a saved payload file can have, stdin, bad files and reruns.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/replay/replay_fixtures.hpp"
#include "tests/support/db_dump.hpp"

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
