// The same suite against both stores: SQLite (a temp file) and PostgreSQL (a real server
// started by the harness, a fresh database per test).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "etl/core/errors.hpp"
#include "loaders/store.hpp"
#include "tests/loaders/fixture_records.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace etl {
namespace {

using test::count_rows;
using test::query_rows;

constexpr UnixTime kT0 = 1'700'000'000;  // 2023-11-14T22:13:20Z

const std::string kD4eId = "0a3f50c2-d4ee-32b8-e044-0003ba298018";
const std::string kB95Id = "0a3f50c2-b95c-32b8-e044-0003ba298018";
const std::string kVillaId = "9ae3d8cf-dc2c-4f25-8749-62cb0dff42af";
const std::string kOfferId = "0a3f50aa-6f17-32b8-e044-0003ba298018";

std::string quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// A small synthetic record (no fixture needed): used in bulk.
PropertyRecord synthetic(const std::string& id, std::int64_t municipality = 101) {
  PropertyRecord r;
  r.address_id = id;
  r.address_type = "villa";
  r.road_name = "Testvej";
  r.house_number = "1";
  r.zip_code = 2000;
  r.municipality_code = municipality;
  r.latitude = 55.6;
  r.longitude = 12.5;
  r.living_area = 120;
  r.is_on_market = false;
  r.raw_json = "{\"addressID\":\"" + id + "\"}";
  r.payload_hash = test::fnv1a64(r.raw_json);
  r.registrations.push_back(Registration{"reg-" + id, 1'000'000, "2020-01-01", "normal", {}, {}, {}, {}, {}});
  return r;
}

// A changed payload: still valid JSON (PostgreSQL's json type validates raw_json).
void rehash(PropertyRecord& r, const std::string& marker) {
  const auto end = r.raw_json.rfind('}');
  ASSERT_NE(end, std::string::npos);
  r.raw_json.insert(end, ",\"_test_marker\":\"" + marker + "\"");
  r.payload_hash = test::fnv1a64(r.raw_json);
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = GetParam() == "sqlite" ? "sqlite:" + dir_.file("db/etl.db") : test::PgServer::shared().fresh_database();
    store_ = open_store(url_);
  }

  std::vector<std::vector<std::string>> q(const std::string& sql) const { return query_rows(url_, sql); }
  std::string one(const std::string& sql) const {
    const auto rows = q(sql);
    if (rows.size() != 1 || rows[0].size() != 1) {
      ADD_FAILURE() << "expected one value from: " << sql << " (got " << rows.size() << " rows)";
      return "";
    }
    return rows[0][0];
  }
  std::int64_t count(const std::string& table) const { return count_rows(url_, table); }

  test::TempDir dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, DialectAndMigrationsRecorded) {
  EXPECT_EQ(store_->dialect(), GetParam());
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM schema_migrations WHERE version = 1 AND name = 'initial'"),
            "1");
  // Reopening applies nothing twice and keeps the data.
  store_->upsert_batch({synthetic("a1")}, kT0);
  store_.reset();
  store_ = open_store(url_);
  std::int64_t files = 0;
  for (const auto& f : std::filesystem::directory_iterator(std::string(ETL_SOURCE_DIR) + "/schema/" +
                                                           (GetParam() == "sqlite" ? "sqlite" : "postgres"))) {
    files += f.path().extension() == ".sql";
  }
  EXPECT_GE(files, 1);
  EXPECT_EQ(count("schema_migrations"), files);
  EXPECT_EQ(count("properties"), 1);
}

TEST_P(StoreTest, IndexesAreTheLeanSet) {
  const std::string list = GetParam() == "sqlite"
                               ? "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%' ORDER BY name"
                               : "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'idx_%' ORDER BY indexname";
  std::vector<std::string> names;
  for (const auto& row : q(list)) names.push_back(row.at(0));
  // Every lookup rewrites last_seen_at; an index on it (or on fetched_at, or on the random
  // registration IDs) would cost more during a load than any query the tool makes saves.
  EXPECT_EQ(names, (std::vector<std::string>{"idx_etl_failures_last_failed_at", "idx_etl_failures_pending",
                                             "idx_properties_municipality_code", "idx_properties_on_market",
                                             "idx_properties_zip_code", "idx_property_events_kind",
                                             "idx_property_events_observed_at"}));
  if (GetParam() != "sqlite") {
    // lz4 for raw_json (migrations 002, 010): Debian's PostgreSQL is built with it.
    EXPECT_EQ(one("SELECT CAST(attcompression AS text) FROM pg_attribute "
                  "WHERE attrelid = CAST('property_payloads' AS regclass) AND attname = 'raw_json'"),
              "l");
  }
}

// raw_json holds the payload byte for byte in both dialects (PostgreSQL's json, not jsonb:
// jsonb would reorder the keys, keep the last duplicate, respace, and refuse \u0000).
TEST_P(StoreTest, PayloadIsKeptExactlyAsTheApiSentIt) {
  PropertyRecord r = synthetic("exact-1");
  r.raw_json = R"({ "zeta": 1,  "addressID":"exact-1", "a":[1.0, 2e3], "dup":1, "dup":2, "nul":"x\u0000y" })";
  r.payload_hash = test::fnv1a64(r.raw_json);
  const auto result = store_->upsert_batch({r}, kT0);
  ASSERT_TRUE(result.failures.empty()) << result.failures[0].reason;
  EXPECT_EQ(one("SELECT CAST(raw_json AS text) FROM property_payloads WHERE address_id = 'exact-1'"), r.raw_json);
}

