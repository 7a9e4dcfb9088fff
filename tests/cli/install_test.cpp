// Installed, etl works from any directory: `cmake --install` into a temp prefix, then the
// installed binary run from / finds its built-in area configuration, the example units and
// cron file run it, and the man page names every subcommand (and failures' own list and
// clear) and shows each example on a line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/process.hpp"

namespace etl::test {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// `command` run by /bin/sh in `/`, with no ETL_CONFIG.
ProcessResult in_root(const std::string& command) {
  return run_process({"/bin/sh", "-c", "cd / && " + command}, {{"ETL_CONFIG", ""}});
}

TEST(Install, TheInstalledEtlWorksFromAnyDirectoryAndHasAManPage) {
  TempDir prefix;
  const ProcessResult installed =
      run_process({ETL_CMAKE, "--install", ETL_BUILD_DIR, "--prefix", prefix.path()}, {}, std::chrono::seconds(120));
  ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  const std::string etl = prefix.path() + "/bin/etl";
  ASSERT_TRUE(std::filesystem::exists(etl));
  EXPECT_TRUE(std::filesystem::exists(prefix.path() + "/bin/replica-api"));
  EXPECT_TRUE(std::filesystem::exists(prefix.path() + "/share/propetl/municipalities.yaml"));
  // The examples' jobs run this etl, not /usr/bin/etl (contrib_test verifies the units).
  const ProcessResult jobs = run_process(
      {"/bin/sh", "-c", "grep -h ' run --area ' \"$0\"/systemd/*.service \"$0\"/cron/propetl",
       prefix.path() + "/share/doc/propetl/examples"});
  std::istringstream job_lines(jobs.out);
  int job_count = 0;
  for (std::string line; std::getline(job_lines, line); ++job_count)
    EXPECT_NE(line.find(etl + " run --area "), std::string::npos) << line;
  EXPECT_EQ(job_count, 4) << jobs.out << jobs.err;

  const ProcessResult version = in_root(shell_quote(etl) + " --version");
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_NE(version.out.find("etl (propetl)"), std::string::npos) << version.out;
  const ProcessResult areas = in_root(shell_quote(etl) + " areas --area copenhagen");
  EXPECT_EQ(areas.exit_code, 0) << areas.err;
  EXPECT_NE(areas.out.find("36 municipalities in area 'copenhagen'"), std::string::npos) << areas.out;
  // A one-municipality area, typed in another case, is named as the file spells it.
  const ProcessResult one = in_root(shell_quote(etl) + " areas --area KOBENHAVN");
  EXPECT_NE(one.out.find("1 municipality in area 'kobenhavn'"), std::string::npos) << one.out;
  const ProcessResult source = in_root(shell_quote(etl) + " areas --config-path");
  EXPECT_EQ(source.out, "built-in municipalities.yaml\n");
  // An explicit one still wins.
  const ProcessResult chosen = in_root(shell_quote(etl) + " areas --config-path --config /some/where.yaml");
  EXPECT_EQ(chosen.out, "/some/where.yaml\n");

  const std::string page = prefix.path() + "/share/man/man1/etl.1";
  ASSERT_TRUE(std::filesystem::exists(page));
  const ProcessResult rendered = run_process({ETL_MAN, "-P", "cat", "-l", page}, {{"MANWIDTH", "80"}});
  EXPECT_EQ(rendered.exit_code, 0) << rendered.err;
  // Every subcommand `etl --help` lists has its section (ten, report the last added).
  const ProcessResult help = run_process({etl, "--help"});
  std::vector<std::string> subcommands;  // the lines "  name   what it does" after "Subcommands:"
  std::istringstream lines(help.out.substr(help.out.find("Subcommands:")));
  for (std::string line; std::getline(lines, line);)
    if (line.size() > 2 && line.starts_with("  ") && std::islower(static_cast<unsigned char>(line[2])))
      subcommands.push_back(line.substr(2, line.find(' ', 2) - 2));
  EXPECT_EQ(subcommands.size(), 10u) << help.out;
  for (std::string section : subcommands) {
    std::transform(section.begin(), section.end(), section.begin(), [](unsigned char c) { return std::toupper(c); });
    EXPECT_NE(rendered.out.find("ETL " + section), std::string::npos) << section;
  }
  EXPECT_NE(rendered.out.find("--refresh"), std::string::npos) << "the run flags are on the page";
  // Subcommands of a subcommand have their sections too, with their flags.
  EXPECT_NE(rendered.out.find("ETL FAILURES LIST"), std::string::npos) << rendered.out;
  EXPECT_NE(rendered.out.find("ETL FAILURES CLEAR"), std::string::npos) << rendered.out;
  EXPECT_NE(rendered.out.find("--older-than"), std::string::npos) << "failures clear's flag is on the page";
  // Each example of `etl --help` is a line of its own on the page.
  std::vector<std::string> page_lines;
  std::istringstream page_text(rendered.out);
  for (std::string line; std::getline(page_text, line);) {
    line.erase(0, line.find_first_not_of(' '));
    page_lines.push_back(line);
  }
  std::istringstream help_lines(help.out);
  int examples = 0;
  for (std::string line; std::getline(help_lines, line);) {
    if (!line.starts_with("  $ etl ")) continue;
    ++examples;
    EXPECT_NE(std::find(page_lines.begin(), page_lines.end(), line.substr(2)), page_lines.end())
        << "not a line of its own on the page: " << line;
  }
  EXPECT_GE(examples, 4) << help.out;
}

}  // namespace
}  // namespace etl::test
