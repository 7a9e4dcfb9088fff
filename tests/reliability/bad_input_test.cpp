// Issue 8.4: bad configuration, bad flags, an unreachable API and hostile payloads: one clear
// message, the documented exit code, nothing written; hostile payloads never crash the
// parser and each is recorded as a failure while the good ones load.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "tests/extractors/local_http_server.hpp"
#include "tests/pipeline/etl_run_fixture.hpp"
#include "tests/reliability/reliability_support.hpp"
#include "tests/support/db_dump.hpp"

namespace etl::test {
namespace {

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n + (!s.empty() && s.back() != '\n');
}

const char* kValidYaml = R"(municipalities:
  - code: 101
    name: København
    zip_codes: ["2100", "2150"]
  - code: 147
    name: Frederiksberg
    zip_codes: ["2000"]
areas:
  test: [København, Frederiksberg]
)";

class BadInput : public ::testing::Test {
 protected:
  // `etl run` with a config file and a database that must not appear; the API is never used.
  ProcessResult etl_run(const std::vector<std::string>& extra, const std::string& config = kConfig,
                        const std::string& api = "http://127.0.0.1:1") {
    std::vector<std::string> argv = {ETL_BIN, "run", "--config", config, "--api-url", api, "--db", "sqlite:" + db,
                                     "--progress", "none", "--timeout", "2s", "--retries", "1"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv);
  }
  TempDir dir;
  std::string db = dir.file("sub/etl.db");
};

TEST_F(BadInput, ConfigErrorsGiveOneClearMessageExitOneAndWriteNothing) {
  const std::string good = dir.file("good.yaml");
  write_file(good, kValidYaml);
  struct Case {
    std::string name, yaml, expected;
  };
  std::string malformed_zip = kValidYaml, duplicate = kValidYaml, undefined = kValidYaml;
  malformed_zip.replace(malformed_zip.find("\"2150\""), 6, "\"21x0\"");
  duplicate.replace(duplicate.find("code: 147"), 9, "code: 101");
  undefined.replace(undefined.find("Frederiksberg]"), 14, "Atlantis]");
  const std::vector<Case> cases = {
      {"malformed-zip", malformed_zip, "malformed zip code '21x0'"},
      {"duplicate-code", duplicate, "duplicate municipality code 101"},
      {"undefined-municipality", undefined, "undefined municipality 'Atlantis'"},
      {"invalid-yaml", "municipalities: [\n  - code: {\n", "invalid YAML"},
      {"missing-file", "", "cannot open the area configuration"},
  };
  for (const Case& c : cases) {
    const std::string path = dir.file(c.name + ".yaml");
    if (c.name != "missing-file") write_file(path, c.yaml);
    const ProcessResult r = etl_run({"--area", "test"}, path);
    EXPECT_EQ(r.exit_code, 1) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(path), std::string::npos) << c.name << ": the message names the file: " << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << c.name << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(db)) << c.name;
  }
  // Not a regular file, or far too big to be an area configuration: refused, not read.
  const std::string big = dir.file("big.yaml");
  write_file(big, std::string(kValidYaml) + "\n#" + std::string(2 << 20, 'x') + "\n");
  for (const auto& [path, expected] : std::vector<std::pair<std::string, std::string>>{
           {"/dev/zero", "is not a regular file"}, {dir.path(), "is not a regular file"}, {big, "is over 1 MiB"}}) {
    const ProcessResult r = etl_run({"--area", "test"}, path);
    EXPECT_EQ(r.exit_code, 1) << path << ": " << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << path << ": " << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(db));
  }
  // An unknown area, municipality or address type with a valid file: a usage error (exit 2)
  // naming the flag and, where one is close, what was meant.
  for (const auto& [args, expected] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--area", "nowhere"}, "--area: unknown area 'nowhere'"},
           {{"--area", "tset"}, "did you mean 'test'?"},
           {{"--municipality", "Atlantis"}, "--municipality: unknown municipality 'Atlantis'"},
           {{"--municipality", "Frederiksbrg"}, "did you mean 'Frederiksberg'?"},
           {{"--area", "test", "--address-types", "house"}, "--address-types: unknown address type 'house'"}}) {
    const ProcessResult r = etl_run(args, good);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(db));
  }
}

TEST_F(BadInput, BadFlagValuesAreUsageErrorsAndCreateNoDatabase) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--workers", "0"}, "--workers"},       {{"--batch-size", "-1"}, "--batch-size"},
      {{"--refresh", "stale:xyz"}, "--refresh"}, {{"--timeout", "abc"}, "--timeout"},
      {{"--shard", "0/2"}, "--shard"},          {{"--workers", "many"}, "--workers"},
      {{"--details", "sometimes"}, "--details"}, {{"--limit", "-5"}, "--limit"},
      {{"--bogus-flag"}, "--bogus-flag"},
  };
  for (const auto& [flag, name] : cases) {
    std::vector<std::string> args = {"--area", "copenhagen"};
    args.insert(args.end(), flag.begin(), flag.end());
    const ProcessResult r = etl_run(args);
    EXPECT_EQ(r.exit_code, 2) << flag[0] << ": " << r.err;
    EXPECT_NE(r.err.find(name), std::string::npos) << r.err;
    EXPECT_LE(count_lines(r.err), 2) << r.err;  // the message and "Run with --help ..."
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_FALSE(std::filesystem::exists(db)) << flag[0];
  }
  const ProcessResult none = etl_run({});
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_FALSE(std::filesystem::exists(db));
}

