// `make package` and a staged install: CPack builds propetl_<version>_amd64.deb with the
// dependencies dpkg-shlibdeps found and libjs-chart.js (etl report), holding etl, the man page
// and the example units and cron file, which name /usr/bin/etl; a DESTDIR install runs from
// another directory, and its examples name etl where it will be, not where it was staged.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "etl/core/version.hpp"
#include "tests/support/process.hpp"

namespace etl::test {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The examples under `root` (an unpacked package or a staged install) run /usr/bin/etl.
void expect_examples_run_usr_bin_etl(const std::string& root) {
  const std::string examples = root + "/usr/share/doc/propetl/examples/";
  for (const char* unit : {"systemd/propetl-nightly.service", "systemd/propetl-weekly.service"})
    EXPECT_NE(read_file(examples + unit).find("\nExecStart=/usr/bin/etl run "), std::string::npos) << unit;
  const std::string cron = read_file(examples + "cron/propetl");
  EXPECT_NE(cron.find("  propetl  /usr/bin/etl run --area copenhagen --refresh on-market "), std::string::npos) << cron;
  EXPECT_NE(cron.find("  propetl  /usr/bin/etl run --area copenhagen --progress none "), std::string::npos) << cron;
}

TEST(Package, TheDebListsItsDependenciesAndHoldsEtlTheManPageAndTheUnits) {
  ASSERT_TRUE(std::filesystem::exists(ETL_DPKG_DEB)) << "dpkg-deb is missing: `make deps` installs dpkg-dev";
  TempDir out;
  const ProcessResult built = run_process(
      {ETL_CPACK, "-G", "DEB", "--config", std::string(ETL_BUILD_DIR) + "/CPackConfig.cmake", "-B", out.path()}, {},
      std::chrono::seconds(240));
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  const std::string deb = out.file(std::string("propetl_") + kVersion + "_amd64.deb");
  ASSERT_TRUE(std::filesystem::exists(deb)) << built.out;

  const ProcessResult info = run_process({ETL_DPKG_DEB, "-I", deb});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("Package: propetl"), std::string::npos) << info.out;
  for (const char* library : {"libc6", "libcurl", "libsoci", "libtbb", "libpq", "libjs-chart.js"})
    EXPECT_NE(info.out.find(library), std::string::npos) << library << " not in Depends:\n" << info.out;

  const ProcessResult contents = run_process({ETL_DPKG_DEB, "-c", deb});
  ASSERT_EQ(contents.exit_code, 0) << contents.err;
  for (const char* path : {"./usr/bin/etl", "./usr/bin/replica-api", "./usr/share/man/man1/etl.1",
                           "./usr/share/propetl/municipalities.yaml",
                           "./usr/share/doc/propetl/examples/systemd/propetl-nightly.service",
                           "./usr/share/doc/propetl/examples/systemd/propetl-weekly.timer",
                           "./usr/share/doc/propetl/examples/cron/propetl"})
    EXPECT_NE(contents.out.find(path), std::string::npos) << path << " not in the package";
  const ProcessResult unpacked = run_process({ETL_DPKG_DEB, "-x", deb, out.file("root")});
  ASSERT_EQ(unpacked.exit_code, 0) << unpacked.err;
  expect_examples_run_usr_bin_etl(out.file("root"));
}

TEST(Package, AStagedInstallRunsFromAnotherDirectory) {
  TempDir stage;
  const ProcessResult installed = run_process({ETL_CMAKE, "--install", ETL_BUILD_DIR, "--prefix", "/usr"},
                                              {{"DESTDIR", stage.path()}}, std::chrono::seconds(120));
  ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  const std::string etl = stage.path() + "/usr/bin/etl";
  ASSERT_TRUE(std::filesystem::exists(etl));
  EXPECT_TRUE(std::filesystem::exists(stage.path() + "/usr/share/doc/propetl/examples/systemd/propetl-nightly.timer"));
  expect_examples_run_usr_bin_etl(stage.path());
  const ProcessResult version = run_process({"/bin/sh", "-c", "cd / && \"$0\" --version", etl});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_NE(version.out.find(kVersion), std::string::npos) << version.out;
  const ProcessResult areas = run_process({"/bin/sh", "-c", "cd / && \"$0\" areas", etl}, {{"ETL_CONFIG", ""}});
  EXPECT_EQ(areas.exit_code, 0) << areas.err;
  EXPECT_NE(areas.out.find("copenhagen"), std::string::npos) << areas.out;
}

}  // namespace
}  // namespace etl::test
