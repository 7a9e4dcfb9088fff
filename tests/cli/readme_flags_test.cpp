// The README's flag table cannot drift from the binary: every flag `etl run --help` lists
// has a row, and every row names a flag that exists.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "tests/support/process.hpp"

namespace etl::test {
namespace {

// Every `--flag` token of `text`.
std::set<std::string> flags_in(const std::string& text) {
  std::set<std::string> out;
  for (auto at = text.find("--"); at != std::string::npos; at = text.find("--", at + 2)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '-')) continue;
    std::size_t end = at + 2;
    while (end < text.size() && (std::islower(static_cast<unsigned char>(text[end])) || text[end] == '-')) ++end;
    if (end > at + 2) out.insert(text.substr(at, end - at));
  }
  return out;
}

TEST(Readme, TheFlagTableListsEveryFlagOfEtlRun) {
  const ProcessResult help = run_process({ETL_BIN, "run", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  std::set<std::string> documented;
  std::ifstream readme(std::string(ETL_SOURCE_DIR) + "/README.md");
  for (std::string line; std::getline(readme, line);) {
    if (line.starts_with("| `-")) documented.merge(flags_in(line.substr(0, line.find(" | ", 2))));
  }
  std::set<std::string> offered = flags_in(help.out);
  offered.erase("--help");
  ASSERT_GT(offered.size(), 20u) << help.out;
  for (const std::string& flag : offered) EXPECT_TRUE(documented.contains(flag)) << flag << " has no row in the README";
  for (const std::string& flag : documented) EXPECT_TRUE(offered.contains(flag)) << flag << " is not a flag of etl run";
}

}  // namespace
}  // namespace etl::test