TEST_P(StoreTest, RoundTripOfEveryFixture) {
  const auto records = test::load_fixture_records();
  ASSERT_EQ(records.size(), 11u);
  const auto result = store_->upsert_batch(records, kT0);
  EXPECT_EQ(result.written, 11);
  EXPECT_EQ(result.unchanged, 0);
  EXPECT_TRUE(result.failures.empty());

  EXPECT_EQ(count("properties"), 11);
  std::int64_t regs = 0, buildings = 0;
  for (const auto& r : records) {
    regs += static_cast<std::int64_t>(r.registrations.size());
    buildings += static_cast<std::int64_t>(r.buildings.size());
  }
  EXPECT_EQ(count("registrations"), regs);
  EXPECT_EQ(count("buildings"), buildings);
  EXPECT_EQ(count("cases"), 1);
  EXPECT_EQ(count("municipalities"), 2);  // Aarhus 751, Frederikssund 250

  // A condo in Aarhus N with 7 registrations, newest first.
  const auto b95 = q("SELECT address_type, road_name, house_number, floor, zip_code, municipality_code, latitude, "
                     "longitude, living_area, latest_valuation, property_number, CAST(is_public AS integer), "
                     "energy_label, city_name FROM properties WHERE address_id = " + quote(kB95Id));
  ASSERT_EQ(b95.size(), 1u);
  EXPECT_EQ(b95[0], (std::vector<std::string>{"condo", "Egegade", "18", "0", "8200", "751", "56.17766", "10.20198",
                                              "32", "710000", "885253", "1", "NULL", "Aarhus N"}));
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM registrations WHERE address_id = " + quote(kB95Id)), "7");
  EXPECT_EQ(one("SELECT amount FROM registrations WHERE address_id = " + quote(kB95Id) +
                " AND registration_id = '6631a31b-483b-455e-908b-5e81ab8ca2c6'"),
            "1050000");
  EXPECT_EQ(one("SELECT type FROM registrations WHERE address_id = " + quote(kB95Id) +
                " AND registration_id = '426680'"),
            "family");
  EXPECT_EQ(q("SELECT building_key, year_built, housing_area, total_area, heating_installation FROM buildings "
              "WHERE address_id = " + quote(kB95Id)),
            (std::vector<std::vector<std::string>>{{"1", "1990", "32", "64", "Fjernvarme/blokvarme"}}));

  // 44 registrations, energy label d, no buildings.
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM registrations WHERE address_id = " + quote(kD4eId)), "44");
  EXPECT_EQ(one("SELECT energy_label FROM properties WHERE address_id = " + quote(kD4eId)), "d");
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM buildings WHERE address_id = " + quote(kD4eId)), "0");

  // The villa: weighted area, energy label, two buildings.
  EXPECT_EQ(q("SELECT address_type, energy_label, weighted_area, living_area, zip_code FROM properties "
              "WHERE address_id = " + quote(kVillaId)),
            (std::vector<std::vector<std::string>>{{"villa", "a2010", "226.9", "215", "8320"}}));
  EXPECT_EQ(q("SELECT building_key FROM buildings WHERE address_id = " + quote(kVillaId) + " ORDER BY building_key"),
            (std::vector<std::vector<std::string>>{{"1"}, {"2"}}));
  EXPECT_EQ(one("SELECT amount FROM registrations WHERE address_id = " + quote(kVillaId) + " ORDER BY date DESC"
                " LIMIT 1"),
            "6600000");

  // The listed villa from case-offering.json: on market, its case, four buildings.
  EXPECT_EQ(q("SELECT CAST(is_on_market AS integer), case_price, municipality_code, energy_label, latitude, "
              "longitude, weighted_area FROM properties WHERE address_id = " + quote(kOfferId)),
            (std::vector<std::vector<std::string>>{{"1", "2995000", "250", "c", "55.747135", "11.960018", "164.85"}}));
  EXPECT_EQ(q("SELECT case_id, status, price_cash, per_area_price, monthly_expense, days_on_market, lot_area, "
              "price_change_percentage, realtor_name FROM cases WHERE address_id = " + quote(kOfferId)),
            (std::vector<std::vector<std::string>>{{"f2687747-0bd7-4ded-aa4c-8dc123b9e624", "open", "2995000", "18168",
                                                    "3210", "189", "816", "-7.7", "EDC Poul Erik Bech"}}));
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM buildings WHERE address_id = " + quote(kOfferId)), "4");
  EXPECT_EQ(one("SELECT year_renovated FROM buildings WHERE address_id = " + quote(kOfferId) +
                " AND building_key = '1'"),
            "1997");

  // Dimensions.
  EXPECT_EQ(q("SELECT code, name, slug, church_tax_percentage, council_tax_percentage, population "
              "FROM municipalities ORDER BY code"),
            (std::vector<std::vector<std::string>>{{"250", "Frederikssund", "frederikssund", "0.96", "25.7", "46358"},
                                                   {"751", "Aarhus", "aarhus", "0.74", "24.52", "367095"}}));
  EXPECT_EQ(one("SELECT name FROM provinces WHERE code = 'DK042'"), "Østjylland");
  EXPECT_EQ(one("SELECT name FROM roads WHERE road_id = '03dc1f35-db43-4e75-986b-536411dd53c3'"), "Egegade");
  EXPECT_EQ(one("SELECT name FROM zip_codes WHERE zip_code = 8200"), "Aarhus N");
  EXPECT_EQ(one("SELECT name FROM cities WHERE slug = 'skibby'"), "Skibby");

  // The payload is kept whole, and its hash as stored.
  EXPECT_EQ(test::canonical_json(one("SELECT raw_json FROM property_payloads WHERE address_id = " + quote(kB95Id))),
            test::canonical_json(records[0].raw_json));
  EXPECT_EQ(one("SELECT payload_hash FROM properties WHERE address_id = " + quote(kB95Id)),
            std::to_string(static_cast<std::int64_t>(records[0].payload_hash)));

  // Lookup sees them all, not on market except the listed one.
  std::vector<std::string> ids;
  for (const auto& r : records) ids.push_back(r.address_id);
  const auto states = store_->lookup(ids, kT0 + 5);
  ASSERT_EQ(states.size(), 11u);
  for (const auto& s : states) {
    EXPECT_EQ(s.fetched_at, std::optional<UnixTime>(kT0));
    EXPECT_EQ(s.is_on_market, s.address_id == kOfferId) << s.address_id;
    EXPECT_FALSE(s.removed);
  }
}

TEST_P(StoreTest, LoadingTheSameBatchTwiceIsIdempotent) {
  const auto records = test::load_fixture_records();
  store_->upsert_batch(records, kT0);
  const std::string first = test::canonical_dump(url_);
  const auto again = store_->upsert_batch(records, kT0 + 3600);
  EXPECT_EQ(again.written, 0);
  EXPECT_EQ(again.unchanged, 11);
  EXPECT_EQ(test::canonical_dump(url_), first);
  EXPECT_NE(first.find("== registrations"), std::string::npos);
}

