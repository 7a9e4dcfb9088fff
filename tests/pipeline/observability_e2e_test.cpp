// What a monitor reads: --log-format json (every line a JSON object: time, level, message,
// fields) and --metrics-file (a Prometheus textfile, checked here with the text format's
// rules, as Debian has no promtool outside the prometheus server package: HELP and TYPE
// before a family's samples, valid names and labels, float values, no series twice),
// written atomically at the end of a run.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <cctype>
#include <csignal>
#include <ctime>
#include <optional>
#include <string_view>
#include <set>
#include <sstream>
#include <thread>

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

bool metric_name_char(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

// A metric (or, without colons, a label) name at `at`; advances past it; empty if none.
std::string read_name(const std::string& line, std::size_t& at, bool label) {
  const std::size_t start = at;
  while (at < line.size() && metric_name_char(line[at], at == start) && !(label && line[at] == ':')) ++at;
  return line.substr(start, at - start);
}

// `{name="value",...}` at `at` (escapes \\, \" and \n); false if malformed.
bool read_labels(const std::string& line, std::size_t& at) {
  if (at >= line.size() || line[at] != '{') return true;
  for (++at;;) {
    if (read_name(line, at, true).empty() || line.compare(at, 2, "=\"") != 0) return false;
    for (at += 2; at < line.size() && line[at] != '"'; ++at) {
      if (line[at] == '\n') return false;
      if (line[at] == '\\' && (++at >= line.size() || std::string_view("\\\"n").find(line[at]) == std::string::npos))
        return false;
    }
    if (at >= line.size()) return false;
    ++at;  // the closing quote
    if (at < line.size() && line[at] == ',') {
      ++at;
      continue;
    }
    if (at < line.size() && line[at] == '}') return ++at, true;
    return false;
  }
}

// series ("name{labels}") -> value; fails the test on any line the text format does not
// allow: HELP and TYPE lines, then samples `name{labels} value` of a TYPEd family.
std::map<std::string, double> parse_textfile(const std::string& text) {
  static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary", "untyped"};
  std::map<std::string, double> series;
  std::set<std::string> typed;
  std::istringstream lines(text);
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    std::size_t at = 0;
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      at = 7;
      const std::string name = read_name(line, at, false);
      EXPECT_FALSE(name.empty()) << "line " << n << ": " << line;
      EXPECT_TRUE(at < line.size() && line[at] == ' ') << "line " << n << ": " << line;
      if (line[2] == 'T') {
        EXPECT_TRUE(kTypes.contains(line.substr(at + 1))) << "line " << n << ": unknown type: " << line;
        EXPECT_TRUE(typed.insert(name).second) << "line " << n << ": TYPE twice for " << name;
      }
      continue;
    }
    const std::string name = read_name(line, at, false);
    const std::size_t labels_at = at;
    if (name.empty() || !read_labels(line, at) || at >= line.size() || line[at] != ' ') {
      ADD_FAILURE() << "line " << n << " is not a sample, HELP or TYPE: " << line;
      continue;
    }
    EXPECT_TRUE(typed.contains(name)) << "line " << n << ": sample before its TYPE: " << line;
    const std::string value = line.substr(at + 1);
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(value, &used);
    } catch (const std::exception&) {
    }
    EXPECT_TRUE(used > 0 && used == value.size()) << "line " << n << ": not a float: " << line;
    EXPECT_TRUE(series.emplace(name + line.substr(labels_at, at - labels_at), v).second)
        << "line " << n << ": series twice: " << line;
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

