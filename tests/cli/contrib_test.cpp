// contrib/: the systemd units and the cron file as `cmake --install` puts them name the etl
// installed beside them; the units pass `systemd-analyze verify` (Debian's systemd package)
// with nothing to report, keep secrets out of themselves, and the cron file runs the same two jobs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <sstream>

#include "tests/support/process.hpp"

namespace etl::test {
namespace {

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

// The suite's own install, into a temporary prefix.
class Contrib : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    prefix_ = new TempDir;
    const ProcessResult installed = run_process({ETL_CMAKE, "--install", ETL_BUILD_DIR, "--prefix", prefix_->path()},
                                                {}, std::chrono::seconds(120));
    ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  }
  static void TearDownTestSuite() {
    delete prefix_;
    prefix_ = nullptr;
  }
  static std::string prefix() { return prefix_->path(); }
  // An installed example: "systemd/propetl-nightly.service", "cron/propetl".
  static std::string example(const std::string& name) {
    return read_file(prefix() + "/share/doc/propetl/examples/" + name);
  }

 private:
  static TempDir* prefix_;
};
TempDir* Contrib::prefix_ = nullptr;

TEST_F(Contrib, TheInstalledExamplesNameTheInstalledEtl) {
  const std::string etl = prefix() + "/bin/etl";
  ASSERT_TRUE(std::filesystem::exists(etl));
  for (const char* unit : {"propetl-nightly.service", "propetl-weekly.service"})
    EXPECT_NE(example(std::string("systemd/") + unit).find("\nExecStart=" + etl + " run "), std::string::npos) << unit;
  const std::string cron = example("cron/propetl");
  std::size_t jobs = 0;
  for (auto at = cron.find("  propetl  " + etl + " run "); at != std::string::npos;
       at = cron.find("  propetl  " + etl + " run ", at + 1))
    ++jobs;
  EXPECT_EQ(jobs, 2u) << cron;
  for (const auto& file : std::filesystem::recursive_directory_iterator(prefix() + "/share/doc/propetl/examples")) {
    if (!file.is_regular_file()) continue;
    const std::string text = read_file(file.path());
    EXPECT_EQ(text.find("@ETL_"), std::string::npos) << file.path() << ": a placeholder left";
    EXPECT_EQ(text.find("/usr/bin/etl"), std::string::npos) << file.path() << ": not this install's etl";
  }
}

TEST_F(Contrib, SystemdUnitsVerifyClean) {
  ASSERT_TRUE(std::filesystem::exists(ETL_SYSTEMD_ANALYZE)) << "systemd-analyze is missing: `make deps` installs systemd";
  // As installed: their ExecStart= names the etl of the prefix (systemd-analyze checks it
  // exists), man:etl(1) the prefix's page.
  TempDir dir;
  std::vector<std::string> argv = {ETL_SYSTEMD_ANALYZE, "verify"};
  for (const std::string& unit : kUnits) {
    const std::string text = example("systemd/" + unit);
    ASSERT_FALSE(text.empty()) << unit;
    std::ofstream(dir.file(unit)) << text;
    argv.push_back(dir.file(unit));
  }
  const ProcessResult r = run_process(argv, {{"MANPATH", prefix() + "/share/man"}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out + r.err, "") << "systemd-analyze has something to say";

  // The lines a user uncomments verify clean too.
  for (const std::string& unit : kUnits) {
    const std::string text = replace_all(read_file(dir.file(unit)), "\n# ReadWritePaths=", "\nReadWritePaths=");
    std::ofstream(dir.file(unit)) << text;
  }
  const ProcessResult uncommented = run_process(argv, {{"MANPATH", prefix() + "/share/man"}});
  EXPECT_EQ(uncommented.exit_code, 0) << uncommented.out << uncommented.err;
  EXPECT_EQ(uncommented.out + uncommented.err, "") << "systemd-analyze has something to say";
}

// ProtectSystem=strict makes the metrics folder the README suggests read-only: each service
// has the ReadWritePaths= line that opens it, ready to uncomment, and the README says so.
TEST_F(Contrib, TheReadmeMetricsFolderHasItsReadWritePathsLine) {
  const std::string readme = read_file(std::string(ETL_SOURCE_DIR) + "/README.md");
  const auto at = readme.find("`--metrics-file /");
  ASSERT_NE(at, std::string::npos) << "the README suggests a metrics file";
  const std::string file = readme.substr(at + 16, readme.find('`', at + 1) - at - 16);
  const std::string folder = std::filesystem::path(file).parent_path().string();
  for (const char* unit : {"propetl-nightly.service", "propetl-weekly.service"}) {
    const std::string text = example(std::string("systemd/") + unit);
    ASSERT_NE(text.find("ProtectSystem=strict"), std::string::npos) << unit;
    EXPECT_NE(text.find("\n# ReadWritePaths=" + folder + "\n"), std::string::npos) << unit << " lacks it for " << folder;
  }
  EXPECT_NE(readme.find("ReadWritePaths=" + folder), std::string::npos) << "the README names the line";
}

TEST_F(Contrib, UnitsKeepThePasswordOutAndMatchTheCronJobs) {
  std::vector<std::string> unit_runs;
  for (const char* unit : {"propetl-nightly.service", "propetl-weekly.service"}) {
    const std::string text = example(std::string("systemd/") + unit);
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
  EXPECT_EQ(etl_runs(example("cron/propetl")), unit_runs);
  EXPECT_FALSE(example("systemd/propetl.env.example").empty());
}

}  // namespace
}  // namespace etl::test