TEST_P(StoreTest, ChangedPayloadReplacesChildren) {
  auto records = test::load_fixture_records();
  PropertyRecord r = records[0];  // b95c: 7 registrations, 1 building
  store_->upsert_batch({r}, kT0);
  ASSERT_EQ(count("registrations"), 7);

  r.registrations.erase(r.registrations.begin());  // removed upstream
  r.registrations[0].amount = 999;
  r.buildings[0].year_renovated = 2024;
  r.buildings.push_back(Building{"2", "Carport", 2001, {}, {}, 20, {}, {}, {}, {}, {}, {}, {}, {}});
  r.latest_valuation = 800000;
  rehash(r, "v2");
  const auto res = store_->upsert_batch({r}, kT0 + 100);
  ASSERT_TRUE(res.failures.empty()) << res.failures[0].reason;
  EXPECT_EQ(res.written, 1);
  EXPECT_EQ(res.unchanged, 0);

  EXPECT_EQ(count("registrations"), 6);
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM registrations "
                "WHERE registration_id = '6631a31b-483b-455e-908b-5e81ab8ca2c6'"),
            "0");
  EXPECT_EQ(one("SELECT amount FROM registrations WHERE registration_id = '5243681'"), "999");
  EXPECT_EQ(q("SELECT building_key, year_renovated FROM buildings ORDER BY building_key"),
            (std::vector<std::vector<std::string>>{{"1", "2024"}, {"2", "NULL"}}));
  EXPECT_EQ(one("SELECT latest_valuation FROM properties"), "800000");
  EXPECT_EQ(one("SELECT payload_hash FROM properties"), std::to_string(static_cast<std::int64_t>(r.payload_hash)));
  // first_seen_at stays, the others move.
  const auto times = q("SELECT first_seen_at, last_seen_at, fetched_at FROM properties");
  ASSERT_EQ(times.size(), 1u);
  EXPECT_NE(times[0][0], times[0][1]);
  EXPECT_EQ(times[0][1], times[0][2]);

  // Cases and their price changes are replaced too.
  PropertyRecord offer = records.back();
  offer.cases[0].price_changes = {PriceChange{"2025-05-01", 3'200'000, {}}, PriceChange{"2025-08-01", 2'995'000, -6.4}};
  store_->upsert_batch({offer}, kT0);
  EXPECT_EQ(count("price_changes"), 2);
  offer.cases[0].price_changes.pop_back();
  rehash(offer, "v2");
  store_->upsert_batch({offer}, kT0 + 10);
  EXPECT_EQ(q("SELECT date, price FROM price_changes"), (std::vector<std::vector<std::string>>{{"2025-05-01", "3200000"}}));
  offer.cases.clear();
  rehash(offer, "v3");
  store_->upsert_batch({offer}, kT0 + 20);
  // A case that ends is kept, ended, with its last price; the payload's price history goes.
  EXPECT_EQ(q("SELECT COUNT(*) FROM cases WHERE ended_at IS NULL"), (std::vector<std::vector<std::string>>{{"0"}}));
  EXPECT_EQ(count("cases"), 1);
  EXPECT_EQ(count("price_changes"), 0);
}

TEST_P(StoreTest, UnchangedPayloadOnlyMovesSeenAndFetchedTimes) {
  const auto records = test::load_fixture_records();
  store_->upsert_batch(records, kT0);
  const std::string dump = test::canonical_dump(url_);
  const auto before = q("SELECT address_id, first_seen_at, last_seen_at, fetched_at FROM properties ORDER BY address_id");

  const auto res = store_->upsert_batch({records[2]}, kT0 + 7200);
  EXPECT_EQ(res.written, 0);
  EXPECT_EQ(res.unchanged, 1);
  EXPECT_EQ(test::canonical_dump(url_), dump);
  const auto after = q("SELECT address_id, first_seen_at, last_seen_at, fetched_at FROM properties ORDER BY address_id");
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i][1], before[i][1]);  // first_seen_at never moves
    if (after[i][0] == records[2].address_id) {
      EXPECT_NE(after[i][2], before[i][2]);
      EXPECT_NE(after[i][3], before[i][3]);
    } else {
      EXPECT_EQ(after[i], before[i]);
    }
  }
  const auto st = store_->lookup({records[2].address_id}, kT0 + 7300);
  ASSERT_EQ(st.size(), 1u);
  EXPECT_EQ(st[0].fetched_at, std::optional<UnixTime>(kT0 + 7200));
}

TEST_P(StoreTest, DuplicateChildKeysAreFoldedAndSharedRegistrationIdsKeptPerAddress) {
  auto records = test::load_fixture_records();
  PropertyRecord r = records[0];
  Registration dup = r.registrations[1];
  dup.amount = 123;
  r.registrations.push_back(dup);               // same registration ID twice: last wins
  r.buildings.push_back(r.buildings[0]);        // same building key twice
  r.cases.push_back(ListingCase{"case-1", "open", 1, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}});
  r.cases.push_back(ListingCase{"case-1", "sold", 2, {}, {}, {}, {}, {}, {}, {}, {}, {},
                                {PriceChange{"2025-01-01", 5, {}}, PriceChange{"2025-01-01", 6, {}}}});
  rehash(r, "dups");
  const auto res = store_->upsert_batch({r, r}, kT0);  // the same address twice in one batch, too
  EXPECT_TRUE(res.failures.empty());
  EXPECT_EQ(res.written, 1);
  EXPECT_EQ(count("registrations"), 7);
  EXPECT_EQ(one("SELECT amount FROM registrations WHERE registration_id = " + quote(dup.registration_id)), "123");
  EXPECT_EQ(count("buildings"), 1);
  EXPECT_EQ(q("SELECT status, price_cash FROM cases"), (std::vector<std::vector<std::string>>{{"sold", "2"}}));
  EXPECT_EQ(q("SELECT price FROM price_changes"), (std::vector<std::vector<std::string>>{{"6"}}));

  // Real payloads share registration IDs across addresses: each address keeps its own row.
  std::map<std::string, int> holders;
  for (const auto& rec : records) {
    std::set<std::string> ids;
    for (const auto& g : rec.registrations) ids.insert(g.registration_id);
    for (const auto& id : ids) ++holders[id];
  }
  const auto shared = std::find_if(holders.begin(), holders.end(), [](const auto& kv) { return kv.second > 1; });
  ASSERT_NE(shared, holders.end());
  const auto res2 = store_->upsert_batch(records, kT0 + 1);
  EXPECT_TRUE(res2.failures.empty());
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM registrations WHERE registration_id = " + quote(shared->first)),
            std::to_string(shared->second));
}