TEST(TextfileRules, TheCheckerRefusesWhatTheFormatDoesNot) {
  EXPECT_NONFATAL_FAILURE(parse_textfile("propetl_x 1\n"), "sample before its TYPE");
  EXPECT_NONFATAL_FAILURE(parse_textfile("# TYPE a gauge\na{b=\"c} 1\n"), "is not a sample");
  EXPECT_NONFATAL_FAILURE(parse_textfile("# TYPE a gauge\na one\n"), "not a float");
  EXPECT_NONFATAL_FAILURE(parse_textfile("# TYPE a gauge\na 1\na 2\n"), "series twice");
  EXPECT_EQ(parse_textfile("# HELP a x\n# TYPE a gauge\na{b=\"q\\\"\",c=\"d\"} 1.5\n").size(), 1u);
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
  // By endpoint and status: every detail answered 200 here.
  EXPECT_EQ(series.at(R"(propetl_run_answers{endpoint="addresses",status="200"})"), test::replica_stat(replica, "detail"));
  EXPECT_EQ(series.at(R"(propetl_run_answers{endpoint="search_cases",status="200"})"), 1);
  EXPECT_EQ(series.at(R"(propetl_run_properties{outcome="loaded"})"),
            static_cast<double>(test::stored_ids(dir.file("o.db")).size()));
  const double success = series.at("propetl_last_success_timestamp_seconds");
  EXPECT_GT(success, 1.7e9);
  EXPECT_EQ(success, series.at("propetl_run_finished_timestamp_seconds"));

  // A failed run says so and keeps the last success time of the one before.
  ReplicaProcess gone({"--scale", "0.001"});
  gone.stop();
  const auto failed = etl({"--area", "kobenhavn", "--metrics-file", metrics}, gone, sqlite_url("o.db"));
  EXPECT_EQ(failed.exit_code, 1);
  const auto after = parse_textfile(read_file(metrics));
  EXPECT_EQ(after.at(R"(propetl_run_status{status="failed"})"), 1);
  EXPECT_EQ(after.at("propetl_last_success_timestamp_seconds"), success);

  // A log that cannot be written (a full disk: /dev/full) is an error, not a silent exit 0.
  const auto full = etl({"--area", "kobenhavn", "--log-file", "/dev/full"}, replica, sqlite_url("o.db"));
  EXPECT_EQ(full.exit_code, 1) << full.err;
  EXPECT_NE(full.err.find("could not write --log-file /dev/full"), std::string::npos) << full.err;

  // A folder that is not there is found before the run (issue 33), not after it.
  const auto unwritable = etl({"--area", "kobenhavn", "--metrics-file", dir.file("no/such/dir/x.prom")}, replica,
                              sqlite_url("o.db"));
  EXPECT_EQ(unwritable.exit_code, 2) << unwritable.err;
  EXPECT_NE(unwritable.err.find("--metrics-file: the folder"), std::string::npos) << unwritable.err;
}

// A run that fails before it begins (the API unreachable, a bad configuration, a database
// that cannot be opened) leaves what a monitor reads: the error in --log-file (a JSON line
// with --log-format json) and on stderr, --metrics-file with status failed (and the last
// success, while the database can be read), and a `failed` etl_runs row when it exists.
TEST_F(EtlRunTest, ARunThatFailsBeforeItBeginsIsLoggedMeasuredAndRecorded) {
  ReplicaProcess replica({"--scale", "0.002", "--seed", "3"});
  const std::string db = sqlite_url("f.db");
  ASSERT_EQ(etl({"--area", "kobenhavn"}, replica, db).exit_code, 0);
  const std::string log = dir.file("f.jsonl"), metrics = dir.file("f.prom");
  const auto fail = [&](const std::string& db_url, std::vector<std::string> args) {
    std::vector<std::string> argv = {ETL_BIN, "run", "--area", "kobenhavn", "--db", db_url, "--retries", "0",
                                     "--log-format", "json", "--log-file", log, "--metrics-file", metrics};
    argv.insert(argv.end(), args.begin(), args.end());
    std::filesystem::remove(log);
    std::filesystem::remove(metrics);
    const auto r = test::run_process(argv);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "") << "no summary table for a run that never began";
    EXPECT_TRUE(std::filesystem::exists(metrics)) << "no --metrics-file: " << r.err;
    return r;
  };
  simdjson::dom::parser parser;
  const auto error_line = [&](const std::string& text, const std::string& what) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      simdjson::dom::element e;
      EXPECT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
      if (e.is_object() && std::string_view(e["level"].get_string().value_unsafe()) == "error" &&
          std::string_view(e["message"].get_string().value_unsafe()).find(what) != std::string_view::npos)
        return true;
    }
    return false;
  };
  const auto status = [&] {
    const auto r = test::run_process({ETL_BIN, "status", "--json", "--db", db});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };

  const auto unreachable = fail(db, {"--api-url", "http://127.0.0.1:1"});
  EXPECT_TRUE(error_line(read_file(log), "API unreachable")) << read_file(log);
  EXPECT_TRUE(error_line(unreachable.err, "API unreachable")) << unreachable.err;
  auto series = parse_textfile(read_file(metrics));
  EXPECT_EQ(series.at(R"(propetl_run_status{status="failed"})"), 1);
  EXPECT_EQ(series.at(R"(propetl_run_status{status="completed"})"), 0);
  const double success = series.at("propetl_last_success_timestamp_seconds");
  EXPECT_GT(success, 1.7e9) << "the last success is kept";
  std::string out = status();
  simdjson::dom::element s = parser.parse(out);
  EXPECT_TRUE(s["alerts"]["last_run_failed"].get_bool().value()) << out;
  EXPECT_EQ(std::string(s["runs"].at(0)["status"].get_string().value()), "failed") << out;

  // A bad configuration: the same, and its row too.
  ASSERT_EQ(etl({"--area", "kobenhavn"}, replica, db).exit_code, 0);
  fail(db, {"--api-url", replica.base_url(), "--config", dir.file("missing.yaml")});
  EXPECT_TRUE(error_line(read_file(log), "cannot open the area configuration")) << read_file(log);
  EXPECT_EQ(parse_textfile(read_file(metrics)).at(R"(propetl_run_status{status="failed"})"), 1);
  out = status();
  EXPECT_TRUE(parser.parse(out)["alerts"]["last_run_failed"].get_bool().value()) << out;

  // A database that cannot be opened: logged and measured, with no success known.
  { std::ofstream(dir.file("junk.db")) << "not a database, but long enough to be read as one: " << std::string(200, 'x'); }
  fail("sqlite:" + dir.file("junk.db"), {"--api-url", replica.base_url()});
  EXPECT_TRUE(error_line(read_file(log), "junk.db")) << read_file(log);
  series = parse_textfile(read_file(metrics));
  EXPECT_EQ(series.at(R"(propetl_run_status{status="failed"})"), 1);
  EXPECT_EQ(series.at("propetl_last_success_timestamp_seconds"), 0);
}

