// `etl changes` as people read it (issue 31): the table is as wide as the terminal ($COLUMNS;
// 80 columns without one) and shortens the names to fit, never a number of the CHANGE
// column; --since takes a UTC time as people type it, and refuses a date that does not exist.
// Issue 33: the API's text reaches no terminal raw, and no CSV cell is a spreadsheet formula.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <ctime>
#include <sstream>

#include "etl/core/text_columns.hpp"
#include "etl/core/utc_time.hpp"
#include "tests/support/process.hpp"

namespace etl::test {
namespace {

const std::string kFixture = std::string(ETL_FIXTURES_DIR) + "/address-0a3f50c2-b95c-32b8-e044-0003ba298018.json";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A database with one imported property, its road and municipality renamed long (for the
// table to shorten); add_event gives it events.
class Changes : public ::testing::Test {
 protected:
  void SetUp() override {
    const ProcessResult import = run_process({ETL_BIN, "import-json", "--db", url_, kFixture}, {{"ETL_DB_URL", ""}});
    ASSERT_EQ(import.exit_code, 0) << import.err;
    SQLite::Database db(dir_.file("etl.db"), SQLite::OPEN_READWRITE);
    db.exec("UPDATE properties SET road_name = 'Kongens Lyngby Nordre Omfartsvej', house_number = '117'");
    db.exec("UPDATE municipalities SET name = 'Lyngby-Taarbæk'");
    db.exec("DELETE FROM property_events");
  }

  // An event of the property observed at `observed_at` (UTC text).
  void add_event(const std::string& kind, std::int64_t old_price, std::int64_t new_price, double percent,
                 std::int64_t sale_amount, const std::string& observed_at) {
    SQLite::Database db(dir_.file("etl.db"), SQLite::OPEN_READWRITE);
    SQLite::Statement insert(db,
                             "INSERT INTO property_events (address_id, kind, case_id, old_price, new_price, percent, "
                             "sale_amount, observed_at) SELECT address_id, ?1, 'c1', ?2, ?3, ?4, ?5, ?6 FROM properties");
    insert.bind(1, kind);
    insert.bind(2, old_price);
    insert.bind(3, new_price);
    insert.bind(4, percent);
    insert.bind(5, sale_amount);
    insert.bind(6, observed_at);
    ASSERT_EQ(insert.exec(), 1);
  }

  ProcessResult changes(std::vector<std::string> args, const std::string& columns = "") {
    args.insert(args.begin(), {ETL_BIN, "changes", "--db", url_});
    return run_process(args, {{"ETL_DB_URL", ""}, {"COLUMNS", columns}});
  }

  TempDir dir_;
  std::string url_ = "sqlite:" + dir_.file("etl.db");
};

TEST_F(Changes, TableFitsTheWidthAndNeverCutsANumber) {
  const std::string now = *format_utc_time(std::time(nullptr));
  add_event("price_changed", 10'120'000, 9'590'000, -5.24, 0, now);
  add_event("sold", 10'990'000, 0, 0, 10'500'000, now);
  add_event("listed", 0, 12'345'678, 0, 0, now);
  // "" is no $COLUMNS: standard output is a pipe, so 80 columns.
  for (const auto& [columns, width] : std::vector<std::pair<std::string, std::size_t>>{
           {"", 80}, {"160", 160}, {"100", 100}, {"80", 80}, {"60", 60}}) {
    const ProcessResult r = changes({}, columns);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string shown = "COLUMNS=" + columns + ":\n" + r.out;
    for (const char* number : {"10.12M->9.59M -5.2%", "10.50M (ask 10.99M)", "12.35M"})
      EXPECT_NE(r.out.find(number), std::string::npos) << number << " is cut; " << shown;
    for (const std::string& line : lines_of(r.out)) EXPECT_LE(text_columns(line), width) << shown;
    const bool names_fit = width >= 11 + 13 + 42 + 14 + 19 + 4;  // every column at its widest
    EXPECT_EQ(r.out.find("Kongens Lyngby Nordre Omfartsvej 117, 8200 Lyngby-Taarbæk") != std::string::npos, names_fit)
        << shown;
    EXPECT_EQ(r.out.find('~') != std::string::npos, !names_fit) << "names are cut where they do not fit; " << shown;
    EXPECT_NE(r.out.find("\n3 changes since 24h\n"), std::string::npos) << shown;
  }
}

// A road name with an ESC sequence, a newline and a C1 CSI, a municipality that is a formula.
TEST_F(Changes, NoControlCharacterReachesTheTerminalAndNoCellIsAFormula) {
  {
    SQLite::Database db(dir_.file("etl.db"), SQLite::OPEN_READWRITE);
    db.exec("UPDATE properties SET road_name = 'Evil' || char(27) || '[2J' || char(10) || 'Row' || char(155) || '31m'");
    db.exec("UPDATE municipalities SET name = '=HYPERLINK(\"http://x\")'");
  }
  add_event("price_changed", 2'000'000, 1'900'000, -5.0, 0, *format_utc_time(std::time(nullptr)));
  const auto control = [](const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if ((c < 0x20 && c != '\n' && c != '\r') || c == 0x7f) return true;
      if (c == 0xc2 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xe0) == 0x80) return true;
    }
    return false;
  };
  const ProcessResult table = changes({}, "200");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_FALSE(control(table.out)) << table.out;
  EXPECT_NE(table.out.find("Evil\\x1b[2J\\nRow\\u009b31m"), std::string::npos) << table.out;
  EXPECT_EQ(lines_of(table.out).size(), 3u) << "a header, one row, the count:\n" << table.out;
  const ProcessResult csv = changes({"--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_FALSE(control(csv.out)) << csv.out;
  EXPECT_NE(csv.out.find(",\"'=HYPERLINK(\"\"http://x\"\")\","), std::string::npos) << csv.out;
  EXPECT_EQ(csv.out.find(",=HYPERLINK"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find(",-5.00,"), std::string::npos) << "a negative number stays a number: " << csv.out;
}

TEST_F(Changes, SinceTakesAUtcTimeAsPeopleTypeIt) {
  add_event("listed", 0, 1'000'000, 0, 0, "2026-11-30T05:59:59Z");
  add_event("listed", 0, 2'000'000, 0, 0, "2026-11-30T06:00:00Z");
  add_event("listed", 0, 3'000'000, 0, 0, "2026-11-30T06:00:30Z");
  for (const auto& [since, events] : std::vector<std::pair<std::string, std::size_t>>{
           {"2026-11-30", 3},
           {"2026-11-30 06:00", 2},
           {"2026-11-30T06:00", 2},
           {"2026-11-30 06:00:30", 1},
           {"2026-11-30T06:00:01", 1},
           {"2026-11-30T06:00:00Z", 2},
           {"2026-11-30T05:59Z", 3}}) {
    const ProcessResult r = changes({"--since", since, "--format", "csv"});
    ASSERT_EQ(r.exit_code, 0) << since << ": " << r.err;
    EXPECT_EQ(lines_of(r.out).size(), 1 + events) << since << ":\n" << r.out;
  }
  for (const char* wrong : {"2026-02-30", "2026-02-30 06:00", "2026-11-30 24:00", "2026-11-30 6:00", "2026-11-30T06",
                            "2026-11-30 06:00:00 ", "2026-11-30Z", "30-11-2026"}) {
    const ProcessResult r = changes({"--since", wrong});
    EXPECT_EQ(r.exit_code, 2) << wrong;
    EXPECT_NE(r.err.find("YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], YYYY-MM-DDTHH:MM[:SS][Z]"), std::string::npos)
        << wrong << ": the message lists the forms: " << r.err;
  }
}

}  // namespace
}  // namespace etl::test
