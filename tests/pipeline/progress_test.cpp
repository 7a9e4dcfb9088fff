// The progress display's arithmetic (done, total, rates, ETA) and text (the terminal line at
// 40, 80 and 160 columns, the plain log line), and that the summary's rate is the line's.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include "etl/pipeline/progress_line.hpp"
#include "etl/pipeline/run_progress.hpp"
#include "etl/pipeline/run_summary.hpp"
#include "etl/pipeline/terminal_line.hpp"

namespace etl {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::size_t columns(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

MunicipalityCounters& add(RunCounters& counters, std::int64_t code, const std::string& name) {
  auto& m = counters.municipalities.emplace_back();
  m.code = code;
  m.name = name;
  return m;
}

// A first import of one municipality, mid-way: 1,000 hits, 100 discovered and queued, 50
// loaded in 5 s; `later` municipalities not searched yet follow it.
void first_import(RunCounters& c, const std::vector<std::string>& later = {}) {
  auto& m = add(c, 101, "København");
  m.hits = 1000;
  m.discovered = 100;
  m.queued = 100;
  m.fetched = 50;
  m.loaded = 50;
  c.discovering = 0;
  for (const std::string& name : later) add(c, 147, name);
  add(c, 0, "(earlier failures)");
}

TEST(RunProgress, EtaCountsTheKnownTotalHitsNotOnlyWhatIsDiscovered) {
  RunCounters c;
  first_import(c);
  const RunProgress p = run_progress(c, 5.0, {}, 0, 0);
  EXPECT_DOUBLE_EQ(p.processed_per_s, 10.0);  // 50 loaded in 5 s
  EXPECT_DOUBLE_EQ(p.checked_per_s, 20.0);    // 100 IDs in 5 s
  EXPECT_TRUE(p.total_known);
  EXPECT_EQ(p.done, 50);
  EXPECT_EQ(p.total, 1000);
  // 50 queued + 900 not yet discovered, each a fetch so far, at 10/s (checking them takes 45 s).
  ASSERT_TRUE(p.eta_s);
  EXPECT_DOUBLE_EQ(*p.eta_s, 95.0);
  EXPECT_EQ(p.discovering, "København");
}

TEST(RunProgress, SkippedIdsAreNotFetchThroughput) {
  RunCounters c;
  auto& m = add(c, 101, "København");
  m.hits = 2000;
  m.discovered = 2000;
  m.skipped = 1800;
  m.queued = 200;
  m.loaded = 20;
  c.discovering = 1;
  const RunProgress p = run_progress(c, 10.0, {}, 0, 0);
  EXPECT_DOUBLE_EQ(p.processed_per_s, 2.0);
  EXPECT_DOUBLE_EQ(p.checked_per_s, 200.0);
  ASSERT_TRUE(p.eta_s);
  EXPECT_DOUBLE_EQ(*p.eta_s, 90.0);  // 180 to fetch at 2/s, however fast the skipping went
  // A recent rate, when measured, is the one the ETA follows.
  EXPECT_DOUBLE_EQ(*run_progress(c, 10.0, {6.0, 100.0}, 0, 0).eta_s, 30.0);
}

TEST(RunProgress, ASkipOnlyRunShowsItsCheckingRate) {
  RunCounters c;
  auto& m = add(c, 101, "København");
  m.hits = 1000;
  m.discovered = 1000;
  m.skipped = 1000;
  c.discovering = 1;
  const RunProgress p = run_progress(c, 5.0, {}, 0, 0);
  ASSERT_TRUE(p.eta_s);
  EXPECT_DOUBLE_EQ(*p.eta_s, 0.0);
  const std::string line = progress_line(p, 160);
  EXPECT_TRUE(has(line, "100% 1000/1000")) << line;
  EXPECT_TRUE(has(line, "check 200.0/s")) << line;
  EXPECT_TRUE(has(line, "fetch 0.0/s")) << line;
}

TEST(RunProgress, TheLimitBoundsTheRun) {
  RunCounters c;
  auto& m = add(c, 101, "København");
  m.hits = 10000;
  m.discovered = 2000;
  m.queued = 100;
  m.loaded = 50;
  c.discovering = 0;
  const RunProgress p = run_progress(c, 5.0, {}, 100, 0);
  EXPECT_TRUE(p.total_known);
  EXPECT_EQ(p.total, 100);
  EXPECT_DOUBLE_EQ(*p.eta_s, 5.0);  // 50 more at 10/s
}

TEST(RunProgress, MunicipalitiesNotSearchedYetMakeTheTotalSoFar) {
  RunCounters c;
  first_import(c, {"Frederiksberg"});
  const RunProgress p = run_progress(c, 5.0, {}, 0, 0);
  EXPECT_FALSE(p.total_known);
  EXPECT_EQ(p.municipalities, 2u);
  EXPECT_EQ(p.counted, 1u);
  const std::string line = progress_line(p, 160);
  EXPECT_TRUE(has(line, "50/1000 so far")) << line;
  EXPECT_TRUE(has(line, "ETA >1:35")) << line;  // at least: Frederiksberg is still to come
  EXPECT_TRUE(has(line, "discovering København (1/2)")) << line;
  EXPECT_FALSE(has(line, "[")) << "no bar without a total: " << line;
  // On an on-market refresh (no address search, no hits) a municipality counts once its discovery ended.
  c.discovering = 2;
  EXPECT_EQ(run_progress(c, 5.0, {}, 0, 0).counted, 2u);
}

TEST(EstimateEta, UnknownWhileWorkWaitsOnARateOfZero) {
  EXPECT_FALSE(estimate_eta(0, 10, 1.0, 0.0, 5.0));
  EXPECT_FALSE(estimate_eta(10, 0, 0.0, 5.0, 0.0));
  EXPECT_DOUBLE_EQ(*estimate_eta(0, 0, 1.0, 0.0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(*estimate_eta(100, 0, 0.5, 10.0, 50.0), 5.0);  // 50 fetches at 10/s; 100 checks at 50/s take 2 s
}

// A busy line: every field present, a Danish name, retries.
RunProgress busy() {
  RunCounters c;
  first_import(c);
  c.municipalities[0].skipped = 12345;
  c.municipalities[0].discovered = 12445;
  c.municipalities[0].hits = 99999;
  return run_progress(c, 125.0, {}, 0, 17);
}

TEST(ProgressLine, FitsTheWidthAndDropsTheLeastUsefulFieldsFirst) {
  const RunProgress p = busy();
  const std::string wide = progress_line(p, 160);
  const std::string medium = progress_line(p, 80);
  const std::string narrow = progress_line(p, 40);
  for (const auto& [width, line] : {std::pair{160, wide}, {80, medium}, {40, narrow}}) {
    EXPECT_LE(columns(line), static_cast<std::size_t>(width)) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
  }
  for (const char* field : {"[#---------] 12% 12395/99999", "elapsed 2:05", "ETA ", "fetch ", "check ",
                            "discovering København (1/1)", "loaded 50 skipped 12345 failed 0 retries 17"})
    EXPECT_TRUE(has(wide, field)) << field << " missing at 160: " << wide;
  for (const char* field : {"[#", "% 12395/99999", "elapsed", "ETA ", "fetch "})
    EXPECT_TRUE(has(medium, field)) << field << " missing at 80: " << medium;
  for (const char* field : {"retries", "loaded", "discovering"}) EXPECT_FALSE(has(medium, field)) << medium;
  EXPECT_TRUE(has(narrow, "% 12395/99999")) << narrow;
  EXPECT_TRUE(has(narrow, "ETA ")) << narrow;
  EXPECT_FALSE(has(narrow, "check")) << narrow;
  // Narrower than any field: cut, never wrapped, never split inside a letter.
  EXPECT_EQ(columns(progress_line(p, 8)), 8u);
}

TEST(ProgressLine, PlainLogLineStatesTheSameFactsWithoutTheBar) {
  const RunProgress p = busy();
  const std::string log = progress_log_line(p);
  EXPECT_FALSE(has(log, "[#")) << log;
  for (const char* field : {"% 12395/99999", "elapsed 2:05", "ETA ", "fetch ", "check ", "discovering København",
                            "retries 17"})
    EXPECT_TRUE(has(log, field)) << field << ": " << log;
}

TEST(ProgressLine, ClockFormat) {
  EXPECT_EQ(format_clock(42), "0:42");
  EXPECT_EQ(format_clock(725), "12:05");
  EXPECT_EQ(format_clock(3723), "1:02:03");
  EXPECT_EQ(format_clock(-1), "?");
}

TEST(RunSummary, ItsRateIsTheProgressLinesOverallRate) {
  RunCounters c;
  first_import(c);
  RunSummary s;
  s.elapsed_s = 7.0;
  const RunProgress p = run_progress(c, 7.0, {}, 0, 0);
  const std::string table = summary_table(s, c, RunOptions{});
  EXPECT_TRUE(has(table, fmt::format("{:.1f} properties/s fetched", p.processed_per_s))) << table;
  EXPECT_TRUE(has(progress_line(p, 160), fmt::format("fetch {:.1f}/s", p.processed_per_s)));
  EXPECT_TRUE(has(table, fmt::format("{:.1f} IDs/s checked", p.checked_per_s))) << table;
  EXPECT_TRUE(has(summary_json(s, c, RunOptions{}), "\"properties_per_s\":7.14")) << summary_json(s, c, RunOptions{});
}

TEST(RunSummary, AnImportFromFilesShowsNoHitsAndNoDetailsMode) {
  RunCounters c;
  c.municipalities.emplace_back().name = "(files)";
  c.municipalities[0].loaded = 3;
  RunSummary s;
  s.searched = false;
  const std::string table = summary_table(s, c, RunOptions{});
  EXPECT_FALSE(has(table, "HITS")) << table;
  EXPECT_FALSE(has(table, "details")) << table;
  EXPECT_FALSE(has(table, "API requests")) << table;
  EXPECT_TRUE(has(table, "LOADED")) << table;
}

TEST(TerminalLine, NoColumnsWhenNotATerminal) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  EXPECT_EQ(terminal_columns(fds[1]), 0u);
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace etl