std::string last_line(const std::string& text) {
  const auto end = text.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  const auto newline = text.rfind('\n', end);
  const auto begin = newline == std::string::npos ? 0 : newline + 1;
  return text.substr(begin, end + 1 - begin);
}

// A cron or systemd log holds only what is logged (the table goes to standard output): its
// last line says how the run ended, with the totals, as text or with the summary as JSON
// fields; also when the run failed before it began, or was stopped.
TEST_F(EtlRunTest, TheLogEndsWithHowTheRunEnded) {
  ReplicaProcess replica({"--scale", "0.005", "--seed", "3"});
  const std::string db = sqlite_url("e.db");
  const std::string text_log = dir.file("nightly.log");
  ASSERT_EQ(etl({"--area", "kobenhavn", "--log-file", text_log}, replica, db).exit_code, 0);
  const std::string n = std::to_string(test::stored_ids(dir.file("e.db")).size());
  const std::string done = last_line(read_file(text_log));
  EXPECT_NE(done.find("Z info run 1 completed in "), std::string::npos) << done;
  EXPECT_NE(done.find(": " + n + " loaded (" + n + " new, 0 changed, 0 unchanged), 0 skipped, 0 failed, 0 removed; "
                      "events: new " + n + "; "),
            std::string::npos)
      << done;
  EXPECT_TRUE(done.ends_with(" API requests; exit 0")) << done;

  simdjson::dom::parser parser;
  const std::string json_log = dir.file("nightly.jsonl");
  ASSERT_EQ(etl({"--area", "kobenhavn", "--log-format", "json", "--log-file", json_log}, replica, db).exit_code, 0);
  std::string line = last_line(read_file(json_log));
  simdjson::dom::element e;
  ASSERT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
  EXPECT_EQ(std::string(e["level"].get_string().value()), "info") << line;
  EXPECT_TRUE(std::string(e["message"].get_string().value()).starts_with("run 2 completed in ")) << line;
  EXPECT_EQ(e["fields"]["run_id"].get_int64().value(), 2) << line;
  EXPECT_EQ(e["fields"]["exit_code"].get_int64().value(), 0) << line;
  EXPECT_EQ(std::string(e["fields"]["summary"]["status"].get_string().value()), "completed") << line;
  EXPECT_EQ(std::to_string(e["fields"]["summary"]["totals"]["skipped"].get_int64().value()), n) << line;

  const auto failed = test::run_process({ETL_BIN, "run", "--area", "kobenhavn", "--db", db, "--api-url",
                                         "http://127.0.0.1:1", "--retries", "0", "--log-format", "json", "--log-file",
                                         json_log});
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
  line = last_line(read_file(json_log));
  ASSERT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
  EXPECT_EQ(std::string(e["level"].get_string().value()), "error") << line;
  const std::string message(e["message"].get_string().value());
  EXPECT_TRUE(message.starts_with("run 3 failed before it began: API unreachable")) << line;
  EXPECT_TRUE(message.ends_with("; exit 1")) << line;
  EXPECT_EQ(e["fields"]["exit_code"].get_int64().value(), 1) << line;
  EXPECT_EQ(std::string(e["fields"]["summary"]["status"].get_string().value()), "failed") << line;

  ReplicaProcess slow({"--scale", "0.005", "--seed", "4", "--latency-ms", "300"});
  const std::string stopped_log = dir.file("stopped.log");
  test::ChildProcess child({ETL_BIN, "run", "--config", test::kConfig, "--api-url", slow.base_url(), "--db",
                            sqlite_url("s.db"), "--progress", "none", "--area", "kobenhavn", "--max-rps", "0",
                            "--workers", "2", "--log-file", stopped_log});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // under way: about 10 s of requests
  child.send_signal(SIGTERM);
  const auto stopped = child.wait(std::chrono::seconds(30));
  EXPECT_EQ(stopped.exit_code, 143) << stopped.err;
  line = last_line(read_file(stopped_log));
  EXPECT_NE(line.find("Z warning run 1 interrupted in "), std::string::npos) << line;
  EXPECT_TRUE(line.ends_with("; exit 143")) << line;
}

