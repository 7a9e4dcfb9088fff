// The report in a real browser (Debian's headless chromium): the report `etl report` writes of
// a real database (a replica import of the copenhagen area and three nightly refreshes) loads
// with every other origin refused and no request made, no error, every chart drawn (checked
// from outside the page's code by page_check.js), and it and a screenshot 1280 px wide are kept
// for CI under build/. Hostile API text breaks nothing; the check is shown to fail on a page that
// makes a request, and on a chart that did not draw.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "etl/report/chart_library.hpp"
#include "etl/report/report_page.hpp"
#include "tests/report/headless_chromium.hpp"
#include "tests/report/refusing_proxy.hpp"
#include "tests/report/sample_report.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {
namespace {

const std::vector<std::string> kCharts{"chart-price-per-m2", "chart-listed", "chart-weeks", "chart-price-area", "chart-map"};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

struct Canvas {
  std::string id;
  bool chart = false;
  std::int64_t points = 0;
  std::int64_t marks = 0;  // coloured pixels
};

// What page_check.js found, and what chromium's log says of the page's console.
struct PageCheck {
  bool ran = false;
  std::vector<std::string> errors;
  std::vector<Canvas> canvases;
  std::int64_t height = 0;  // of the page at 1280 px wide
  std::string title;
  std::vector<std::string> console;
  std::string log;  // chromium's stderr, for failure messages
};

std::string unescape_html(std::string s) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}}) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  }
  return s;
}

// Opens a copy of `page` with page_check.js first in its <head>, and reads the check's
// findings from the DOM chromium dumps.
PageCheck check_page(const std::string& page, const RefusingProxy& proxy, const TempDir& dir) {
  std::string html = read_file(page);
  const std::string check = read_file(std::string(ETL_SOURCE_DIR) + "/tests/report/page_check.js");
  html.insert(html.find("<head>") + 6, "\n<script>\n" + check + "</script>\n");
  const std::string copy = dir.file("checked.html");
  write_file(copy, html);
  const ProcessResult r = run_chromium(copy, proxy.port(), {"--dump-dom", "--window-size=1280,1000"});
  PageCheck out;
  out.console = console_messages(r.err);
  out.log = r.err;
  const std::string open = "<pre id=\"page-check\">";
  const auto start = r.out.rfind(open);  // the check appends it last
  if (r.exit_code != 0 || start == std::string::npos) return out;
  const auto end = r.out.find("</pre>", start);
  simdjson::dom::parser parser;
  const simdjson::dom::element found = parser.parse(unescape_html(r.out.substr(start + open.size(), end - start - open.size())));
  out.ran = true;
  out.height = std::int64_t(found["height"]);
  out.title = std::string(std::string_view(found["title"]));
  for (const simdjson::dom::element e : found["errors"].get_array()) out.errors.emplace_back(std::string_view(e));
  for (const simdjson::dom::element c : found["canvases"].get_array())
    out.canvases.push_back({std::string(std::string_view(c["id"])), bool(c["chart"]), std::int64_t(c["points"]), std::int64_t(c["marks"])});
  return out;
}

// Every chart of the report is on the page, with its data drawn.
void expect_every_chart_drawn(const PageCheck& check) {
  ASSERT_TRUE(check.ran) << "the check did not run:\n" << check.log;
  ASSERT_EQ(check.canvases.size(), kCharts.size());
  for (std::size_t i = 0; i < kCharts.size(); ++i) {
    const Canvas& c = check.canvases[i];
    EXPECT_EQ(c.id, kCharts[i]);
    EXPECT_TRUE(c.chart) << c.id << " has no chart";
    EXPECT_GT(c.points, 0) << c.id << " has no data";
    EXPECT_GT(c.marks, 200) << c.id << ": its data is not drawn (" << c.marks << " coloured pixels)";
  }
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

class ReportInBrowser : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(std::filesystem::exists(kChromium)) << kChromium << " is missing: `make deps` installs chromium"; }

  std::string write_page(const MarketReport& report) {
    const std::string path = dir_.file("report.html");
    write_file(path, report_page(report, read_chart_library()));
    return path;
  }

  TempDir dir_;
  RefusingProxy proxy_;
};

// A database as the nights leave it: a first import of the copenhagen area from the replica
// (a twentieth of the market, churning fast), then three nightly refreshes. The nights are made
// a week apart (after each, the events so far are moved back 7 days) so the weekly chart has
// four weeks to show.
std::string real_database(const TempDir& dir) {
  const std::string db = dir.file("market.db");
  for (int night = 0; night <= 3; ++night) {
    ReplicaProcess replica({"--scale", "0.05", "--seed", "5", "--churn", "busy", "--epoch", std::to_string(night)});
    std::vector<std::string> argv{ETL_BIN, "run", "--area", "copenhagen", "--db", db, "--api-url", replica.base_url(),
                                  "--max-rps", "0", "--progress", "none"};
    if (night > 0) argv.insert(argv.end(), {"--refresh", "on-market"});
    const ProcessResult run = run_process(argv, {{"ETL_DB_URL", ""}, {"ETL_CONFIG", ""}});
    EXPECT_EQ(run.exit_code, 0) << "night " << night << ": " << run.err;
    if (night == 3) break;
    SQLite::Database(db, SQLite::OPEN_READWRITE)
        .exec("UPDATE property_events SET observed_at = strftime('%Y-%m-%dT%H:%M:%SZ', observed_at, '-7 days')");
  }
  return db;
}

