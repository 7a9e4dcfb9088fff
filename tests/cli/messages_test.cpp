// What the subcommands say reads as written by someone who checked (issue 31): `etl migrate`
// says how many migrations it applied and "up to date" only when it applied none.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <tuple>

#include "loaders/migrations.hpp"
#include "loaders/store.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl::test {
namespace {

ProcessResult etl(std::vector<std::string> args) {
  args.insert(args.begin(), ETL_BIN);
  return run_process(args, {{"ETL_DB_URL", ""}});
}

TEST(Messages, MigrateSaysWhatItApplied) {
  TempDir dir;
  const std::string pg = PgServer::shared().fresh_database();
  for (const auto& [db, dialect, folder] : {std::tuple{"sqlite:" + dir.file("etl.db"), "sqlite", "sqlite"},
                                            std::tuple{pg, "postgresql", "postgres"}}) {
    const auto migrations = loaders_detail::migrations_for(folder);
    ASSERT_GT(migrations.size(), 1u);
    const ProcessResult first = etl({"migrate", "--db", db});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(first.out, fmt::format("{}: applied {} migrations; schema at version {} ({})\n", redact_db_url(db),
                                     migrations.size(), migrations.back().version, dialect));
    const ProcessResult again = etl({"migrate", "--db", db});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out,
              fmt::format("{}: schema is up to date at version {} ({})\n", redact_db_url(db), migrations.back().version,
                          dialect));
  }
}

}  // namespace
}  // namespace etl::test