// Log times are UTC with a Z, as etl_runs, `etl status` and `etl changes` show theirs, in
// text and JSON, on stderr and in --log-file, whatever the machine's zone (here 14 h east).
TEST_F(EtlRunTest, LogTimesAreUtcWithAZ) {
  const auto time_of = [](const std::string& line, bool json) -> std::optional<std::time_t> {
    const auto at = json ? line.find("\"time\":\"") : 0;
    if (at == std::string::npos) return std::nullopt;
    const std::string text = line.substr(json ? at + 8 : 0, 24);  // 2026-12-07T11:57:34.648Z
    std::tm tm{};
    const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end || std::string_view(end).size() != 5 || end[0] != '.' || end[4] != 'Z') return std::nullopt;
    return timegm(&tm);
  };
  for (const std::string format : {"text", "json"}) {
    const std::string log = dir.file(format + ".log");
    const std::time_t before = std::time(nullptr);
    const auto r = test::run_process({ETL_BIN, "run", "--area", "kobenhavn", "--db", sqlite_url("t.db"), "--api-url",
                                      "http://127.0.0.1:1", "--retries", "0", "--log-format", format, "--log-file", log},
                                     {{"TZ", "XYZ-14"}});
    const std::time_t after = std::time(nullptr);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    for (const auto& [where, text] : {std::pair{"stderr", r.err}, std::pair{"--log-file", read_file(log)}}) {
      std::istringstream lines(text);
      int n = 0;
      for (std::string line; std::getline(lines, line); ++n) {
        const auto t = time_of(line, format == "json");
        ASSERT_TRUE(t) << format << " " << where << ": no UTC time with a Z: " << line;
        EXPECT_GE(*t, before - 1) << format << " " << where << ": " << line;
        EXPECT_LE(*t, after) << format << " " << where << ": " << line;
      }
      EXPECT_GT(n, 0) << format << " " << where;
    }
  }
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
  // `etl failures` lists it with what the next run does about it; a stage filter leaves it out.
  const auto listed = test::run_process({ETL_BIN, "failures", "--json", "--db", db});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const simdjson::dom::element failures = parser.parse(listed.out);
  ASSERT_EQ(failures.get_array().size(), 1u) << listed.out;
  EXPECT_EQ(std::string(failures.at(0)["next"].get_string().value()), "retried by the next run");
  const auto imports = test::run_process({ETL_BIN, "failures", "list", "--stage", "import", "--db", db});
  EXPECT_NE(imports.out.find("0 pending failures of stage import"), std::string::npos) << imports.out << imports.err;
  // `etl failures clear` with an age leaves the fresh failure; without one it clears it.
  const auto kept = test::run_process({ETL_BIN, "failures", "clear", "--older-than", "30d", "--db", db});
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_NE(kept.out.find("cleared 0 pending failures last failed over 30d ago"), std::string::npos) << kept.out;
  EXPECT_EQ(test::run_process({ETL_BIN, "failures", "clear", "--older-than", "30", "--db", db}).exit_code, 2)
      << "a bare number is not a duration";
  const auto cleared = test::run_process({ETL_BIN, "failures", "clear", "--stage", "fetch", "--db", db});
  EXPECT_NE(cleared.out.find("cleared 1 pending failure of stage fetch"), std::string::npos) << cleared.out;
  EXPECT_EQ(parser.parse(status())["alerts"]["pending_failures"].get_int64().value(), 0);
  {
    SQLite::Database sql(dir.file("s.db"), SQLite::OPEN_READWRITE);
    sql.exec("INSERT INTO etl_runs (started_at, finished_at, status) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'failed')");
  }
  EXPECT_TRUE(parser.parse(status())["alerts"]["last_run_failed"].get_bool().value());
  const auto text = test::run_process({ETL_BIN, "status", "--db", db});
  EXPECT_NE(text.out.find("warning: the last run failed"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("1 run still 'running' after 12 h"), std::string::npos) << text.out;
}