TEST_P(StoreTest, PoisonRowIsIsolatedAndRecorded) {
  std::vector<PropertyRecord> batch;
  for (int i = 0; i < 50; ++i) batch.push_back(synthetic(fmt::format("p{}", i)));
  batch[17].living_area = -5;  // violates CHECK (living_area >= 0)
  const auto res = store_->upsert_batch(batch, kT0);
  EXPECT_EQ(res.written, 49);
  ASSERT_EQ(res.failures.size(), 1u);
  EXPECT_EQ(res.failures[0].address_id, "p17");
  EXPECT_NE(res.failures[0].reason.find("living_area"), std::string::npos) << res.failures[0].reason;
  EXPECT_LE(res.failures[0].reason.size(), 1003u);  // clipped: errors may quote the whole row
  EXPECT_EQ(count("properties"), 49);
  EXPECT_EQ(count("registrations"), 49);
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM properties WHERE address_id = 'p17'"), "0");

  const auto pending = store_->pending_failures(10);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].address_id, "p17");
  EXPECT_EQ(pending[0].stage, FailureStage::load);
  EXPECT_EQ(pending[0].attempts, 1);
  EXPECT_EQ(pending[0].last_failed_at, kT0);
  EXPECT_NE(pending[0].reason.find("living_area"), std::string::npos);

  // Failing again increments; a good payload later settles it.
  store_->upsert_batch({batch[17]}, kT0 + 60);
  ASSERT_EQ(store_->pending_failures(10).size(), 1u);
  EXPECT_EQ(store_->pending_failures(10)[0].attempts, 2);
  batch[17].living_area = 90;
  rehash(batch[17], "fixed");
  const auto fixed = store_->upsert_batch({batch[17]}, kT0 + 120);
  EXPECT_EQ(fixed.written, 1);
  EXPECT_TRUE(store_->pending_failures(10).empty());
  EXPECT_EQ(count("properties"), 50);
  EXPECT_EQ(count("etl_failures"), 1);  // kept as history, resolved
}

TEST_P(StoreTest, OtherChecksRejectPoisonRows) {
  auto bad_lat = synthetic("lat");
  bad_lat.latitude = 123.0;
  auto empty_reg = synthetic("reg");
  empty_reg.registrations[0].registration_id = "";
  const auto res = store_->upsert_batch({synthetic("ok"), bad_lat, empty_reg}, kT0);
  EXPECT_EQ(res.written, 1);
  ASSERT_EQ(res.failures.size(), 2u);
  EXPECT_EQ(count("properties"), 1);
}

TEST_P(StoreTest, LookupOf2500IdsInThreeChunks) {
  // 1,200 stored (every 12th removed, every 5th on market), 1,300 never stored.
  std::vector<PropertyRecord> stored;
  std::set<std::string> removed, on_market;
  for (int i = 0; i < 1200; ++i) {
    auto r = synthetic(fmt::format("id-{}", i * 2));
    if (i % 5 == 0) {
      r.is_on_market = true;
      on_market.insert(r.address_id);
    }
    stored.push_back(std::move(r));
  }
  const auto res = store_->upsert_batch(stored, kT0);
  ASSERT_EQ(res.written, 1200);
  std::vector<std::string> to_remove;
  for (int i = 0; i < 1200; i += 12) to_remove.push_back(fmt::format("id-{}", i * 2));
  store_->mark_removed(to_remove, kT0 + 10);
  removed.insert(to_remove.begin(), to_remove.end());

  std::vector<std::string> all;
  for (int i = 0; i < 2500; ++i) all.push_back(fmt::format("id-{}", i));  // even: stored (< 2400)
  std::size_t found = 0;
  for (std::size_t start = 0; start < all.size(); start += 1000) {
    const std::vector<std::string> chunk(all.begin() + static_cast<std::ptrdiff_t>(start),
                                         all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), start + 1000)));
    const auto states = store_->lookup(chunk, kT0 + 100);
    std::set<std::string> expected;
    for (const auto& id : chunk) {
      const int n = std::stoi(id.substr(3));
      if (n % 2 == 0 && n < 2400) expected.insert(id);
    }
    std::set<std::string> got;
    for (const auto& s : states) {
      EXPECT_TRUE(got.insert(s.address_id).second) << "duplicate " << s.address_id;
      EXPECT_EQ(s.removed, removed.count(s.address_id) == 1) << s.address_id;
      EXPECT_EQ(s.is_on_market, on_market.count(s.address_id) == 1) << s.address_id;
      EXPECT_EQ(s.fetched_at, std::optional<UnixTime>(kT0));
    }
    EXPECT_EQ(got, expected);
    found += got.size();
  }
  EXPECT_EQ(found, 1200u);
  // Every looked-up ID had last_seen_at bumped: none is "not seen since" the lookup time.
  EXPECT_TRUE(store_->ids_not_seen_since(PropertyScope{101, {}}, kT0 + 100).empty());
  EXPECT_EQ(store_->ids_not_seen_since(PropertyScope{101, {}}, kT0 + 101).size(), 1200u - removed.size());
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM properties WHERE last_seen_at = fetched_at"), "0");
  EXPECT_TRUE(store_->lookup({}, kT0).empty());

  // peek answers the same and writes nothing.
  const auto peeked = store_->peek({"id-0", "id-2", "id-1"});
  EXPECT_EQ(peeked.size(), 2u);
}

// A large batch (the CLI allows 100,000) is one transaction, not retried row by row; a
// PostgreSQL statement past its byte budget continues in the next (pg_bulk_statement_test).
TEST_P(StoreTest, ALargeBatchIsWrittenInOneTransaction) {
  constexpr int kRows = 20'000;
  std::vector<PropertyRecord> batch;
  batch.reserve(kRows);
  for (int i = 0; i < kRows; ++i) batch.push_back(synthetic(fmt::format("big-{}", i)));
  const auto first = store_->upsert_batch(batch, kT0);
  EXPECT_EQ(first.written, kRows);
  EXPECT_TRUE(first.failures.empty());
  EXPECT_EQ(count("properties"), kRows);
  EXPECT_EQ(count("registrations"), kRows);
  // Every row changed: the update path (children replaced) over the limit too.
  for (auto& r : batch) rehash(r, "v2");
  const auto second = store_->upsert_batch(batch, kT0 + 10);
  EXPECT_EQ(second.written, kRows);
  EXPECT_TRUE(second.failures.empty());
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM property_payloads WHERE CAST(raw_json AS text) LIKE '%_test_marker%'"),
            std::to_string(kRows));
  EXPECT_EQ(count("etl_failures"), 0);
  if (GetParam() == "postgresql") {  // one transaction wrote every row of the second batch
    EXPECT_EQ(one("SELECT CAST(COUNT(DISTINCT CAST(xmin AS text)) AS integer) FROM properties"), "1");
    EXPECT_EQ(one("SELECT CAST(COUNT(DISTINCT CAST(xmin AS text)) AS integer) FROM registrations"), "1");
  }
}

