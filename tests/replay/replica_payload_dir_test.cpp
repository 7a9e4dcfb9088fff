// replica-api --payload-dir: search filters on the recorded payloads' own fields, details are
// the recorded bytes, and the replica's other options keep working.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tests/pipeline/etl_run_fixture.hpp"
#include "tests/replay/replay_fixtures.hpp"

namespace etl {
namespace {

using test::file_bytes;
using test::kFixturesDir;
using test::ReplicaProcess;

// What a fixture file says about itself, read with simdjson for the expectations.
struct Facts {
  std::string id;
  std::optional<std::int64_t> zip;
  std::optional<std::string> type;
  std::optional<double> valuation;
  std::optional<double> area;
};

std::vector<Facts> fixture_facts() {
  std::vector<Facts> out;
  simdjson::dom::parser parser;
  for (const auto& file : test::address_fixture_files()) {
    const simdjson::dom::element doc = parser.load(file);
    Facts f;
    f.id = std::string(doc["addressID"].get_string().value());
    std::int64_t zip = 0;
    std::string_view type;
    double number = 0;
    if (!doc["zipCode"].get_int64().get(zip)) f.zip = zip;
    if (!doc["addressType"].get_string().get(type)) f.type = std::string(type);
    if (!doc["latestValuation"].get_double().get(number)) f.valuation = number;
    if (!doc["livingArea"].get_double().get(number)) f.area = number;
    out.push_back(f);
  }
  std::sort(out.begin(), out.end(), [](const Facts& a, const Facts& b) { return a.id < b.id; });
  return out;
}

std::vector<std::string> ids_where(const std::vector<Facts>& facts, const std::function<bool(const Facts&)>& keep) {
  std::vector<std::string> ids;
  for (const auto& f : facts) {
    if (keep(f)) ids.push_back(f.id);
  }
  return ids;
}

struct Hits {
  std::int64_t total = -1;
  std::vector<std::string> ids;  // in the order served
};

Hits search(const ReplicaProcess& replica, const std::string& query) {
  simdjson::dom::parser parser;
  const std::string body = replica.get("/search/addresses?" + query);
  const simdjson::dom::element doc = parser.parse(body);
  Hits hits;
  hits.total = doc["totalHits"].get_int64().value();
  for (const simdjson::dom::element a : doc["addresses"].get_array()) {
    hits.ids.emplace_back(a["addressID"].get_string().value());
  }
  return hits;
}

std::vector<std::string> search_ids(const ReplicaProcess& replica, const std::string& query) {
  const Hits hits = search(replica, query);
  EXPECT_EQ(hits.total, static_cast<std::int64_t>(hits.ids.size())) << query;
  return hits.ids;
}

class ReplayReplicaTest : public ::testing::Test {
 protected:
  const std::vector<Facts> facts = fixture_facts();
  const std::vector<std::string> all_ids = ids_where(facts, [](const Facts&) { return true; });
};

TEST_F(ReplayReplicaTest, SearchFiltersOnEachPayloadsOwnFields) {
  ReplicaProcess replica({"--payload-dir", kFixturesDir});
  EXPECT_EQ(search_ids(replica, "municipalities=Aarhus"), all_ids) << "every fixture is in Aarhus; ordered by ID";
  EXPECT_EQ(search_ids(replica, ""), all_ids);
  EXPECT_TRUE(search_ids(replica, "municipalities=K%C3%B8benhavn").empty());
  EXPECT_TRUE(search_ids(replica, "municipalities=Aarhus,Aarhus").empty()) << "the API takes one name";

  const auto zip_8000 = ids_where(facts, [](const Facts& f) { return f.zip == 8000; });
  ASSERT_FALSE(zip_8000.empty());
  EXPECT_EQ(search_ids(replica, "municipalities=Aarhus&zipCodes=8000"), zip_8000);
  EXPECT_TRUE(search_ids(replica, "zipCodes=8000,8320").empty()) << "a comma list finds nothing";
  EXPECT_EQ(search_ids(replica, "zipCodes=8000&zipCodes=8320"),
            ids_where(facts, [](const Facts& f) { return f.zip == 8000 || f.zip == 8320; }))
      << "repeated parameters combine";
  EXPECT_EQ(search_ids(replica, "zipCode=8000"), all_ids) << "the singular zipCode is ignored";

  const auto villas = ids_where(facts, [](const Facts& f) { return f.type == "villa"; });
  const auto condos = ids_where(facts, [](const Facts& f) { return f.type == "condo"; });
  ASSERT_FALSE(villas.empty());
  ASSERT_FALSE(condos.empty());
  EXPECT_EQ(search_ids(replica, "municipalities=Aarhus&addressTypes=villa"), villas);
  EXPECT_EQ(search_ids(replica, "addressTypes=condo"), condos);
  EXPECT_EQ(search_ids(replica, "addressTypes=condo,villa"),
            ids_where(facts, [](const Facts& f) { return f.type == "villa" || f.type == "condo"; }));
  ASSERT_TRUE(std::any_of(facts.begin(), facts.end(), [](const Facts& f) { return !f.type; }));
  std::string every_type;
  for (const auto& f : facts) {
    if (f.type) every_type += (every_type.empty() ? "" : ",") + *f.type;
  }
  EXPECT_EQ(search_ids(replica, "addressTypes=" + every_type),
            ids_where(facts, [](const Facts& f) { return f.type.has_value(); }))
      << "a payload without addressType is found only without the filter";

  EXPECT_EQ(search_ids(replica, "priceMin=1000000&priceMax=2000000"),
            ids_where(facts, [](const Facts& f) { return f.valuation >= 1e6 && f.valuation <= 2e6; }));
  EXPECT_EQ(search_ids(replica, "areaMin=50&areaMax=60"),
            ids_where(facts, [](const Facts& f) { return f.area >= 50 && f.area <= 60; }));
}

TEST_F(ReplayReplicaTest, PagingIsStableAndCapped) {
  ReplicaProcess replica({"--payload-dir", kFixturesDir, "--max-results", "10"});
  ASSERT_GT(all_ids.size(), 6u);
  std::vector<std::string> paged;
  for (int page = 1; page <= 3; ++page) {
    const Hits hits = search(replica, "municipalities=Aarhus&per_page=3&page=" + std::to_string(page));
    EXPECT_EQ(hits.total, static_cast<std::int64_t>(all_ids.size()));
    paged.insert(paged.end(), hits.ids.begin(), hits.ids.end());
  }
  EXPECT_EQ(paged, std::vector<std::string>(all_ids.begin(), all_ids.begin() + 9));
  EXPECT_EQ(replica.request("/search/addresses?municipalities=Aarhus&per_page=3&page=4").status, 400);

  std::vector<std::string> reversed(all_ids.rbegin(), all_ids.rend());
  // per_page 10: the whole (small) result at once under the cap of 10 results.
  EXPECT_EQ(search_ids(replica, "per_page=10&sortAscending=false"), reversed);
  auto by_address = search_ids(replica, "per_page=10&sortBy=address");
  EXPECT_EQ(search_ids(replica, "per_page=10&sortBy=address&sortAscending=false"),
            std::vector<std::string>(by_address.rbegin(), by_address.rend()));
  std::sort(by_address.begin(), by_address.end());
  EXPECT_EQ(by_address, all_ids);
}

TEST_F(ReplayReplicaTest, DetailAndSearchItemsAreTheFileBytes) {
  ReplicaProcess replica({"--payload-dir", kFixturesDir});
  const std::string page = replica.get("/search/addresses?municipalities=Aarhus");
  for (const auto& file : test::address_fixture_files()) {
    const auto reply = replica.request("/addresses/" + test::fixture_address_id(file));
    EXPECT_EQ(reply.status, 200) << file;
    EXPECT_EQ(reply.body, file_bytes(file)) << file;
    EXPECT_NE(page.find(file_bytes(file)), std::string::npos) << file << " is not a search item byte for byte";
  }
  EXPECT_EQ(replica.request("/addresses/00000000-0000-4000-8000-000000000000").status, 404);
  simdjson::dom::parser parser;
  const std::string case_id(parser.load(kFixturesDir + "/case-offering.json")["caseID"].get_string().value());
  EXPECT_EQ(replica.request("/addresses/" + case_id).status, 404) << "case-offering.json holds no address";
}

TEST_F(ReplayReplicaTest, FolderMayHoldArraysSearchPagesAndNoise) {
  const auto files = test::address_fixture_files();
  ASSERT_GE(files.size(), 5u);
  test::TempDir dir;
  test::write_file(dir.file("array.json"), "[" + file_bytes(files[0]) + "\n,\n" + file_bytes(files[1]) + "\n]");
  test::write_file(dir.file("sub/deeper/page.json"), "{\"totalHits\":1,\"addresses\":[" + file_bytes(files[2]) + "]}");
  test::write_file(dir.file("sub/one.json"), file_bytes(files[3]));
  test::write_file(dir.file("sub/zz-duplicate.json"), R"({"addressID": ")" + facts[0].id + R"(", "x": 1})");
  test::write_file(dir.file("not-json.json"), "not JSON at all");
  test::write_file(dir.file("case.json"), R"({"caseID": "c1", "address": {}})");
  test::write_file(dir.file("numbers.json"), "[1, 2, {\"addressID\": 7}]");
  test::write_file(dir.file("notes.txt"), file_bytes(files[4]));  // not *.json: not served

  ReplicaProcess replica({"--payload-dir", dir.path()});
  std::vector<std::string> expected;
  for (int i = 0; i < 4; ++i) expected.push_back(test::fixture_address_id(files[i]));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(search_ids(replica, "municipalities=Aarhus"), expected);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(replica.get("/addresses/" + test::fixture_address_id(files[i])), file_bytes(files[i])) << files[i];
  }
}

TEST_F(ReplayReplicaTest, FaultsEpochsAndStatsStillApply) {
  const auto files = test::address_fixture_files();
  {
    ReplicaProcess replica({"--payload-dir", kFixturesDir, "--error-rate", "1"});
    const int status = replica.request("/addresses/" + all_ids[0]).status;
    EXPECT_TRUE(status == 500 || status == 502 || status == 503) << status;
    EXPECT_EQ(test::replica_stat(replica, "detail"), 1);
  }
  {
    // Each ID's first attempt gets its own kind of spoiling; none may slip through intact,
    // pretty-printed payloads included.
    ReplicaProcess replica({"--payload-dir", kFixturesDir, "--malformed-rate", "1"});
    for (const auto& file : files) {
      const auto reply = replica.request("/addresses/" + test::fixture_address_id(file));
      EXPECT_EQ(reply.status, 200);
      EXPECT_NE(reply.body, file_bytes(file)) << file;
    }
  }
  {
    ReplicaProcess replica({"--payload-dir", kFixturesDir, "--epoch", "7"});
    EXPECT_EQ(replica.get("/addresses/" + test::fixture_address_id(files[0])), file_bytes(files[0]))
        << "recorded payloads are the same every night";
  }
  const auto start = [](std::vector<std::string> argv) {
    return test::run_process(argv, {}, std::chrono::seconds(10)).exit_code;
  };
  EXPECT_NE(start({REPLICA_BIN, "--payload-dir", kFixturesDir, "--scale", "2"}), 0) << "--scale does not apply";
  EXPECT_NE(start({REPLICA_BIN, "--payload-dir", kFixturesDir + "/no-such-dir"}), 0);
}

}  // namespace
}  // namespace etl