TEST_F(ReportInBrowser, TheReportOfARealDatabaseDrawsEveryChartWithNoErrorAndNoRequest) {
  const std::string db = real_database(dir_);
  // Kept beside the screenshot for CI (and tools/report_png.sh, which makes docs/report.png of it).
  const std::string page = std::string(ETL_BUILD_DIR) + "/report.html";
  const ProcessResult report = run_process({ETL_BIN, "report", "--area", "copenhagen", "--since", "5w", "--db", db, "--out", page},
                                           {{"ETL_DB_URL", ""}, {"ETL_CONFIG", ""}});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("wrote " + page + " ("), std::string::npos) << report.out;

  // The page holds the database's listings and the area's 36 municipalities.
  simdjson::dom::parser parser;
  const std::string html = read_file(page);
  const std::string start = "<script type=\"application/json\" id=\"report-data\">";
  const auto at = html.find(start) + start.size();
  const simdjson::dom::element data = parser.parse(html.substr(at, html.find("</script>", at) - at));
  SQLite::Database sql(db, SQLite::OPEN_READONLY);
  const auto listed = sql.execAndGet("SELECT COUNT(*) FROM current_listings").getInt64();
  EXPECT_GT(listed, 0);
  EXPECT_EQ(static_cast<std::int64_t>(simdjson::dom::array(data["listings"]).size()), listed);
  EXPECT_EQ(simdjson::dom::array(data["market"]).size(), 36u + 1u);  // and the total
  EXPECT_EQ(simdjson::dom::array(data["weeks"]).size(), 6u);  // 5 weeks back from a day in the 6th

  const PageCheck check = check_page(page, proxy_, dir_);
  expect_every_chart_drawn(check);
  EXPECT_TRUE(check.errors.empty()) << joined(check.errors);
  EXPECT_TRUE(check.console.empty()) << joined(check.console);

  const std::string screenshot = std::string(ETL_BUILD_DIR) + "/report-screenshot.png";
  std::filesystem::remove(screenshot);
  // As tall as the page.
  const std::string size = "--window-size=1280," + std::to_string(std::min<std::int64_t>(check.height, 8000));
  const ProcessResult shot = run_chromium(page, proxy_.port(), {"--screenshot=" + screenshot, size});
  EXPECT_EQ(shot.exit_code, 0) << shot.err;
  ASSERT_TRUE(std::filesystem::exists(screenshot)) << shot.err;
  EXPECT_GT(std::filesystem::file_size(screenshot), 50'000u);
  EXPECT_TRUE(console_messages(shot.err).empty()) << joined(console_messages(shot.err));
  EXPECT_TRUE(proxy_.page_requests().empty()) << "the page made requests:\n" << joined(proxy_.page_requests());
}

// Addresses that try to end the script or the element: every chart still draws, nothing runs.
TEST_F(ReportInBrowser, HostileTextBreaksNothing) {
  const PageCheck check = check_page(write_page(sample_report(300)), proxy_, dir_);
  expect_every_chart_drawn(check);
  EXPECT_TRUE(check.errors.empty()) << joined(check.errors);
  EXPECT_EQ(check.title, "Villa market: copenhagen");
  EXPECT_TRUE(proxy_.page_requests().empty()) << joined(proxy_.page_requests());
}

// The net the other tests rely on catches a page that reaches out, and its error is seen.
TEST_F(ReportInBrowser, APageThatMakesARequestIsCaught) {
  const std::string page = dir_.file("reaching.html");
  write_file(page, "<!DOCTYPE html><html><head></head><body><img src=\"http://example.com/a.png\">"
                   "<script>fetch('https://example.org/x')</script></body></html>");
  const PageCheck check = check_page(page, proxy_, dir_);
  ASSERT_TRUE(check.ran) << check.log;
  const std::vector<std::string> requests = proxy_.page_requests();
  EXPECT_EQ(requests.size(), 2u) << joined(requests);
  EXPECT_NE(joined(requests).find("GET http://example.com/a.png "), std::string::npos) << joined(requests);
  EXPECT_NE(joined(requests).find("CONNECT example.org:443 "), std::string::npos) << joined(requests);
  EXPECT_FALSE(check.console.empty()) << check.log;
}

// A chart whose canvas the page's script cannot find: the check names it and the error.
TEST_F(ReportInBrowser, AChartThatDidNotDrawIsCaught) {
  std::string html = read_file(write_page(sample_report(200)));
  html.replace(html.find("id=\"chart-map\""), 14, "id=\"chart-mop\"");
  const std::string broken = dir_.file("broken.html");
  write_file(broken, html);
  const PageCheck check = check_page(broken, proxy_, dir_);
  ASSERT_TRUE(check.ran) << check.log;
  ASSERT_EQ(check.canvases.size(), kCharts.size());
  EXPECT_EQ(check.canvases.back().id, "chart-mop");
  EXPECT_FALSE(check.canvases.back().chart);
  EXPECT_EQ(check.canvases.back().marks, 0);
  EXPECT_FALSE(check.errors.empty());
  EXPECT_FALSE(check.console.empty());
}

}  // namespace
}  // namespace etl::test
