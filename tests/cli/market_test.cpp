// `etl market` as people and scripts read it (issue 36): the table fits the terminal and
// never cuts a number, CSV is RFC 4180 with no formula cell, JSON is one object with exact
// medians; unknown names get a did-you-mean, an empty database says what to run first.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "etl/core/text_columns.hpp"
#include "etl/core/utc_time.hpp"
#include "loaders/store.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/listed_villa.hpp"
#include "tests/support/process.hpp"

namespace etl::test {
namespace {

constexpr UnixTime kDay = 86'400;

std::vector<std::string> lines_of(const std::string& text, const std::string& eol = "\n") {
  std::vector<std::string> out;
  for (std::size_t pos = 0, end; (end = text.find(eol, pos)) != std::string::npos; pos = end + eol.size())
    out.push_back(text.substr(pos, end - pos));
  return out;
}

// København: two listings (4.00M at 80 m², 5.96M at 100 m²), a cut of -4 % yesterday; a
// municipality with a long name: one listing (12.35M at 150 m²), listed two days ago.
class Market : public ::testing::Test {
 protected:
  void SetUp() override {
    const UnixTime now = std::time(nullptr);
    open_store(url_)->upsert_batch({listed("a1", 101, "København", 5'960'000, 100, 10),
                                    listed("a2", 101, "København", 4'000'000, 80, 20),
                                    listed("b1", 173, "Lyngby-Taarbæk og Omegns Kommune", 12'345'678, 150, 30)},
                                   now - 40 * kDay);
    exec_sql(url_, {fmt::format("INSERT INTO property_events (address_id, kind, case_id, old_price, new_price, "
                                "percent, observed_at) VALUES ('a1', 'price_changed', 'case-a1', 6208333, 5960000, "
                                "-4.0, '{}')",
                                *format_utc_time(now - kDay)),
                    fmt::format("INSERT INTO property_events (address_id, kind, case_id, new_price, observed_at) "
                                "VALUES ('b1', 'listed', 'case-b1', 12345678, '{}')",
                                *format_utc_time(now - 2 * kDay))});
  }

  ProcessResult market(std::vector<std::string> args, const std::string& columns = "") {
    args.insert(args.begin(), {ETL_BIN, "market", "--db", url_});
    return run_process(args, {{"ETL_DB_URL", ""}, {"COLUMNS", columns}});
  }

  TempDir dir_;
  std::string url_ = "sqlite:" + dir_.file("etl.db");
};

TEST_F(Market, TableFitsTheWidthAndNeverCutsANumber) {
  for (const std::size_t width : {160u, 100u, 80u, 70u}) {
    const ProcessResult r = market({}, std::to_string(width));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string shown = "COLUMNS=" + std::to_string(width) + ":\n" + r.out;
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 5u) << "a header, two municipalities, the total, the legend; " << shown;
    for (const std::string& line : lines) EXPECT_LE(text_columns(line), width) << shown;
    // Compact numbers, whole: medians 4.98M (two listings), 12.35M, 5.96M (three); per m² 54.8k, 82.3k, 59.6k.
    for (const char* number : {" 4.98M ", " 12.35M ", " 5.96M ", " 54k ", " 82k ", " 59k ", " -4.0%", " 1/1 "})
      EXPECT_NE(r.out.find(number), std::string::npos) << number << " is missing or cut; " << shown;
    const bool fits = width >= 85;  // the long name at its full width
    EXPECT_EQ(r.out.find("Lyngby-Taarbæk og Omegns Kommune") != std::string::npos, fits) << shown;
    EXPECT_EQ(r.out.find('~') != std::string::npos, !fits) << "the name is cut where it does not fit; " << shown;
    EXPECT_EQ(lines[3].substr(0, 5), "TOTAL") << shown;
  }
}

TEST_F(Market, CsvIsRfc4180WithExactNumbersAndNoFormula) {
  exec_sql(url_, {"UPDATE municipalities SET name = '=HYPERLINK(\"http://x\")' WHERE code = 173"});
  const ProcessResult r = market({"--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines_of(r.out, "\r\n");
  ASSERT_EQ(rows.size(), 4u) << r.out;
  EXPECT_EQ(rows[0], "municipality_code,municipality,villas,listed,median_price,median_price_per_m2,"
                     "median_days_on_market,new_listings_7d,new_listings_30d,price_cuts_7d,price_cuts_30d,sales_7d,"
                     "sales_30d,median_cut_percent_30d");
  EXPECT_EQ(rows[1], "173,\"'=HYPERLINK(\"\"http://x\"\")\",1,1,12345678,82304.52,30,1,1,0,0,0,0,") << r.out;
  EXPECT_EQ(rows[2], "101,København,2,2,4980000,54800,15,0,0,1,1,0,0,-4") << r.out;
  EXPECT_EQ(rows[3], ",total,3,3,5960000,59600,20,1,1,1,1,0,0,-4") << r.out;
}

TEST_F(Market, JsonIsOneObjectOfTheMunicipalitiesAsked) {
  const ProcessResult r = market({"--format", "json", "--municipality", "kobenhavn", "--municipality", "Odense"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(lines_of(r.out).size(), 1u) << r.out;
  EXPECT_NO_THROW(canonical_json(r.out)) << r.out;
  // Odense has nothing stored: a row of zeros, named from the area configuration.
  EXPECT_NE(r.out.find("{\"code\":461,\"name\":\"Odense\",\"villas\":0,\"listed\":0,\"median_price\":null,"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("{\"code\":101,\"name\":\"København\",\"villas\":2,\"listed\":2,\"median_price\":4980000,"
                       "\"median_price_per_m2\":54800,\"median_days_on_market\":15,\"new_listings_7d\":0,"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"total\":{\"villas\":2,\"listed\":2,\"median_price\":4980000,"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Lyngby"), std::string::npos) << r.out;
}

TEST_F(Market, ErrorsSayWhatToDo) {
  const ProcessResult typo = market({"--municipality", "Kobenhvn"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("unknown municipality 'Kobenhvn'; did you mean 'København'?"), std::string::npos) << typo.err;
  const ProcessResult area = market({"--area", "copenhagn"});
  EXPECT_EQ(area.exit_code, 2);
  EXPECT_NE(area.err.find("did you mean 'copenhagen'"), std::string::npos) << area.err;
  EXPECT_EQ(market({"--area", "copenhagen", "--municipality", "Gentofte"}).exit_code, 2);
  EXPECT_EQ(market({"--format", "xml"}).exit_code, 2);

  const std::string empty = "sqlite:" + dir_.file("empty.db");
  open_store(empty);  // created and migrated, nothing imported
  const ProcessResult none = run_process({ETL_BIN, "market", "--db", empty}, {{"ETL_DB_URL", ""}});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no properties stored"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("`etl run --area"), std::string::npos) << none.err;
  EXPECT_EQ(std::count(none.err.begin(), none.err.end(), '\n'), 1) << none.err;

  const std::string missing = "sqlite:" + dir_.file("missing.db");
  const ProcessResult absent = run_process({ETL_BIN, "market", "--db", missing}, {{"ETL_DB_URL", ""}});
  EXPECT_EQ(absent.exit_code, 1);
  EXPECT_NE(absent.err.find("no database at"), std::string::npos) << absent.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("missing.db"))) << "market created the database";
}

TEST_F(Market, HelpHasAnExample) {
  const ProcessResult help = run_process({ETL_BIN, "market", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Examples:\n  $ etl market --area copenhagen\n"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace etl::test
