// Issue 18's acceptance: an API server of our own plays every hostile behaviour at once and
// the run, under a 3 GiB address-space limit, ends by itself with exit 3, each misbehaviour
// recorded (or stored with the payload kept), peak RSS under 400 MB, and the good
// properties stored:
//   - the first municipality's search answers 500;
//   - another's search claims totalHits 10^9 (its parts claim as much);
//   - a search item's addressID holds a NUL;
//   - a detail of 2 GB (streamed), one of gzip inflating to 1 GB, one that never parses;
//   - odd but legal values: a float area, a negative area, a latitude of 1e308, an integer
//     beyond 64 bits, a string where a number belongs: stored, with a data-quality note.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "tests/extractors/local_http_server.hpp"
#include "tests/reliability/reliability_support.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/gzip.hpp"

namespace etl::test {
namespace {

const char* kYaml = R"(municipalities:
  - code: 101
    name: Broken
    zip_codes: ["1000"]
  - code: 147
    name: Hostile
    zip_codes: ["2000"]
  - code: 151
    name: Liar
    zip_codes: ["2600", "2605"]
areas:
  hostile: [Broken, Hostile, Liar]
)";

// The good properties, then the ones whose details misbehave.
const std::vector<std::string> kGood = {"good-1", "good-2", "good-3", "good-4", "good-5"};
const std::map<std::string, std::string> kOddFields = {
    {"odd-float", R"("livingArea":123.5)"},
    {"odd-negative", R"("livingArea":-50)"},
    {"odd-extreme", R"("coordinates":{"lat":1e308,"lon":12.5})"},
    {"odd-huge-integer", R"("latestValuation":123456789012345678901234567890)"},
    {"odd-wrong-type", R"("livingArea":"big")"},
};
const std::vector<std::string> kBadBodies = {"huge-body", "gzip-bomb", "never-parses"};

std::string detail(const std::string& id, const std::string& extra = "") {
  std::string body = R"({"addressID":")" + id + R"(","roadName":"Vej","houseNumber":"1","zipCode":2000,)";
  body += R"("isOnMarket":false,"municipality":{"municipalityCode":147,"name":"Hostile"})";
  if (!extra.empty()) body += "," + extra;
  return body + "}";
}

void serve_hostile_api(LocalHttpServer& api, const std::string& bomb) {
  api.routes().Get("/municipalities", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"totalHits":3,"municipalities":[]})", "application/json");
  });
  api.routes().Get("/search/cases", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"totalHits":0,"cases":null})", "application/json");
  });
  api.routes().Get("/search/addresses", [](const httplib::Request& req, httplib::Response& res) {
    const std::string m = req.get_param_value("municipalities");
    const bool first = req.get_param_value("page") == "1";
    if (m == "Broken") {
      res.status = 500;
      return;
    }
    if (m == "Liar") {  // every query and part claims a billion hits and serves a few
      std::string items;
      for (int i = 0; first && i < 3; ++i) items += fmt::format(R"({}{{"addressID":"liar-{}"}})", i ? "," : "", i);
      res.set_content(R"({"totalHits":1000000000,"addresses":[)" + items + "]}", "application/json");
      return;
    }
    std::vector<std::string> ids = kGood;
    for (const auto& [id, field] : kOddFields) ids.push_back(id);
    ids.insert(ids.end(), kBadBodies.begin(), kBadBodies.end());
    std::string items = R"({"addressID":"nul\u0000hidden"})";
    for (const std::string& id : ids) items += R"(,{"addressID":")" + id + R"("})";
    res.set_content(fmt::format(R"({{"totalHits":{},"addresses":[{}]}})", ids.size() + 1, first ? items : ""),
                    "application/json");
  });
  api.routes().Get("/addresses/(.*)", [&bomb](const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1];
    if (id == "huge-body") {  // 2 GB, streamed without a length
      res.set_chunked_content_provider("application/json", [sent = std::size_t{0}](std::size_t, httplib::DataSink& sink) mutable {
        static const std::string chunk(1 << 16, ' ');
        if (sent >= (std::size_t{2} << 30)) {
          sink.done();
          return true;
        }
        sent += chunk.size();
        return sink.write(chunk.data(), chunk.size());
      });
    } else if (id == "gzip-bomb") {
      res.set_header("Content-Encoding", "gzip");
      res.set_content(bomb, "application/json");
    } else if (id == "never-parses") {
      res.set_content(R"({"addressID":"never-parses","roadName":)", "application/json");
    } else if (const auto odd = kOddFields.find(id); odd != kOddFields.end()) {
      res.set_content(detail(id, odd->second), "application/json");
    } else if (id.starts_with("good-") || id.starts_with("liar-")) {
      res.set_content(detail(id), "application/json");
    } else {
      res.status = 404;
    }
  });
}

