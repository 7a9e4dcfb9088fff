// write_limit, the `limit` benchmark's writer, copies every row of a database etl wrote, so
// its rate is a rate of the same rows: the copy's dump equals the source's.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/db_dump.hpp"
#include "tests/support/process.hpp"

namespace etl::test {
namespace {

TEST(WriteLimit, CopiesEveryRowOfTheSourceInBatches) {
  TempDir dir;
  const std::string source = dir.file("source.db"), dest = dir.file("dest.db");
  std::vector<std::string> import = {ETL_BIN, "import-json", "--db", "sqlite:" + source};
  std::size_t payloads = 0;
  for (const auto& f : std::filesystem::directory_iterator(ETL_FIXTURES_DIR)) {
    if (f.path().filename().string().starts_with("address-")) import.push_back(f.path().string()), ++payloads;
  }
  ASSERT_GE(payloads, 10u);
  const auto imported = run_process(import);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;

  const auto r = run_process({WRITE_LIMIT_BIN, source, dest, "--batch-size", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"properties\":" + std::to_string(payloads) + ","), std::string::npos) << r.out;
  EXPECT_EQ(canonical_dump("sqlite:" + dest), canonical_dump("sqlite:" + source));
  EXPECT_GT(count_rows("sqlite:" + dest, "registrations"), 0);

  const auto usage = run_process({WRITE_LIMIT_BIN, source});
  EXPECT_EQ(usage.exit_code, 2);
}

}  // namespace
}  // namespace etl::test