TEST_F(BadInput, UnreachableApiIsFatalWithOneMessageAndNoData) {
  const ProcessResult r = etl_run({"--municipality", "Dragør", "--log-level", "error"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("API unreachable"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  // The API is checked before the database is opened: nothing is written.
  EXPECT_FALSE(std::filesystem::exists(db));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A URL that answers 404 everywhere, or JSON that is not the API's, is not the API: one
// fatal error (exit 1), `failed` in etl_runs, --summary-json, --metrics-file and the alert of
// `etl status --json`, instead of a failed search per municipality.
TEST_F(BadInput, AnApiUrlThatIsNotTheApiIsFatalAndFailedForEveryMonitor) {
  LocalHttpServer web;
  web.routes().Get("/other/municipalities", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"hello":"world"})", "application/json");
  });
  web.start();
  const std::string existing = "sqlite:" + dir.file("existing.db");
  ASSERT_EQ(run_process({ETL_BIN, "migrate", "--db", existing}).exit_code, 0);
  for (const std::string& api : {web.url(""), web.url("/other")}) {
    std::vector<std::string> argv = {ETL_BIN, "run", "--config", kConfig, "--api-url", api, "--db", existing,
                                     "--progress", "none", "--area", "copenhagen", "--log-level", "error",
                                     "--summary-json", dir.file("s.json"), "--metrics-file", dir.file("m.prom")};
    const ProcessResult r = run_process(argv);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("not the API: " + api + "/municipalities answered"), std::string::npos) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(read_text(dir.file("s.json")).find(R"("status":"failed")"), std::string::npos);
    EXPECT_NE(read_text(dir.file("m.prom")).find(R"(propetl_run_status{status="failed"} 1)"), std::string::npos);
    const ProcessResult status = run_process({ETL_BIN, "status", "--db", existing, "--json"});
    EXPECT_NE(status.out.find(R"("last_run_failed":true)"), std::string::npos) << status.out;
  }
}

// A case search whose totals do not add up (totalHits 5, two cases served) is a recorded
// failure of the municipality, exit 3, not a warning with exit 0.
TEST_F(BadInput, ACaseSearchThatDoesNotAddUpIsARecordedFailure) {
  LocalHttpServer api;
  api.routes().Get("/municipalities", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"totalHits":1,"municipalities":[]})", "application/json");
  });
  api.routes().Get("/search/cases", [](const httplib::Request& req, httplib::Response& res) {
    const std::string cases = R"([{"caseID":"c1","priceCash":1000000,"address":{"addressID":"a1"}},)"
                              R"({"caseID":"c2","priceCash":2000000,"address":{"addressID":"a2"}}])";
    res.set_content(R"({"totalHits":5,"cases":)" + (req.get_param_value("page") == "1" ? cases : "[]") + "}",
                    "application/json");
  });
  api.routes().Get("/addresses/(.*)", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(R"({"addressID":")" + std::string(req.matches[1]) +
                        R"(","roadName":"Vej","houseNumber":"1","zipCode":2791,"isOnMarket":true,)"
                        R"("municipality":{"municipalityCode":155,"name":"Dragør"}})",
                    "application/json");
  });
  api.start();
  const std::string url = "sqlite:" + dir.file("cases.db");
  const ProcessResult r = run_process({ETL_BIN, "run", "--config", kConfig, "--api-url", api.url(""), "--db", url,
                                       "--progress", "none", "--municipality", "Dragør", "--refresh", "on-market",
                                       "--max-rps", "0", "--log-level", "error"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const auto failures = pending_failures(url);
  ASSERT_EQ(failures.size(), 1u) << r.err;
  EXPECT_EQ(failures[0].stage, "discover");
  EXPECT_NE(failures[0].reason.find("the case search delivered 2 distinct listings of the 5 it counts"),
            std::string::npos)
      << failures[0].reason;
}

// A small valid payload; `extra` is spliced in before the closing brace.
std::string payload(const std::string& id, const std::string& extra = "", const std::string& living_area = "120") {
  return R"({"addressID":")" + id +
         R"(","addressType":"villa","roadName":"Testvej","houseNumber":"1","zipCode":2100,)"
         R"("city":{"name":"København Ø","slug":"koebenhavn-oe"},"municipality":{"municipalityCode":101,"name":"København"},)"
         R"("livingArea":)" + living_area +
         R"(,"latestValuation":3000000,"coordinates":{"lat":55.7,"lon":12.5},)"
         R"("buildings":[{"buildingNumber":"1","housingArea":120}],)"
         R"("registrations":[{"registrationID":"r1","amount":1000000,"date":"2020-01-01"}])" +
         extra + "}";
}

