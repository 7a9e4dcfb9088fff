// Golden output of the merge: one fixed scenario (the fixture records of
// ETL_FIXTURES_DIR, synthetic rows, duplicates, a removal, an unchanged and a changed
// payload, a restored property, a poison row) run against both stores must give exactly the
// text committed in tests/loaders/golden/merge_scenario.txt: the canonical dump of every data
// table, the run-time columns as Unix seconds, etl_failures and each call's counts.
//
// The expected text was computed with the stores as they were before the table-map
// refactoring (issue 15); since then only columns were added (cases.realtor_phone,
// cases.distinction, properties.search_hash) and the open_cases section. To accept an
// intended change, run with ETL_UPDATE_GOLDEN=1 (rewrites the file from SQLite) and review
// the diff.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "loaders/store.hpp"
#include "tests/loaders/fixture_records.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl {
namespace {

constexpr UnixTime kT0 = 1'700'000'000;
const std::string kGoldenFile = std::string(ETL_SOURCE_DIR) + "/tests/loaders/golden/merge_scenario.txt";

PropertyRecord synthetic(const std::string& id, double latitude = 55.6) {
  PropertyRecord r;
  r.address_id = id;
  r.address_type = "villa";
  r.road_name = "Testvej";
  r.house_number = "1";
  r.zip_code = 2000;
  r.municipality_code = 101;
  r.latitude = latitude;
  r.longitude = 12.5;
  r.living_area = 120;
  r.is_on_market = false;
  r.raw_json = "{\"addressID\":\"" + id + "\",\"lat\":" + std::to_string(latitude) + "}";
  r.payload_hash = test::fnv1a64(r.raw_json);
  r.registrations.push_back(Registration{"reg-" + id, 1'000'000, "2020-01-01", "normal", {}, {}, {}, {}, {}});
  return r;
}

void rehash(PropertyRecord& r, const std::string& marker) {
  r.raw_json.insert(r.raw_json.rfind('}'), ",\"_golden\":\"" + marker + "\"");
  r.payload_hash = test::fnv1a64(r.raw_json);
}

std::string counts(const char* label, const UpsertResult& r) {
  std::string out = std::string(label) + ": written=" + std::to_string(r.written) +
                    " unchanged=" + std::to_string(r.unchanged) + " failures=";
  for (const auto& f : r.failures) out += f.address_id + ";";
  return out + "\n";
}

// The scenario; returns the per-call counts.
std::string run_scenario(Store& store) {
  const auto fixtures = test::load_fixture_records();
  std::string out;

  // 1. Everything new. The offer's price changes repeat a date (folded, last wins); a
  // synthetic record repeats a building key; syn-2 appears twice in the batch (last wins).
  std::vector<PropertyRecord> batch = fixtures;
  auto& offer = batch.back();
  offer.cases.at(0).price_changes = {PriceChange{"2025-05-01", 3'200'000, 1.25},
                                     PriceChange{"2025-06-01", 3'100'000, -3.1},
                                     PriceChange{"2025-05-01", 3'250'000, 1.5}};
  auto syn1 = synthetic("syn-1");
  syn1.buildings = {Building{"1", "first", 1950, {}, 100, {}, {}, 4, {}, {}, {}, {}, {}, {}},
                    Building{"2", "other", 1960, {}, 80, {}, {}, 3, {}, {}, {}, {}, {}, {}},
                    Building{"1", "second", 1951, {}, 101, {}, {}, 5, {}, {}, {}, {}, {}, {}}};
  auto syn2a = synthetic("syn-2");
  syn2a.road_name = "Forkert vej";
  syn2a.search_hash = 1;
  auto syn2 = synthetic("syn-2");
  syn2.search_hash = 0xFEDCBA9876543210ULL;  // stored as a negative int64
  syn1.search_hash = 7;
  batch.push_back(syn1);
  batch.push_back(syn2a);
  batch.push_back(syn2);
  out += counts("batch1", store.upsert_batch(batch, kT0));

  store.record_failure(FailureRecord{"syn-2", FailureStage::fetch, "HTTP 503", "https://example.invalid/x"}, kT0 + 1);
  store.record_failure(FailureRecord{"never-loaded", FailureStage::parse, "bad JSON", "file.json"}, kT0 + 2);
  store.mark_removed({fixtures.at(1).address_id}, kT0 + 5);

  // 2. Unchanged (touched), removed and re-sent (restored), changed (children replaced),
  // unchanged with a pending failure (resolved), a poison row (row by row), and a new one.
  // Search hashes: set on a touched row, kept where a record has none (syn-2).
  std::vector<PropertyRecord> second;
  second.push_back(fixtures.at(0));
  second.back().search_hash = 11;
  second.push_back(fixtures.at(1));
  auto changed = fixtures.at(2);
  changed.search_hash = 12;
  rehash(changed, "changed");
  if (changed.buildings.size() > 1) changed.buildings.resize(1);
  changed.registrations.clear();
  second.push_back(changed);
  second.push_back(synthetic("syn-2"));
  second.push_back(synthetic("syn-bad", 200.0));
  second.push_back(synthetic("syn-3"));
  out += counts("batch2", store.upsert_batch(second, kT0 + 10));

  // 3. The poison row again (attempts 2) next to an unchanged one.
  out += counts("batch3", store.upsert_batch({synthetic("syn-bad", 200.0), synthetic("syn-3")}, kT0 + 20));

  for (const std::int64_t code : {101, 250, 751}) {
    out += fmt::format("open_cases {}:", code);
    for (const auto& c : store.open_cases(PropertyScope{code, {}})) {
      out += fmt::format(" {}/{}/{}/{}", c.address_id, c.case_id,
                         c.price_cash ? std::to_string(*c.price_cash) : "NULL", c.distinction);
    }
    out += '\n';
  }
  return out;
}

std::string golden_text(const std::string& url, const std::string& calls) {
  const bool sqlite = url.rfind("sqlite:", 0) == 0;
  const auto epoch = [&](const std::string& col) {
    return sqlite ? "CAST(strftime('%s', " + col + ") AS INTEGER)" : "CAST(EXTRACT(EPOCH FROM " + col + ") AS bigint)";
  };
  std::string out = "== calls\n" + calls + test::canonical_dump(url);
  out += "== properties times (first_seen_at, last_seen_at, fetched_at, removed_at)\n";
  for (const auto& row : test::query_rows(url, "SELECT address_id, " + epoch("first_seen_at") + ", " +
                                                   epoch("last_seen_at") + ", " + epoch("fetched_at") + ", " +
                                                   epoch("removed_at") + " FROM properties ORDER BY address_id")) {
    out += row.at(0) + " " + row.at(1) + " " + row.at(2) + " " + row.at(3) + " " + row.at(4) + "\n";
  }
  out += "== etl_failures (address_id, stage, attempts, first_failed_at, last_failed_at, resolved_at)\n";
  for (const auto& row : test::query_rows(url, "SELECT address_id, stage, attempts, " + epoch("first_failed_at") +
                                                   ", " + epoch("last_failed_at") + ", " + epoch("resolved_at") +
                                                   " FROM etl_failures ORDER BY address_id, id")) {
    out += row.at(0) + " " + row.at(1) + " " + row.at(2) + " " + row.at(3) + " " + row.at(4) + " " + row.at(5) + "\n";
  }
  return out;
}

std::string read_golden() {
  std::ifstream in(kGoldenFile, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The first differing line, so a failure does not print 100 KB twice.
std::string first_difference(const std::string& expected, const std::string& actual) {
  std::istringstream e(expected), a(actual);
  std::string le, la;
  for (int line = 1;; ++line) {
    const bool more_e = static_cast<bool>(std::getline(e, le)), more_a = static_cast<bool>(std::getline(a, la));
    if (!more_e && !more_a) return "";
    if (!more_e || !more_a || le != la) {
      return "line " + std::to_string(line) + "\n  expected: " + (more_e ? le.substr(0, 600) : "<end>") +
             "\n  actual:   " + (more_a ? la.substr(0, 600) : "<end>");
    }
  }
}

void check_golden(const std::string& url) {
  std::string calls;
  {
    auto store = open_store(url);
    calls = run_scenario(*store);
  }
  const std::string actual = golden_text(url, calls);
  if (const char* update = std::getenv("ETL_UPDATE_GOLDEN"); update && std::string(update) == "1" &&
                                                             url.rfind("sqlite:", 0) == 0) {
    std::ofstream(kGoldenFile, std::ios::binary) << actual;
  }
  const std::string expected = read_golden();
  ASSERT_FALSE(expected.empty()) << "missing " << kGoldenFile;
  EXPECT_TRUE(actual == expected) << "differs from " << kGoldenFile << " at " << first_difference(expected, actual);
}

TEST(GoldenDump, SqliteMergeScenarioMatchesTheCommittedDump) {
  test::TempDir dir;
  check_golden("sqlite:" + dir.file("golden.db"));
}

TEST(GoldenDump, PostgresMergeScenarioMatchesTheCommittedDump) {
  check_golden(test::PgServer::shared().fresh_database());
}

}  // namespace
}  // namespace etl
