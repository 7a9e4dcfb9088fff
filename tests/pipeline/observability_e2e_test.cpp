// What a monitor reads: --log-format json (every line a JSON object: time, level, message,
// fields) and --metrics-file (a Prometheus textfile, checked here with the text format's
// rules: HELP and TYPE before a family's samples, valid names and labels, float values, no
// series twice), written atomically at the end of a run.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tests/pipeline/etl_run_fixture.hpp"

namespace etl {
namespace {

using test::EtlRunTest;
using test::ReplicaProcess;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// series ("name{labels}") -> value; fails the test on any line the text format does not allow.
std::map<std::string, double> parse_textfile(const std::string& text) {
  static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)");
  static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (\S+))");
  std::map<std::string, double> series;
  std::set<std::string> typed;
  std::istringstream lines(text);
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    std::smatch m;
    if (std::regex_match(line, m, kHelp)) continue;
    if (std::regex_match(line, m, kType)) {
      EXPECT_TRUE(typed.insert(m[1]).second) << "line " << n << ": TYPE twice for " << m[1];
      continue;
    }
    if (!std::regex_match(line, m, kSample)) {
      ADD_FAILURE() << "line " << n << " is not a sample, HELP or TYPE: " << line;
      continue;
    }
    EXPECT_TRUE(typed.contains(m[1])) << "line " << n << ": sample before its TYPE: " << line;
    std::size_t used = 0;
    const double v = std::stod(m[3], &used);
    EXPECT_EQ(used, m[3].length()) << "line " << n << ": not a float: " << line;
    EXPECT_TRUE(series.emplace(m[1].str() + m[2].str(), v).second) << "line " << n << ": series twice: " << line;
  }
  EXPECT_TRUE(text.empty() || text.back() == '\n') << "the last line must end";
  return series;
}

void expect_json_lines(const std::string& text, const std::string& where) {
  simdjson::dom::parser parser;
  std::istringstream lines(text);
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    simdjson::dom::element e;
    ASSERT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << where << " line " << n << ": " << line;
    for (const char* key : {"time", "level", "message"})
      EXPECT_TRUE(e[key].is_string()) << where << " line " << n << " lacks " << key << ": " << line;
    EXPECT_TRUE(e["fields"].is_object()) << where << " line " << n;
  }
  EXPECT_GT(n, 3) << where;
}

