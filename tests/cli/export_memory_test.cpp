// `etl export` streams (issue 36): 200,000 properties, written by SQL into a real migrated
// SQLite file and PostgreSQL database, export with the real binary in under 64 MB of peak RSS
// (ru_maxrss of the child) although the JSON lines are larger than that; an export
// interrupted half-way leaves the --out file as it was and no temporary file.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl::test {
namespace {

namespace fs = std::filesystem;

constexpr int kProperties = 200'000;
constexpr long kPeakRssBoundKb = 64 * 1024;  // what a streamed export of any size stays under
#ifdef __SANITIZE_ADDRESS__
// AddressSanitizer's shadow memory and allocator; its quarantine of freed blocks (256 MB by
// default, which alone would grow the peak with the rows written) is cut to 1 MB in the child.
constexpr long kPeakRssLimitKb = 160 * 1024;  // measured: about 105 MB
#else
constexpr long kPeakRssLimitKb = kPeakRssBoundKb;
#endif

struct Measured {
  int exit_code = -1;
  long peak_rss_kb = 0;
  double seconds = 0;
};

// A process's peak RSS counts what it had before execve, and a child forked from this test
// starts with the test's resident pages (large under AddressSanitizer). So a small python3
// process forks and execs argv and reports that child's peak (its ru_maxrss, from wait4).
constexpr const char* kMeasure =
    "import os, sys\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.execv(sys.argv[2], sys.argv[2:])\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n";

// Runs argv (its output to the test's) and reads its peak RSS when it ends.
Measured run_measured(const std::vector<std::string>& argv, const std::string& peak_file) {
  std::vector<std::string> wrapped{"python3", "-c", kMeasure, peak_file};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  std::vector<char*> args;
  for (const std::string& a : wrapped) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    unsetenv("ETL_DB_URL");
#ifdef __SANITIZE_ADDRESS__
    const char* given = getenv("ASAN_OPTIONS");
    const std::string options = std::string(given ? given : "") + ":quarantine_size_mb=1";
    setenv("ASAN_OPTIONS", options.c_str(), 1);
#endif
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  Measured m;
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream(peak_file) >> m.peak_rss_kb;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return m;
}

std::int64_t lines_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::int64_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

// The properties, every column that a real one has filled, text with a comma and quotes.
std::string insert_properties(bool postgres) {
  const std::string values =
      "'villa', 'Road \"' || i || '\", with comma', CAST(i % 300 AS TEXT), 'City', 1000 + i % 8000, "
      "101 + (i % 5) * 46, 55.0 + (i % 1000) / 1000.0, 12.0 + (i % 997) / 997.0, 50 + i % 200, 1000000 + i, ";
  const std::string times = "'2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z'";
  const std::string columns =
      "address_id, address_type, road_name, house_number, city_name, zip_code, municipality_code, latitude, longitude, "
      "living_area, latest_valuation, is_on_market, is_public, payload_hash, first_seen_at, last_seen_at, fetched_at";
  if (postgres) {
    return fmt::format(
        "INSERT INTO properties ({}) SELECT format('%s-0000-4000-8000-%s', lpad(i::text, 8, '0'), lpad(i::text, 12, "
        "'0')), {} i % 2 = 0, true, i * 7919, {} FROM generate_series(1, {}) AS i",
        columns, values, times, kProperties);
  }
  return fmt::format(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {}) INSERT INTO properties ({}) "
      "SELECT printf('%08d-0000-4000-8000-%012d', i, i), {} i % 2, 1, i * 7919, {} FROM n",
      kProperties, columns, values, times);
}

class ExportMemory : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const bool postgres = GetParam() == "postgresql";
    url_ = postgres ? PgServer::shared().fresh_database() : "sqlite:" + dir_.file("etl.db");
    ASSERT_EQ(run_process({ETL_BIN, "migrate", "--db", url_}).exit_code, 0);
    const auto start = std::chrono::steady_clock::now();
    exec_sql(url_, {insert_properties(postgres)});
    std::printf("%s: %d properties inserted in %.1f s\n", GetParam().c_str(), kProperties,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    ASSERT_EQ(count_rows(url_, "properties"), kProperties);
  }
  TempDir dir_;
  std::string url_;
};

TEST_P(ExportMemory, TwoHundredThousandPropertiesInUnder64MB) {
  for (const char* format : {"csv", "jsonl"}) {
    const std::string out = dir_.file(std::string("properties.") + format);
    const Measured m = run_measured({ETL_BIN, "export", "properties", "--db", url_, "--format", format, "--out", out},
                                    dir_.file("peak_rss_kb"));
    ASSERT_EQ(m.exit_code, 0);
    const auto bytes = fs::file_size(out);
    std::printf("%s %s: %d rows, %.1f MB written in %.2f s, peak RSS %.1f MB\n", GetParam().c_str(), format,
                kProperties, static_cast<double>(bytes) / 1e6, m.seconds, static_cast<double>(m.peak_rss_kb) / 1024);
    EXPECT_EQ(lines_of(out), kProperties + (std::string(format) == "csv" ? 1 : 0));
    EXPECT_LT(m.peak_rss_kb, kPeakRssLimitKb) << format;
    if (std::string(format) == "jsonl") {
      EXPECT_GT(bytes, static_cast<std::uintmax_t>(kPeakRssBoundKb) * 1024) << "more than the bound: it cannot be held";
    }
  }
}

TEST_P(ExportMemory, AnInterruptedExportLeavesTheOutFileAsItWas) {
  const std::string out = dir_.file("properties.jsonl");
  { std::ofstream(out) << "old\n"; }
  ChildProcess child({ETL_BIN, "export", "properties", "--db", url_, "--format", "jsonl", "--out", out},
                     {{"ETL_DB_URL", ""}});
  // Once the temporary file beside it has rows, the export is under way: interrupt it.
  const auto temporary = [&]() -> std::string {
    for (const auto& e : fs::directory_iterator(dir_.path())) {
      if (e.path().filename().string().starts_with("properties.jsonl.")) return e.path().string();
    }
    return "";
  };
  for (int i = 0; i < 3000; ++i) {
    const std::string tmp = temporary();
    std::error_code error;
    if (!tmp.empty() && fs::file_size(tmp, error) > (4u << 20)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_NE(temporary(), "") << "the export writes beside its file";
  child.send_signal(SIGINT);
  const ProcessResult r = child.wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(fs::file_size(out), 4u) << "the file keeps its old text";
  EXPECT_EQ(temporary(), "") << "no temporary file is left";
}

INSTANTIATE_TEST_SUITE_P(Dialects, ExportMemory, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace etl::test