TEST_P(StoreTest, HostileAndDanishValuesRoundTripVerbatim) {
  const std::string evil = "x'); DROP TABLE properties;--";
  auto r = synthetic(evil);
  r.road_name = "Ærøskøbing Åvej \"citat\" \\ {a,b} NULL";
  r.city_name = "Ølstykke æøå ÆØÅ";
  r.door = "NULL";
  r.registrations[0].registration_id = "r\"e'g\\{1,2}";
  r.registrations[0].type = "";
  r.municipality = MunicipalityDim{999, "Læsø \"Ø\"", std::string("laesoe"), {}, {}, {}};
  r.raw_json = R"({"addressID":"x'); DROP TABLE properties;--","roadName":"Ærøskøbing Åvej","nested":{"b":1,"a":[1.5,"æ"]}})";
  r.payload_hash = test::fnv1a64(r.raw_json);
  const auto res = store_->upsert_batch({r, synthetic("plain")}, kT0);
  ASSERT_TRUE(res.failures.empty()) << res.failures[0].reason;
  EXPECT_EQ(res.written, 2);

  EXPECT_EQ(count("properties"), 2);
  EXPECT_EQ(q("SELECT address_id, road_name, city_name, door FROM properties WHERE address_id = " + quote(evil)),
            (std::vector<std::vector<std::string>>{{evil, *r.road_name, *r.city_name, "NULL"}}));
  EXPECT_EQ(q("SELECT registration_id, type FROM registrations WHERE address_id = " + quote(evil)),
            (std::vector<std::vector<std::string>>{{r.registrations[0].registration_id, ""}}));
  EXPECT_EQ(one("SELECT name FROM municipalities WHERE code = 999"), "Læsø \"Ø\"");
  EXPECT_EQ(test::canonical_json(one("SELECT raw_json FROM property_payloads WHERE address_id = " + quote(evil))),
            test::canonical_json(r.raw_json));

  const auto states = store_->lookup({evil, "plain", "x'", "'; --"}, kT0 + 1);
  EXPECT_EQ(states.size(), 2u);
  store_->record_failure(FailureRecord{evil, FailureStage::fetch, "timeout ' \" æ", "https://x/" + evil}, kT0 + 2);
  const auto pending = store_->pending_failures(5);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].address_id, evil);
  EXPECT_EQ(pending[0].reason, "timeout ' \" æ");
  store_->mark_removed({evil}, kT0 + 3);
  EXPECT_EQ(store_->lookup({evil}, kT0 + 4).at(0).removed, true);
  EXPECT_TRUE(store_->pending_failures(5).empty());  // a 404 settles earlier failures
}

// A listed property that answers 404: its open cases end with it (no open case hangs on a
// removed property), its ended ones keep their ended_at, and only `removed` is recorded.
TEST_P(StoreTest, RemovalEndsTheOpenCases) {
  PropertyRecord r = synthetic("gone");
  r.is_on_market = true;
  for (const char* id : {"open-1", "open-2", "ended"}) {
    r.cases.push_back(ListingCase{});
    r.cases.back().case_id = id;
    r.cases.back().status = std::string(id) == "ended" ? "sold" : "open";
  }
  store_->upsert_batch({r}, kT0);
  ASSERT_EQ(store_->open_cases(PropertyScope{101, {}}).size(), 2u);
  store_->mark_removed({"gone"}, kT0 + 10);
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM cases WHERE ended_at IS NULL"), "1");  // the sold one
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM cases WHERE ended_at IS NOT NULL"), "2");
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM property_events WHERE kind NOT IN ('new', 'removed')"), "0");
}

TEST_P(StoreTest, RemovedPropertyThatComesBackIsRestored) {
  auto r = synthetic("back");
  store_->upsert_batch({r}, kT0);
  store_->mark_removed({"back", "never-stored"}, kT0 + 10);
  EXPECT_EQ(count("properties"), 1);
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM properties WHERE removed_at IS NOT NULL"), "1");
  EXPECT_TRUE(store_->ids_not_seen_since(PropertyScope{101, {}}, kT0 + 1000).empty());  // removed ones are not listed
  const auto res = store_->upsert_batch({r}, kT0 + 20);  // same payload, but it was removed
  EXPECT_EQ(res.written, 1);
  EXPECT_EQ(res.unchanged, 0);
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM properties WHERE removed_at IS NULL"), "1");
  EXPECT_FALSE(store_->lookup({"back"}, kT0 + 30).at(0).removed);
}

TEST_P(StoreTest, IdsNotSeenSince) {
  store_->upsert_batch({synthetic("m1", 101), synthetic("m2", 101), synthetic("m3", 101), synthetic("o1", 147)}, kT0);
  store_->lookup({"m1"}, kT0 + 500);
  store_->mark_removed({"m3"}, kT0 + 500);
  EXPECT_EQ(store_->ids_not_seen_since(PropertyScope{101, {}}, kT0 + 400), (std::vector<std::string>{"m2"}));
  EXPECT_EQ(store_->ids_not_seen_since(PropertyScope{101, {}}, kT0), (std::vector<std::string>{}));
  EXPECT_EQ(store_->ids_not_seen_since(PropertyScope{147, {}}, kT0 + 1), (std::vector<std::string>{"o1"}));
  EXPECT_TRUE(store_->ids_not_seen_since(PropertyScope{999, {}}, kT0 + 1000).empty());
}

// A run sees only its address types: a villa run never checks the condos a condo run stored
// (nor their listings); a property whose type is not known is in every run's scope.
TEST_P(StoreTest, ScopeByAddressType) {
  PropertyRecord condo = synthetic("condo", 101);
  condo.address_type = "condo";
  PropertyRecord unknown = synthetic("unknown", 101);
  unknown.address_type.reset();
  for (PropertyRecord* r : {&condo, &unknown}) {
    r->is_on_market = true;
    r->cases.push_back(ListingCase{});
    r->cases.back().case_id = r->address_id + "-case";
  }
  store_->upsert_batch({synthetic("villa", 101), condo, unknown}, kT0);
  const auto ids = [&](std::vector<std::string> types) {
    return store_->ids_not_seen_since(PropertyScope{101, std::move(types)}, kT0 + 1);
  };
  EXPECT_EQ(ids({"villa"}), (std::vector<std::string>{"unknown", "villa"}));
  EXPECT_EQ(ids({"condo", "villa"}), (std::vector<std::string>{"condo", "unknown", "villa"}));
  EXPECT_EQ(ids({"houseboat"}), (std::vector<std::string>{"unknown"}));
  EXPECT_EQ(ids({}), (std::vector<std::string>{"condo", "unknown", "villa"}));
  std::vector<std::string> cases;
  for (const StoredCase& c : store_->open_cases(PropertyScope{101, {"villa"}})) cases.push_back(c.case_id);
  EXPECT_EQ(cases, (std::vector<std::string>{"unknown-case"}));
}