std::string id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) s.replace(pos, from.size(), to);
  return s;
}

// Invalid JSON, a wrong structure or a missing ID is a recorded failure; an odd but legal
// value (a negative area, a number beyond 64 bits, a string or object where a number
// belongs) is stored with the value left out of its typed column and a note.
TEST(HostilePayloads, NeverCrashEachIsRecordedAsAFailureAndTheGoodOnesLoad) {
  TempDir dir;
  const std::string corpus = dir.file("corpus");
  std::filesystem::create_directories(corpus);
  std::map<std::string, std::string> hostile = {
      {"deep-arrays", payload(id(3), ",\"x\":" + std::string(100000, '[') + std::string(100000, ']'))},
      {"deep-objects", payload(id(4), ",\"x\":" + replace_all(std::string(5000, '{'), "{", "{\"a\":") + "1" +
                                          std::string(5000, '}'))},
      {"deep-known-field", payload(id(5), ",\"cases\":[" + std::string(3000, '[') + std::string(3000, ']') + "]")},
      {"nan", payload(id(7), "", "NaN")},
      {"infinity", payload(id(8), "", "Infinity")},
      {"invalid-utf8", replace_all(payload(id(10)), "Testvej", "Test\xff\xfe\xc3vej")},
      {"wrong-types", R"({"addressID":")" + id(12) +
                          R"(","addressType":5,"roadName":[],"houseNumber":{},"zipCode":"x","city":3,)"
                          R"("municipality":"x","livingArea":"big","latestValuation":[1],"coordinates":"here",)"
                          R"("buildings":{},"registrations":"none","cases":7})"},
      {"id-missing", replace_all(payload(id(15)), "\"addressID\":\"" + id(15) + "\",", "")},
      {"id-number", replace_all(payload(id(16)), "\"" + id(16) + "\"", "16")},
      {"id-empty", replace_all(payload(id(17)), "\"" + id(17) + "\"", "\"\"")},
      {"id-null", replace_all(payload(id(18)), "\"" + id(18) + "\"", "null")},
      {"truncated", payload(id(21)).substr(0, 150)},
      {"trailing-garbage", payload(id(22)) + "}{"},
      {"not-an-object", "[1,2,3]"},
      {"empty", ""},
      {"nul-bytes", std::string("{\"addressID\":\"\0\0\0\"}", 20)},
      {"huge-string", payload(id(6), ",\"roadName\":\"" + std::string(8 << 20, 'A') + "\"")},
      {"duplicate-id", payload(id(11), ",\"addressID\":\"" + id(999) + "\"")},
  };
  const std::map<std::string, std::string> odd = {
      {"negative-area", payload(id(9), "", "-120")},
      {"wrong-types-nested", payload(id(13), ",\"cases\":[{\"caseID\":5,\"priceCash\":\"cheap\"}]")},
      {"wrong-type-building", replace_all(payload(id(14)), "\"housingArea\":120", "\"housingArea\":{\"m2\":1}")},
      {"int64-overflow", replace_all(payload(id(19)), "3000000", "99999999999999999999999")},
      {"int64-underflow", replace_all(payload(id(20)), "\"zipCode\":2100", "\"zipCode\":-9223372036854775809")},
  };
  const std::set<std::string> stored_ids = {id(1), id(2), id(9), id(13), id(14), id(19), id(20)};
  write_file(corpus + "/good-1.json", payload(id(1)));
  write_file(corpus + "/good-2.json", payload(id(2)));
  for (const auto& [name, text] : hostile) write_file(corpus + "/" + name + ".json", text);
  for (const auto& [name, text] : odd) write_file(corpus + "/" + name + ".json", text);

  const std::string db_url = "sqlite:" + dir.file("hostile.db");
  const ProcessResult r = run_process({ETL_BIN, "import-json", corpus, "--db", db_url, "--log-level", "error",
                                       "--summary-json", dir.file("s.json")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(property_ids(db_url), stored_ids);
  EXPECT_NE(r.out.find("data-quality notes:"), std::string::npos) << r.out;
  EXPECT_EQ(query_rows(db_url, "SELECT living_area FROM properties WHERE address_id = '" + id(9) + "'"),
            (std::vector<std::vector<std::string>>{{"NULL"}}))
      << "the negative area is left out of its column";
  // Every hostile file is the source of a pending failure with a reason.
  std::map<std::string, std::string> reasons;
  // Parse failures name the file.
  for (auto& row : query_rows(db_url, "SELECT source, stage, reason FROM etl_failures WHERE resolved_at IS NULL"))
    reasons[std::filesystem::path(row.at(0)).stem().string()] = row.at(1) + ": " + row.at(2);
  for (const auto& [name, text] : hostile) {
    ASSERT_TRUE(reasons.contains(name)) << name << " was not recorded as a failure";
    EXPECT_GT(reasons[name].size(), 10u) << name;
  }
  EXPECT_EQ(reasons.size(), hostile.size());
  EXPECT_NE(reasons["deep-arrays"].find("nested deeper"), std::string::npos) << reasons["deep-arrays"];
}

}  // namespace
}  // namespace etl::test
