// contrib/: the systemd units pass `systemd-analyze verify` (Debian's systemd package) with
// nothing to report, keep secrets out of themselves, and the cron file runs the same two jobs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
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

// The `etl run ...` arguments (up to --log-file) of every ExecStart= (units) or job line (cron), in order.
std::vector<std::string> etl_runs(const std::string& text) {
  std::vector<std::string> out;
  for (auto at = text.find("etl run "); at != std::string::npos; at = text.find("etl run ", at + 1)) {
    const auto end = std::min(text.find(" --log-file", at), text.find('\n', at));
    out.push_back(text.substr(at + 4, end - at - 4));
  }
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
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
    text = replace_all(text, "/usr/bin/etl", ETL_BIN);
    std::ofstream(dir.file(unit)) << text;
    argv.push_back(dir.file(unit));
  }
  const ProcessResult r = run_process(argv, {{"MANPATH", dir.file("man")}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out + r.err, "") << "systemd-analyze has something to say";

  // The lines a user uncomments verify clean too.
  for (const std::string& unit : kUnits) {
    const std::string text = replace_all(read_file(dir.file(unit)), "\n# ReadWritePaths=", "\nReadWritePaths=");
    std::ofstream(dir.file(unit)) << text;
  }
  const ProcessResult uncommented = run_process(argv, {{"MANPATH", dir.file("man")}});
  EXPECT_EQ(uncommented.exit_code, 0) << uncommented.out << uncommented.err;
  EXPECT_EQ(uncommented.out + uncommented.err, "") << "systemd-analyze has something to say";
}

// ProtectSystem=strict makes the metrics folder the README suggests read-only: each service
// has the ReadWritePaths= line that opens it, ready to uncomment, and the README says so.
TEST(Contrib, TheReadmeMetricsFolderHasItsReadWritePathsLine) {
  const std::string readme = read_file(std::string(ETL_SOURCE_DIR) + "/README.md");
  const auto at = readme.find("`--metrics-file /");
  ASSERT_NE(at, std::string::npos) << "the README suggests a metrics file";
  const std::string file = readme.substr(at + 16, readme.find('`', at + 1) - at - 16);
  const std::string folder = std::filesystem::path(file).parent_path().string();
  for (const char* unit : {"propetl-nightly.service", "propetl-weekly.service"}) {
    const std::string text = read_file(kContrib + "/systemd/" + unit);
    ASSERT_NE(text.find("ProtectSystem=strict"), std::string::npos) << unit;
    EXPECT_NE(text.find("\n# ReadWritePaths=" + folder + "\n"), std::string::npos) << unit << " lacks it for " << folder;
  }
  EXPECT_NE(readme.find("ReadWritePaths=" + folder), std::string::npos) << "the README names the line";
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