TEST_P(StoreTest, FailuresAreRecordedIncrementedAndCleared) {
  store_->record_failure(FailureRecord{"f1", FailureStage::fetch, "HTTP 503", "https://api/addresses/f1"}, kT0);
  store_->record_failure(FailureRecord{"f2", FailureStage::parse, "$.zipCode: not a number", "https://api/addresses/f2"}, kT0 + 1);
  store_->record_failure(FailureRecord{"f1", FailureStage::fetch, "timeout", "https://api/addresses/f1"}, kT0 + 2);
  auto pending = store_->pending_failures(10);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].address_id, "f2");  // oldest last failure first
  EXPECT_EQ(pending[1].address_id, "f1");
  EXPECT_EQ(pending[1].attempts, 2);
  EXPECT_EQ(pending[1].reason, "timeout");
  EXPECT_EQ(pending[1].last_failed_at, kT0 + 2);
  EXPECT_EQ(store_->pending_failures(1).size(), 1u);
  EXPECT_EQ(one("SELECT CAST(first_failed_at < last_failed_at AS integer) FROM etl_failures "
                "WHERE address_id = 'f1'"),
            "1");

  store_->upsert_batch({synthetic("f1")}, kT0 + 3);
  pending = store_->pending_failures(10);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].address_id, "f2");
  // A new failure after resolution starts a new pending row.
  store_->record_failure(FailureRecord{"f1", FailureStage::load, "again", ""}, kT0 + 4);
  EXPECT_EQ(store_->pending_failures(10).size(), 2u);
  EXPECT_EQ(count("etl_failures"), 3);
}

// `etl failures clear`: by stage, by age, or all; a resolved failure is never pending again.
TEST_P(StoreTest, PendingFailuresAreResolvedByStageAndAge) {
  store_->record_failure(FailureRecord{"old-fetch", FailureStage::fetch, "HTTP 503", ""}, kT0);
  store_->record_failure(FailureRecord{"new-fetch", FailureStage::fetch, "HTTP 503", ""}, kT0 + 100);
  store_->record_failure(FailureRecord{"old-import", FailureStage::import, "bad JSON", "f.json"}, kT0);
  store_->record_failure(FailureRecord{"new-parse", FailureStage::parse, "bad JSON", ""}, kT0 + 100);
  const auto pending_ids = [&] {
    std::vector<std::string> ids;
    for (const PendingFailure& p : store_->pending_failures(10)) ids.push_back(p.address_id);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  EXPECT_EQ(store_->resolve_failures(FailureFilter{FailureStage::fetch, kT0 + 50}, kT0 + 200), 1);
  EXPECT_EQ(pending_ids(), (std::vector<std::string>{"new-fetch", "new-parse", "old-import"}));
  EXPECT_EQ(store_->resolve_failures(FailureFilter{FailureStage::import, std::nullopt}, kT0 + 200), 1);
  EXPECT_EQ(store_->resolve_failures(FailureFilter{std::nullopt, kT0 + 100}, kT0 + 200), 0);  // before, not at
  EXPECT_EQ(pending_ids(), (std::vector<std::string>{"new-fetch", "new-parse"}));
  EXPECT_EQ(store_->resolve_failures(FailureFilter{}, kT0 + 200), 2);
  EXPECT_TRUE(pending_ids().empty());
  EXPECT_EQ(count("etl_failures"), 4);  // kept, resolved
}

TEST_P(StoreTest, RunsAreRecordedWithoutSecrets) {
  RunInfo info;
  info.command = "etl run --area copenhagen --db postgresql://etl:hunter2pw@db.example:5432/etl?password=hunter2pw";
  info.area = "copenhagen";
  info.refresh = "on-market";
  info.details_mode = "search-only";
  const auto id1 = store_->begin_run(info, kT0);
  const auto id2 = store_->begin_run(RunInfo{"etl run", "aarhus", "", ""}, kT0 + 10);
  EXPECT_GT(id2, id1);
  store_->finish_run(id1, RunOutcome{RunStatus::completed, R"({"loaded":11,"db":"postgresql://u:hunter2pw@h/db"})"}, kT0 + 60);
  EXPECT_THROW(store_->finish_run(id2 + 100, RunOutcome{RunStatus::failed, "{}"}, kT0), StoreError);

  const auto runs = store_->recent_runs(10);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, id2);
  EXPECT_EQ(runs[0].status, RunStatus::running);
  EXPECT_FALSE(runs[0].finished_at.has_value());
  EXPECT_EQ(runs[1].id, id1);
  EXPECT_EQ(runs[1].status, RunStatus::completed);
  EXPECT_EQ(runs[1].started_at, kT0);
  EXPECT_EQ(runs[1].finished_at, std::optional<UnixTime>(kT0 + 60));
  EXPECT_NE(runs[1].command.find("--area copenhagen"), std::string::npos);
  EXPECT_NE(runs[1].summary_json.find("\"loaded\":11"), std::string::npos);
  EXPECT_EQ(store_->recent_runs(1).size(), 1u);
  EXPECT_EQ(q(fmt::format("SELECT area, refresh, details_mode FROM etl_runs WHERE id = {}", id1)),
            (std::vector<std::vector<std::string>>{{"copenhagen", "on-market", "search-only"}}));
  for (const auto& row : q("SELECT command, summary_json FROM etl_runs")) {
    for (const auto& v : row) EXPECT_EQ(v.find("hunter2pw"), std::string::npos) << v;
  }
}

TEST_P(StoreTest, PropertyCountsPerMunicipality) {
  auto listed = synthetic("c2", 101);
  listed.is_on_market = true;
  listed.municipality = MunicipalityDim{101, "København", {}, {}, {}, {}};
  store_->upsert_batch({synthetic("c1", 101), listed, synthetic("c3", 101), synthetic("d1", 147)}, kT0);
  store_->mark_removed({"c3"}, kT0 + 1);
  const auto counts = store_->property_counts();
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].code, 101);
  EXPECT_EQ(counts[0].name, "København");
  EXPECT_EQ(counts[0].properties, 2);
  EXPECT_EQ(counts[0].on_market, 1);
  EXPECT_EQ(counts[0].removed, 1);
  EXPECT_EQ(counts[1].code, 147);
  EXPECT_EQ(counts[1].name, "");
  EXPECT_EQ(counts[1].properties, 1);
}

