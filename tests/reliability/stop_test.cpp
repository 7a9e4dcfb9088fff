// Issue 33: nothing hangs. A Retry-After beyond the cap stops the run at once, failed and
// saying why; --max-run-time stops a run as SIGTERM would; `timeout` (SIGTERM to the process,
// then to its group) commits what was parsed and records `interrupted`, in both dialects.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fmt/format.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "tests/extractors/local_http_server.hpp"
#include "tests/reliability/reliability_support.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"

namespace etl::test {
namespace {

constexpr int kGood = 40;

const char* kYaml = R"(municipalities:
  - code: 147
    name: Slow
    zip_codes: ["2000"]
areas:
  slow: [Slow]
)";

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One municipality of kGood properties and "pause", whose detail answers 429 with
// `retry_after`; each good detail answers after `latency_ms`.
class SlowApi {
 public:
  SlowApi(std::string retry_after, int latency_ms) {
    api_.routes().Get("/municipalities", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"totalHits":1,"municipalities":[]})", "application/json");
    });
    api_.routes().Get("/search/cases", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"totalHits":0,"cases":[]})", "application/json");
    });
    api_.routes().Get("/search/addresses", [](const httplib::Request& req, httplib::Response& res) {
      std::string items = R"({"addressID":"pause"})";
      for (int i = 0; i < kGood; ++i) items += fmt::format(R"(,{{"addressID":"good-{:02}"}})", i);
      const bool first = req.get_param_value("page") == "1";
      res.set_content(fmt::format(R"({{"totalHits":{},"addresses":[{}]}})", kGood + 1, first ? items : ""),
                      "application/json");
    });
    api_.routes().Get("/addresses/(.*)", [retry_after, latency_ms](const httplib::Request& req, httplib::Response& res) {
      const std::string id = req.matches[1];
      if (id == "pause") {
        res.status = 429;
        res.set_header("Retry-After", retry_after);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(latency_ms));
      res.set_content(R"({"addressID":")" + id + R"(","roadName":"Vej","houseNumber":"1","zipCode":2000,)"
                      R"("isOnMarket":false,"municipality":{"municipalityCode":147,"name":"Slow"}})",
                      "application/json");
    });
    api_.start();
  }
  std::string url() const { return api_.url(""); }

 private:
  LocalHttpServer api_;
};

std::vector<std::string> run_argv(const TempDir& dir, const std::string& api, const std::string& db,
                                  const std::vector<std::string>& extra) {
  std::ofstream(dir.file("slow.yaml")) << kYaml;
  std::vector<std::string> argv = {ETL_BIN, "run", "--config", dir.file("slow.yaml"), "--area", "slow",
                                   "--api-url", api, "--db", db, "--progress", "none", "--max-rps", "0",
                                   "--timeout", "5s", "--summary-json", dir.file("s.json"), "--metrics-file",
                                   dir.file("m.prom")};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

std::string last_run_status(const std::string& db) {
  const auto rows = query_rows(db, "SELECT status FROM etl_runs ORDER BY id DESC LIMIT 1");
  return rows.empty() ? "" : rows[0].at(0);
}

TEST(Stop, ARetryAfterBeyondTheCapStopsTheRunAtOnceSayingWhy) {
  TempDir dir;
  SlowApi api("999999999", 0);
  const std::string db = "sqlite:" + dir.file("r.db");
  const auto started = std::chrono::steady_clock::now();
  ChildProcess etl(run_argv(dir, api.url(), db, {}));
  const ProcessResult r = etl.wait(std::chrono::seconds(30));
  EXPECT_LT(elapsed_ms(started), 15'000) << "the run does not wait for the pause";
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("the API asks for a pause of 999999999 s (Retry-After), longer than the 300 s etl waits"),
            std::string::npos)
      << r.err;
  EXPECT_NE(read_file(dir.file("s.json")).find("Retry-After"), std::string::npos);
  EXPECT_NE(read_file(dir.file("m.prom")).find("propetl_run_status{status=\"failed\"} 1"), std::string::npos);
  EXPECT_EQ(last_run_status(db), "failed");
}

TEST(Stop, MaxRunTimeStopsTheRunAsSigtermWouldAndSaysWhy) {
  TempDir dir;
  SlowApi api("250", 0);  // under the cap: without a budget the run would wait 250 s
  const std::string db = "sqlite:" + dir.file("b.db");
  const auto started = std::chrono::steady_clock::now();
  ChildProcess etl(run_argv(dir, api.url(), db, {"--max-run-time", "2s"}));
  const ProcessResult r = etl.wait(std::chrono::seconds(30));
  EXPECT_LT(elapsed_ms(started), 10'000);
  EXPECT_EQ(r.exit_code, 143) << r.err;
  EXPECT_NE(r.err.find("--max-run-time reached"), std::string::npos) << r.err;
  EXPECT_EQ(last_run_status(db), "interrupted");
  EXPECT_EQ(property_ids(db).size(), static_cast<std::size_t>(kGood)) << "what was parsed is committed";
  simdjson::dom::parser parser;
  const auto summary = parser.load(dir.file("s.json"));
  EXPECT_EQ(std::string(summary["error"].get_string().value()),
            "stopped after --max-run-time 2s as on SIGTERM; what was parsed is committed");
  EXPECT_NE(read_file(dir.file("m.prom")).find("propetl_run_status{status=\"interrupted\"} 1"), std::string::npos);
}

// coreutils `timeout` signals etl, then its whole process group: the two SIGTERMs are one
// request to stop, not "stop" and "quit at once".
class TimeoutCommand : public ::testing::TestWithParam<std::string> {};

TEST_P(TimeoutCommand, SigtermToTheProcessAndItsGroupCommitsWhatWasParsed) {
  TempDir dir;
  SlowApi api("1", 150);
  const std::string db = GetParam() == "sqlite" ? "sqlite:" + dir.file("t.db") : PgServer::shared().fresh_database();
  std::vector<std::string> argv = run_argv(dir, api.url(), db, {"--workers", "2", "--batch-size", "50"});
  argv.insert(argv.begin(), {"/usr/bin/timeout", "--preserve-status", "-s", "TERM", "1.5"});
  const ProcessResult r = run_process(argv, {}, std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 143) << r.err;
  EXPECT_EQ(last_run_status(db), "interrupted") << r.err;
  const auto stored = property_ids(db).size();
  EXPECT_GT(stored, 0u) << "what was parsed before the signal is committed";
  EXPECT_LT(stored, static_cast<std::size_t>(kGood));
  EXPECT_NE(read_file(dir.file("m.prom")).find("propetl_run_status{status=\"interrupted\"} 1"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(BothDialects, TimeoutCommand, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace etl::test
