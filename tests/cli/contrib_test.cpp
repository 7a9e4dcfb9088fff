// contrib/: the systemd units pass `systemd-analyze verify` (Debian's systemd package) with
// nothing to report, keep secrets out of themselves, and the cron file runs the same two jobs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/process.hpp"

namespace etl::test {
namespace {

const std::string kContrib = std::string(ETL_SOURCE_DIR) + "/contrib";

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The `etl run ...` arguments of every ExecStart= (units) or job line (cron), in order.
std::vector<std::string> etl_runs(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex kRun(R"((?:/usr/bin/)?etl (run [^\n]*?) --log-file)");
  for (std::sregex_iterator it(text.begin(), text.end(), kRun), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

const std::vector<std::string> kUnits = {"propetl-nightly.service", "propetl-nightly.timer", "propetl-weekly.service",
                                         "propetl-weekly.timer"};

TEST(Contrib, SystemdUnitsVerifyClean) {
  ASSERT_TRUE(std::filesystem::exists(ETL_SYSTEMD_ANALYZE)) << "systemd-analyze is missing: `make deps` installs systemd";
  // The units name /usr/bin/etl and man:etl(1): point them at this build's binary and page.
  TempDir dir;
  std::filesystem::create_directories(dir.file("man/man1"));
  std::filesystem::copy_file(std::string(ETL_BUILD_DIR) + "/etl/cli/etl.1", dir.file("man/man1/etl.1"));
  std::vector<std::string> argv = {ETL_SYSTEMD_ANALYZE, "verify"};
  for (const std::string& unit : kUnits) {
    std::string text = read_file(kContrib + "/systemd/" + unit);
    ASSERT_FALSE(text.empty()) << unit;
    text = std::regex_replace(text, std::regex("/usr/bin/etl"), ETL_BIN);
    std::ofstream(dir.file(unit)) << text;
    argv.push_back(dir.file(unit));
  }
  const ProcessResult r = run_process(argv, {{"MANPATH", dir.file("man")}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out + r.err, "") << "systemd-analyze has something to say";
}

TEST(Contrib, UnitsKeepThePasswordOutAndMatchTheCronJobs) {
  std::vector<std::string> unit_runs;
  for (const char* unit : {"propetl-nightly.service", "propetl-weekly.service"}) {
    const std::string text = read_file(kContrib + "/systemd/" + unit);
    EXPECT_NE(text.find("EnvironmentFile=-/etc/propetl/propetl.env"), std::string::npos) << unit;
    EXPECT_NE(text.find("StateDirectory=propetl"), std::string::npos) << unit;
    EXPECT_NE(text.find("DynamicUser=yes"), std::string::npos) << unit;
    // A password may only appear in a comment (as the placeholder it is).
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (!line.starts_with("#")) {
        EXPECT_EQ(line.find('@'), std::string::npos) << unit << ": " << line;
      }
    }
    for (const std::string& run : etl_runs(text)) unit_runs.push_back(run);
  }
  EXPECT_EQ(unit_runs, (std::vector<std::string>{"run --area copenhagen --refresh on-market --progress none",
                                                 "run --area copenhagen --progress none"}));
  EXPECT_EQ(etl_runs(read_file(kContrib + "/cron/propetl")), unit_runs);
  EXPECT_TRUE(std::filesystem::exists(kContrib + "/systemd/propetl.env.example"));
}

}  // namespace
}  // namespace etl::test