// The history of a listing as the merge observes it, read back through events() and
// event_counts() with each filter: the same rows in both dialects.
TEST_P(StoreTest, EventsAreObservedOnceAndReadBackByTimeRunKindAndMunicipality) {
  const std::int64_t run1 = store_->begin_run(RunInfo{"etl run", "copenhagen", "", "always"}, kT0);
  store_->set_run_id(run1);
  auto house = synthetic("ev-a", 101);
  house.municipality = MunicipalityDim{101, "København", {}, {}, {}, {}};
  ASSERT_EQ(store_->upsert_batch({house, synthetic("ev-b", 147)}, kT0).added, 2);
  house.is_on_market = true;
  house.cases.push_back(ListingCase{"case-1", "open", 4'000'000, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, "real_estate"});
  rehash(house, "listed");
  store_->upsert_batch({house}, kT0 + 100);
  const std::int64_t run2 = store_->begin_run(RunInfo{"etl run", "copenhagen", "on-market", "always"}, kT0 + 86'400);
  store_->set_run_id(run2);
  house.cases[0].price_cash = 3'800'000;
  rehash(house, "cut");
  const UpsertResult cut = store_->upsert_batch({house}, kT0 + 86'400);
  EXPECT_EQ(cut.events[static_cast<std::size_t>(EventKind::price_changed)], 1);
  EXPECT_EQ(store_->upsert_batch({house}, kT0 + 86'500).written, 0);  // the same night again: no event
  store_->mark_removed({"ev-b"}, kT0 + 86'600);
  store_->mark_removed({"ev-b"}, kT0 + 86'700);  // removed once

  const auto describe = [](const std::vector<EventRow>& rows) {
    std::vector<std::string> out;
    for (const EventRow& r : rows) {
      const PropertyEvent& e = r.event;
      out.push_back(fmt::format("{} {} {} {}->{} {} run{} @{} | {} {} {} {}", e.address_id, to_string(e.kind),
                                e.case_id.value_or("-"), e.old_price.value_or(-1), e.new_price.value_or(-1),
                                e.percent ? fmt::format("{:.1f}%", *e.percent) : "-", e.run_id.value_or(-1),
                                e.time - kT0, r.road, r.zip_code.value_or(-1), r.municipality_code.value_or(-1),
                                r.municipality));
    }
    return out;
  };
  const std::string r1 = std::to_string(run1), r2 = std::to_string(run2);
  EXPECT_EQ(describe(store_->events(EventFilter{})),
            (std::vector<std::string>{
                "ev-a new - -1->-1 - run" + r1 + " @0 | Testvej 1 2000 101 København",
                "ev-b new - -1->-1 - run" + r1 + " @0 | Testvej 1 2000 147 ",
                "ev-a listed case-1 -1->4000000 - run" + r1 + " @100 | Testvej 1 2000 101 København",
                "ev-a price_changed case-1 4000000->3800000 -5.0% run" + r2 + " @86400 | Testvej 1 2000 101 København",
                "ev-b removed - -1->-1 - run" + r2 + " @86600 | Testvej 1 2000 147 ",
            }));
  EventFilter since;
  since.since = kT0 + 100;
  EXPECT_EQ(store_->events(since).size(), 3u);
  EventFilter from_run;
  from_run.first_run = run2;
  EXPECT_EQ(store_->events(from_run).size(), 2u);
  EventFilter kinds;
  kinds.kinds = {EventKind::listed, EventKind::removed};
  EXPECT_EQ(describe(store_->events(kinds)).size(), 2u);
  EventFilter municipality;
  municipality.municipality_codes = {147};
  ASSERT_EQ(store_->events(municipality).size(), 2u);
  EXPECT_EQ(store_->events(municipality)[1].event.kind, EventKind::removed);
  const auto counts = store_->event_counts(kT0 + 100);
  EXPECT_EQ(counts, (std::array<std::int64_t, kEventKinds>{0, 1, 1, 0, 0, 1, 0, 0}));
}

TEST_P(StoreTest, SearchHashIsStoredKeptWhenUnknownAndReturnedByLookup) {
  constexpr std::uint64_t kH1 = 0xFEDCBA9876543210ULL;  // above 2^63: stored as a negative int64
  constexpr std::uint64_t kH2 = 42, kH3 = 0x0123456789ABCDEFULL;
  auto a = synthetic("sh-a"), b = synthetic("sh-b"), c = synthetic("sh-c");
  a.search_hash = kH1;
  b.search_hash = kH1;
  ASSERT_EQ(store_->upsert_batch({a, b, c}, kT0).written, 3);
  const auto hashes = [&] {
    std::map<std::string, std::optional<std::uint64_t>> out;
    for (const auto& st : store_->lookup({"sh-a", "sh-b", "sh-c"}, kT0)) out[st.address_id] = st.search_hash;
    std::map<std::string, std::optional<std::uint64_t>> peeked;
    for (const auto& st : store_->peek({"sh-a", "sh-b", "sh-c"})) peeked[st.address_id] = st.search_hash;
    EXPECT_EQ(peeked, out);
    return out;
  };
  using Hashes = std::map<std::string, std::optional<std::uint64_t>>;
  EXPECT_EQ(hashes(), (Hashes{{"sh-a", kH1}, {"sh-b", kH1}, {"sh-c", std::nullopt}}));
  EXPECT_EQ(one("SELECT search_hash FROM properties WHERE address_id = 'sh-a'"),
            std::to_string(static_cast<std::int64_t>(kH1)));

  // Unchanged payloads (only touched): a known search hash is stored, an unknown one kept.
  a.search_hash = kH2;
  b.search_hash.reset();
  c.search_hash = kH2;
  auto res = store_->upsert_batch({a, b, c}, kT0 + 10);
  EXPECT_EQ(res.unchanged, 3);
  EXPECT_EQ(hashes(), (Hashes{{"sh-a", kH2}, {"sh-b", kH1}, {"sh-c", kH2}}));

  // Changed payloads (rewritten): the same rule.
  rehash(a, "v2");
  rehash(b, "v2");
  a.search_hash.reset();
  b.search_hash = kH3;
  res = store_->upsert_batch({a, b}, kT0 + 20);
  EXPECT_EQ(res.written, 2);
  EXPECT_EQ(hashes(), (Hashes{{"sh-a", kH2}, {"sh-b", kH3}, {"sh-c", kH2}}));

  // A removed property that comes back keeps its hash unless told another.
  store_->mark_removed({"sh-c"}, kT0 + 30);
  c.search_hash.reset();
  EXPECT_EQ(store_->upsert_batch({c}, kT0 + 40).written, 1);
  EXPECT_EQ(hashes().at("sh-c"), kH2);
}

// A saved search item (import-json: no isOnMarket, so it does not say whether the property is
// listed, and no search hash) never replaces a stored detail, which does: the detail, its
// children and its search hash stay, only last_seen_at moves; in a later batch or in the same
// one, whichever comes last. A detail replaces a search item, as any record does, and a run's
// search item (--details never) replaces what is stored, as a clean import of that mode stores
// it, ending a listing that ended.
TEST_P(StoreTest, ASavedSearchItemNeverReplacesAStoredDetail) {
  const auto detail = [](const std::string& id, bool listed) {
    PropertyRecord r = synthetic(id);
    r.is_on_market = listed;
    if (listed) r.cases.push_back(ListingCase{"case-" + id, "open", 2'000'000, {}, {}, 10, {}, {}, {}, {}, {}, {}, {}});
    rehash(r, "detail");
    return r;
  };
  const auto item = [](const std::string& id) {
    PropertyRecord r = synthetic(id);
    r.is_on_market.reset();
    r.latest_valuation = 1;  // a field the item has that the detail has not
    rehash(r, "item");
    return r;
  };
  const auto stored = [&](const std::string& id) {
    return q("SELECT CAST(is_on_market AS integer), latest_valuation, search_hash FROM properties WHERE address_id = '" +
             id + "'");
  };
  using Rows = std::vector<std::vector<std::string>>;

  PropertyRecord kept = detail("kept", false);
  kept.search_hash = 7;
  ASSERT_EQ(store_->upsert_batch({kept}, kT0).written, 1);
  const std::string dump = test::canonical_dump(url_);
  const auto times = [&] { return q("SELECT last_seen_at, fetched_at FROM properties WHERE address_id = 'kept'"); };
  const Rows before = times();
  PropertyRecord later = item("kept");
  auto res = store_->upsert_batch({later}, kT0 + 60);
  EXPECT_EQ(res.written, 0);
  EXPECT_EQ(res.unchanged, 1);
  EXPECT_EQ(test::canonical_dump(url_), dump) << "the detail stays whole";
  const Rows after = times();
  EXPECT_NE(after[0][0], before[0][0]) << "seen";
  EXPECT_EQ(after[0][1], before[0][1]) << "not fetched: the detail is as old as it was";
  // A run's search item (--details never) replaces it, as a clean --details never import
  // stores the property.
  later.search_hash = 8;
  EXPECT_EQ(store_->upsert_batch({later}, kT0 + 120).written, 1);
  EXPECT_EQ(stored("kept"), (Rows{{"NULL", "1", "8"}}));

  // One batch: the detail, whichever comes last.
  res = store_->upsert_batch({detail("first", false), item("first"), item("last"), detail("last", true)}, kT0);
  EXPECT_EQ(res.added, 2);
  EXPECT_EQ(stored("first"), (Rows{{"0", "NULL", "NULL"}}));
  EXPECT_EQ(stored("last"), (Rows{{"1", "NULL", "NULL"}}));

  // A detail replaces a stored search item.
  ASSERT_EQ(store_->upsert_batch({item("lean")}, kT0).written, 1);
  EXPECT_EQ(store_->upsert_batch({detail("lean", false)}, kT0 + 60).written, 1);
  EXPECT_EQ(stored("lean"), (Rows{{"0", "NULL", "NULL"}}));

  // A listed detail: a file's search item leaves it; a run's ends its listing.
  PropertyRecord ended = item("last");
  EXPECT_EQ(store_->upsert_batch({ended}, kT0 + 60).unchanged, 1);
  EXPECT_EQ(stored("last"), (Rows{{"1", "NULL", "NULL"}}));
  ended.search_hash = 9;
  EXPECT_EQ(store_->upsert_batch({ended}, kT0 + 120).written, 1);
  EXPECT_EQ(stored("last"), (Rows{{"NULL", "1", "9"}}));
  EXPECT_EQ(one("SELECT CAST(COUNT(*) AS integer) FROM cases WHERE address_id = 'last' AND ended_at IS NOT NULL"), "1");
}

TEST_P(StoreTest, OpenCasesOfAMunicipality) {
  const auto listing = [](const std::string& case_id, std::optional<std::string> status, std::optional<std::int64_t> price,
                          std::optional<std::string> distinction) {
    ListingCase c{case_id, std::move(status), price, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
    c.distinction = std::move(distinction);
    return c;
  };
  const auto property = [&](const std::string& id, std::int64_t municipality, bool on_market,
                            std::vector<ListingCase> cases) {
    auto r = synthetic(id, municipality);
    r.is_on_market = on_market;
    r.cases = std::move(cases);
    return r;
  };
  const auto res = store_->upsert_batch(
      {property("m-f", 101, true, {listing("f0", "sold", 1, "real_estate")}),      // only a closed case
       property("m-a", 101, true, {listing("c2", "open", 3'000'000, "real_estate"),  // two open cases and a
                                   listing("c1", "open", 45'000, "rental"),          // closed one
                                   listing("c0", "sold", 2'000'000, "real_estate")}),
       property("m-b", 101, true, {}),                                               // on market, no case row
       property("m-c", 101, false, {}),                                              // not on market, no case
       property("m-d", 101, true, {listing("d1", "open", 1'500'000, "real_estate")}),  // removed below
       property("m-e", 101, true, {listing("e1", {}, {}, {})}),                      // status and the rest unknown
       property("o-a", 147, true, {listing("o1", "open", 900'000, "real_estate")})},  // another municipality
      kT0);
  ASSERT_TRUE(res.failures.empty()) << res.failures[0].reason;
  store_->mark_removed({"m-d"}, kT0 + 1);

  const auto rows = [](const std::vector<StoredCase>& cases) {
    std::vector<std::string> out;
    for (const auto& c : cases) {
      out.push_back(fmt::format("{}|{}|{}|{}", c.address_id, c.case_id,
                                c.price_cash ? std::to_string(*c.price_cash) : "null", c.distinction));
    }
    return out;
  };
  EXPECT_EQ(rows(store_->open_cases(PropertyScope{101, {}})),
            (std::vector<std::string>{"m-a|c1|45000|rental", "m-a|c2|3000000|real_estate", "m-b||null|",
                                      "m-e|e1|null|", "m-f||null|"}));
  EXPECT_EQ(rows(store_->open_cases(PropertyScope{147, {}})), (std::vector<std::string>{"o-a|o1|900000|real_estate"}));
  EXPECT_TRUE(store_->open_cases(PropertyScope{999, {}}).empty());
}

INSTANTIATE_TEST_SUITE_P(Dialects, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace etl