TEST(HostileApi, EveryMisbehaviourCostsABoundedRecordedFailure) {
  TempDir dir;
  const std::string config = dir.file("hostile.yaml");
  std::ofstream(config) << kYaml;
  const std::string bomb = gzip_of_zeros(std::size_t{1} << 30);
  LocalHttpServer api;
  serve_hostile_api(api, bomb);
  api.start();

  const std::string db = "sqlite:" + dir.file("h.db");
  std::vector<std::string> argv = {ETL_BIN, "run", "--config", config, "--area", "hostile", "--api-url", api.url(""),
                                   "--db", db, "--progress", "none", "--max-rps", "0", "--timeout", "5s",
                                   "--retries", "1", "--summary-json", dir.file("s.json")};
#if !defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer reserves terabytes of address space for its shadow memory, so its build
  // runs without the limit; peak RSS is checked either way.
  argv.insert(argv.begin(), {ETL_PRLIMIT, "--as=3221225472", "--"});
#endif
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult r = run_process(argv, {}, std::chrono::seconds(240));
  ASSERT_EQ(r.exit_code, 3) << r.err.substr(0, 4000);
  EXPECT_LT(elapsed_ms(started), 120'000);

  simdjson::dom::parser parser;
  const auto summary = parser.load(dir.file("s.json"));
  EXPECT_LT(summary["peak_rss_kb"].get_int64().value(), 400 * 1024);
  EXPECT_LT(summary["api"]["requests"].get_int64().value(), 2000) << "the liar's billion hits cost a bounded number";

  const std::set<std::string> stored = property_ids(db);
  for (const std::string& id : kGood) EXPECT_TRUE(stored.contains(id)) << id;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(stored.contains(fmt::format("liar-{}", i))) << "what the liar did serve";
  EXPECT_EQ(stored.size(), std::count_if(stored.begin(), stored.end(), [](const std::string& id) {
              return id.find('\0') == std::string::npos && id.find("hidden") == std::string::npos;
            })) << "no look-alike row under an ID with a hidden suffix";

  std::map<std::string, FailureRow> failed;
  for (FailureRow& f : pending_failures(db)) failed.emplace(f.address_id, f);
  EXPECT_EQ(failed.at("search:Broken").stage, "discover");
  EXPECT_EQ(failed.at("huge-body").stage, "fetch");
  EXPECT_NE(failed.at("huge-body").reason.find("over"), std::string::npos) << failed.at("huge-body").reason;
  EXPECT_EQ(failed.at("gzip-bomb").stage, "fetch");
  EXPECT_EQ(failed.at("never-parses").stage, "parse");
  const auto invalid = failed.find(R"(invalid:nul\x00hidden)");
  ASSERT_NE(invalid, failed.end()) << "the NUL ID is a recorded failure, escaped";
  EXPECT_EQ(invalid->second.stage, "discover");
  bool liar_seen = false;
  for (simdjson::dom::element m : summary["municipalities"].get_array()) {
    if (std::string_view(m["name"].get_string().value()) != "Liar") continue;
    liar_seen = true;
    EXPECT_GT(m["shortfall"].get_int64().value(), 900'000'000) << "the liar's missing hits are a recorded shortfall";
  }
  EXPECT_TRUE(liar_seen);
  // Each odd payload is stored with its payload, the odd value left out of (or rounded in)
  // its typed column and counted as a note.
  for (const auto& [id, field] : kOddFields) {
    EXPECT_TRUE(stored.contains(id)) << id << (failed.contains(id) ? ": " + failed.at(id).reason : "");
    EXPECT_FALSE(failed.contains(id)) << id;
  }
  EXPECT_EQ(summary["totals"]["data_notes"].get_int64().value(), static_cast<std::int64_t>(kOddFields.size()));
  const auto typed = query_rows(db, "SELECT address_id, living_area, latitude, latest_valuation FROM properties "
                                    "WHERE address_id LIKE 'odd-%' ORDER BY address_id");
  ASSERT_EQ(typed.size(), kOddFields.size());
  EXPECT_EQ(typed[0], (std::vector<std::string>{"odd-extreme", "NULL", "NULL", "NULL"}));
  EXPECT_EQ(typed[1], (std::vector<std::string>{"odd-float", "124", "NULL", "NULL"})) << "rounded";
  EXPECT_EQ(typed[2][3], "NULL") << "odd-huge-integer";
  EXPECT_EQ(typed[3][1], "NULL") << "odd-negative";
  EXPECT_EQ(typed[4][1], "NULL") << "odd-wrong-type";
}

}  // namespace
}  // namespace etl::test