TEST_F(EtlRunTest, JsonLogLinesAndAPrometheusTextfile) {
  ReplicaProcess replica({"--scale", "0.005", "--seed", "3"});
  const std::string metrics = dir.file("propetl.prom");
  const auto r = etl({"--area", "kobenhavn", "--log-format", "json", "--log-file", dir.file("run.log"),
                      "--metrics-file", metrics},
                     replica, sqlite_url("o.db"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_json_lines(r.err.substr(0, r.err.find("MUNICIPALITY")), "stderr");  // the table follows the log
  expect_json_lines(read_file(dir.file("run.log")), "--log-file");

  ASSERT_TRUE(std::filesystem::exists(metrics));
  EXPECT_FALSE(std::filesystem::exists(metrics + ".tmp"));
  const auto series = parse_textfile(read_file(metrics));
  EXPECT_EQ(series.at(R"(propetl_run_status{status="completed"})"), 1);
  EXPECT_EQ(series.at(R"(propetl_run_status{status="failed"})"), 0);
  EXPECT_EQ(series.at(R"(propetl_run_requests{endpoint="addresses"})"), test::replica_stat(replica, "detail"));
  EXPECT_EQ(series.at(R"(propetl_run_requests{endpoint="search_addresses"})"), test::replica_stat(replica, "search"));
  EXPECT_EQ(series.at(R"(propetl_run_properties{outcome="loaded"})"),
            static_cast<double>(test::stored_ids(dir.file("o.db")).size()));
  const double success = series.at("propetl_last_success_timestamp_seconds");
  EXPECT_GT(success, 1.7e9);
  EXPECT_EQ(success, series.at("propetl_run_finished_timestamp_seconds"));

  // A failed run keeps the last success time of the one before.
  ReplicaProcess gone({"--scale", "0.001"});
  gone.stop();
  const auto failed = etl({"--area", "kobenhavn", "--metrics-file", metrics}, gone, sqlite_url("o.db"));
  EXPECT_EQ(failed.exit_code, 1);
  // The API check fails before the run begins: nothing is rewritten.
  EXPECT_EQ(parse_textfile(read_file(metrics)).at("propetl_last_success_timestamp_seconds"), success);

  // A log that cannot be written (a full disk: /dev/full) is an error, not a silent exit 0.
  const auto full = etl({"--area", "kobenhavn", "--log-file", "/dev/full"}, replica, sqlite_url("o.db"));
  EXPECT_EQ(full.exit_code, 1) << full.err;
  EXPECT_NE(full.err.find("could not write --log-file /dev/full"), std::string::npos) << full.err;

  const auto unwritable = etl({"--area", "kobenhavn", "--metrics-file", dir.file("no/such/dir/x.prom")}, replica,
                              sqlite_url("o.db"));
  EXPECT_EQ(unwritable.exit_code, 1) << unwritable.err;
  EXPECT_NE(unwritable.err.find("--metrics-file"), std::string::npos) << unwritable.err;
}

// `etl status --json` carries what a monitor alerts on: the last run failed, a run still
// "running" long past its time (killed), pending failures.
TEST_F(EtlRunTest, StatusJsonShowsTheAlertStates) {
  ReplicaProcess replica({"--scale", "0.002", "--seed", "3"});
  const std::string db = sqlite_url("s.db");
  ASSERT_EQ(etl({"--area", "kobenhavn"}, replica, db).exit_code, 0);
  const auto status = [&] {
    const auto r = test::run_process({ETL_BIN, "status", "--json", "--db", db});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  simdjson::dom::parser parser;
  {
    const std::string out = status();
    const simdjson::dom::element s = parser.parse(out);
    EXPECT_FALSE(s["alerts"]["last_run_failed"].get_bool().value()) << out;
    EXPECT_EQ(s["alerts"]["overdue_runs"].get_int64().value(), 0);
    EXPECT_EQ(s["alerts"]["pending_failures"].get_int64().value(), 0);
    EXPECT_EQ(std::string(s["runs"].at(0)["status"].get_string().value()), "completed");
    EXPECT_EQ(s["municipalities"].at(0)["code"].get_int64().value(), 101);
  }
  // A run killed 13 hours ago never finished; a failure waits for its retry.
  {
    SQLite::Database sql(dir.file("s.db"), SQLite::OPEN_READWRITE);
    sql.exec("INSERT INTO etl_runs (started_at, status, command) "
             "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-13 hours'), 'running', 'etl run (killed)')");
    sql.exec("INSERT INTO etl_runs (started_at, status, command) "
             "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minutes'), 'running', 'etl run (in progress)')");
    sql.exec("INSERT INTO etl_failures (address_id, stage, reason, source, attempts, first_failed_at, last_failed_at) "
             "VALUES ('some-id', 'fetch', 'HTTP 500 after 5 attempt(s)', 'test', 1, "
             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
  }
  const std::string out = status();
  const simdjson::dom::element s = parser.parse(out);
  EXPECT_EQ(s["alerts"]["overdue_runs"].get_int64().value(), 1) << out;
  EXPECT_FALSE(s["alerts"]["last_run_failed"].get_bool().value()) << "the newest finished run completed: " << out;
  EXPECT_EQ(s["alerts"]["pending_failures"].get_int64().value(), 1);
  EXPECT_EQ(std::string(s["pending_failures"].at(0)["address_id"].get_string().value()), "some-id");
  {
    SQLite::Database sql(dir.file("s.db"), SQLite::OPEN_READWRITE);
    sql.exec("INSERT INTO etl_runs (started_at, finished_at, status) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'failed')");
  }
  EXPECT_TRUE(parser.parse(status())["alerts"]["last_run_failed"].get_bool().value());
  const auto text = test::run_process({ETL_BIN, "status", "--db", db});
  EXPECT_NE(text.out.find("warning: the last run failed"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("1 run(s) still 'running' after 12 h"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace etl