// The alert counts every pending failure a run retries, past the 1,000 that --json lists;
// those of import-json files, which no run retries, are counted apart and raise no alert.
TEST_F(EtlRunTest, StatusCountsEveryPendingFailureAndAlertsOnlyOnRetriedOnes) {
  const std::string db = sqlite_url("p.db");
  ASSERT_EQ(test::run_process({ETL_BIN, "migrate", "--db", db}).exit_code, 0);
  {
    SQLite::Database sql(dir.file("p.db"), SQLite::OPEN_READWRITE);
    sql.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) "
             "INSERT INTO etl_failures (address_id, stage, reason, source, attempts, first_failed_at, last_failed_at) "
             "SELECT 'id-' || i, 'fetch', 'HTTP 500 after 5 attempt(s)', 'test', 1, "
             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM n");
    sql.exec("INSERT INTO etl_failures (address_id, stage, reason, source, attempts, first_failed_at, last_failed_at) "
             "VALUES ('file:/tmp/bad.json#0', 'import', 'invalid JSON', '/tmp/bad.json', 1, "
             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
  }
  const auto json = test::run_process({ETL_BIN, "status", "--json", "--db", db});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  simdjson::dom::parser parser;
  const simdjson::dom::element s = parser.parse(json.out);
  EXPECT_EQ(s["alerts"]["pending_failures"].get_int64().value(), 1200) << "all retried ones, none of the import";
  EXPECT_EQ(s["pending_import_failures"].get_int64().value(), 1);
  EXPECT_EQ(s["pending_failures"].get_array().size(), 1000u) << "the list stays at the oldest 1,000";
  const auto text = test::run_process({ETL_BIN, "status", "--db", db});
  EXPECT_NE(text.out.find("pending failures: 1200 retried by the next run, 1 of import-json files (not retried"),
            std::string::npos)
      << text.out;
}

// -v: one debug line per request, with its URL, status and time; -q: nothing but warnings.
TEST_F(EtlRunTest, VerboseLogsEachRequestAndQuietLogsNone) {
  ReplicaProcess replica({"--scale", "0.001", "--seed", "3"});
  const auto verbose = etl({"--area", "kobenhavn", "-v"}, replica, sqlite_url("v.db"));
  ASSERT_EQ(verbose.exit_code, 0) << verbose.err;
  EXPECT_NE(verbose.err.find("debug GET " + replica.base_url() + "/municipalities 200 "), std::string::npos) << verbose.err;
  EXPECT_NE(verbose.err.find("/search/cases?municipalities=K%C3%B8benhavn"), std::string::npos) << verbose.err;
  const auto quiet = etl({"--area", "kobenhavn", "-q"}, replica, sqlite_url("v.db"));
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find(" info "), std::string::npos) << quiet.err;
}

// Looking never creates: `etl status` on a path with no database is an error naming it,
// and the path still does not exist afterwards.
TEST_F(EtlRunTest, StatusOfAMissingDatabaseIsAnErrorAndCreatesNothing) {
  const std::string missing = dir.file("typo/etl.db");
  for (const std::vector<std::string>& args : {std::vector<std::string>{}, std::vector<std::string>{"--json"}}) {
    std::vector<std::string> argv = {ETL_BIN, "status", "--db", "sqlite:" + missing};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = test::run_process(argv);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("no database at sqlite:" + missing), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("typo"))) << "nothing created";
  }
}

}  // namespace
}  // namespace etl
