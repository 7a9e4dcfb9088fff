#include "extractors/property_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "etl/core/errors.hpp"
#include "fixture_files.hpp"

namespace etl {
namespace {

using test::read_fixture;

struct FixtureExpectation {
  std::string file;
  std::size_t registrations;
  std::int64_t first_amount;
  double lat, lon;
  std::int64_t municipality_code;
  std::size_t buildings;
  std::optional<std::string> energy_label;
};

class RealFixture : public ::testing::TestWithParam<FixtureExpectation> {};

TEST_P(RealFixture, ParsesWithConcreteValues) {
  const auto& e = GetParam();
  const std::string json = read_fixture(e.file);
  PropertyParser parser;
  PropertyRecord r = parser.parse(json);
  EXPECT_EQ("address-" + r.address_id + ".json", e.file);
  ASSERT_EQ(r.registrations.size(), e.registrations);
  EXPECT_EQ(r.registrations.front().amount, e.first_amount);
  EXPECT_DOUBLE_EQ(*r.latitude, e.lat);
  EXPECT_DOUBLE_EQ(*r.longitude, e.lon);
  EXPECT_EQ(r.municipality_code, e.municipality_code);
  EXPECT_EQ(r.buildings.size(), e.buildings);
  EXPECT_EQ(r.energy_label, e.energy_label);
  EXPECT_EQ(r.raw_json, json);
  EXPECT_EQ(r.payload_hash, payload_hash(json));
  ASSERT_TRUE(r.municipality.has_value());
  EXPECT_EQ(r.municipality->name, "Aarhus");
  EXPECT_TRUE(r.is_public.value_or(false));
  EXPECT_TRUE(r.cases.empty());
  for (const auto& reg : r.registrations) EXPECT_FALSE(reg.registration_id.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Boligsiden, RealFixture,
    ::testing::Values(
        FixtureExpectation{"address-0a3f50c2-b95c-32b8-e044-0003ba298018.json", 7, 1050000, 56.17766, 10.20198, 751, 1, {}},
        FixtureExpectation{"address-0a3f50c2-d4ee-32b8-e044-0003ba298018.json", 44, 1580000, 56.175655, 10.205496, 751, 0, "d"},
        FixtureExpectation{"address-0a3f50c2-d4f1-32b8-e044-0003ba298018.json", 44, 1580000, 56.175655, 10.205496, 751, 1, "d"},
        FixtureExpectation{"address-0a3f50c2-d4f2-32b8-e044-0003ba298018.json", 44, 1580000, 56.175655, 10.205496, 751, 1, "d"},
        FixtureExpectation{"address-0a3f50c2-d4f4-32b8-e044-0003ba298018.json", 44, 1580000, 56.175655, 10.205496, 751, 1, "d"},
        FixtureExpectation{"address-0a3f50c2-d4f8-32b8-e044-0003ba298018.json", 44, 1580000, 56.175655, 10.205496, 751, 1, "d"},
        FixtureExpectation{"address-0a3f50c3-a672-32b8-e044-0003ba298018.json", 12, 3325000, 56.161594, 10.214481, 751, 1, {}},
        FixtureExpectation{"address-0a3f50c4-05ca-32b8-e044-0003ba298018.json", 6, 2910000, 56.161114, 10.21357, 751, 1, {}},
        FixtureExpectation{"address-0a3f50c4-bdeb-32b8-e044-0003ba298018.json", 10, 1513000, 56.164833, 10.212471, 751, 2, {}},
        FixtureExpectation{"address-9ae3d8cf-dc2c-4f25-8749-62cb0dff42af.json", 2, 6600000, 56.07683, 10.162191, 751, 2, "a2010"}));

TEST(PropertyParser, FirstFixtureFieldByField) {
  PropertyParser parser;
  PropertyRecord r = parser.parse(read_fixture("address-0a3f50c2-b95c-32b8-e044-0003ba298018.json"));
  EXPECT_EQ(r.address_type, "condo");
  EXPECT_EQ(r.road_name, "Egegade");
  EXPECT_EQ(r.house_number, "18");
  EXPECT_EQ(r.floor, "0");
  EXPECT_FALSE(r.door.has_value());
  EXPECT_EQ(r.city_name, "Aarhus N");
  EXPECT_EQ(r.zip_code, 8200);
  EXPECT_EQ(r.living_area, 32);
  EXPECT_EQ(r.latest_valuation, 710000);
  EXPECT_EQ(r.property_number, 885253);
  EXPECT_FALSE(r.is_on_market.has_value());
  EXPECT_FALSE(r.case_price.has_value());
  EXPECT_FALSE(r.weighted_area.has_value());

  const Building& b = r.buildings.at(0);
  EXPECT_EQ(b.building_key, "1");
  EXPECT_EQ(b.building_name, "Etagebolig-bygning, flerfamiliehus eller tofamiliehus");
  EXPECT_EQ(b.year_built, 1990);
  EXPECT_FALSE(b.year_renovated.has_value());
  EXPECT_EQ(b.housing_area, 32);
  EXPECT_EQ(b.total_area, 64);
  EXPECT_EQ(b.number_of_rooms, 1);
  EXPECT_EQ(b.number_of_floors, 2);
  EXPECT_EQ(b.number_of_bathrooms, 1);
  EXPECT_EQ(b.number_of_toilets, 1);
  EXPECT_EQ(b.heating_installation, "Fjernvarme/blokvarme");
  EXPECT_EQ(b.external_wall_material, "Mursten");
  EXPECT_EQ(b.roofing_material, "Tegl");

  const Registration& first = r.registrations.at(0);
  EXPECT_EQ(first.registration_id, "6631a31b-483b-455e-908b-5e81ab8ca2c6");
  EXPECT_EQ(first.date, "2025-04-30");
  EXPECT_EQ(first.type, "normal");
  EXPECT_EQ(first.living_area, 32);
  EXPECT_EQ(first.area, 32);
  EXPECT_EQ(first.per_area_price, 32813);
  EXPECT_EQ(first.municipality_code, 751);
  EXPECT_EQ(first.property_number, 0);
  EXPECT_EQ(r.registrations.at(1).registration_id, "5243681");
  EXPECT_FALSE(r.registrations.at(4).area.has_value());

  ASSERT_TRUE(r.municipality);
  EXPECT_EQ(r.municipality->code, 751);
  EXPECT_EQ(r.municipality->slug, "aarhus");
  EXPECT_DOUBLE_EQ(*r.municipality->church_tax_percentage, 0.74);
  EXPECT_DOUBLE_EQ(*r.municipality->council_tax_percentage, 24.52);
  EXPECT_EQ(r.municipality->population, 367095);
  ASSERT_TRUE(r.province);
  EXPECT_EQ(r.province->code, "DK042");
  EXPECT_EQ(r.province->name, "Østjylland");
  EXPECT_EQ(r.province->region_code, 1082);
  ASSERT_TRUE(r.road);
  EXPECT_EQ(r.road->road_id, "03dc1f35-db43-4e75-986b-536411dd53c3");
  EXPECT_EQ(r.road->name, "Egegade");
  EXPECT_EQ(r.road->road_code, 1603);
  EXPECT_EQ(r.road->municipality_code, 751);
  ASSERT_TRUE(r.zip);
  EXPECT_EQ(r.zip->zip_code, 8200);
  EXPECT_EQ(r.zip->name, "Aarhus N");
  ASSERT_TRUE(r.city);
  EXPECT_EQ(r.city->slug, "aarhus-n");
  EXPECT_EQ(r.city->name, "Aarhus N");
}

TEST(PropertyParser, VillaFixtureHasWeightedArea) {
  PropertyParser parser;
  PropertyRecord r = parser.parse(read_fixture("address-9ae3d8cf-dc2c-4f25-8749-62cb0dff42af.json"));
  EXPECT_EQ(r.address_type, "villa");
  EXPECT_DOUBLE_EQ(*r.weighted_area, 226.9);
}

TEST(PropertyParser, CaseFixtureAsAddressCase) {
  const std::string case_json = read_fixture("case-offering.json");
  const std::string payload = R"({"addressID":"wrapped","cases":[)" + case_json + "]}";
  PropertyParser parser;
  PropertyRecord r = parser.parse(payload);
  ASSERT_EQ(r.cases.size(), 1u);
  const ListingCase& c = r.cases[0];
  EXPECT_EQ(c.case_id, "f2687747-0bd7-4ded-aa4c-8dc123b9e624");
  EXPECT_EQ(c.status, "open");
  EXPECT_EQ(c.price_cash, 2995000);
  EXPECT_DOUBLE_EQ(*c.price_change_percentage, -7.7);
  EXPECT_EQ(c.per_area_price, 18168);
  EXPECT_EQ(c.monthly_expense, 3210);
  EXPECT_EQ(c.days_on_market, 189);
  EXPECT_EQ(c.housing_area, 140);
  EXPECT_EQ(c.lot_area, 816);
  EXPECT_EQ(c.realtor_name, "EDC Poul Erik Bech");
  EXPECT_EQ(c.realtor_phone, "47310098");  // realtor.contactInformation.phone
  EXPECT_EQ(c.case_url, "https://www.edc.dk/sag/?sagsnr=36009710");
  EXPECT_EQ(c.distinction, "real_estate");
  EXPECT_TRUE(c.price_changes.empty());
  EXPECT_EQ(r.case_price, 2995000);  // no casePrice: taken from the open case
  EXPECT_EQ(r.raw_json, payload);
}

TEST(PropertyParser, CaseFixtureNestedAddress) {
  const std::string case_json = read_fixture("case-offering.json");
  // The nested address is a full address payload of an on-market villa.
  auto start = case_json.find("\"address\":");
  ASSERT_NE(start, std::string::npos);
  PropertyParser parser;
  PropertyRecord wrapped = parser.parse(R"({"addressID":"x","cases":[)" + case_json + "]}");
  EXPECT_EQ(wrapped.address_id, "x");  // the case's own "address" does not leak into the record
  EXPECT_FALSE(wrapped.latitude.has_value());
}

TEST(PropertyParser, PriceChangesAndMixedNumbers) {
  PropertyParser parser;
  PropertyRecord r = parser.parse(R"({
    "addressID": "a1", "livingArea": 140.0, "weightedArea": 150, "zipCode": 4050,
    "road": {"roadID": "r1", "name": "Vej", "municipalityCode": 250},
    "buildings": [{"yearBuilt": 1953}, {"buildingNumber": 2}],
    "registrations": [{"registrationID": 5591187, "amount": 2970000.0}, {"amount": null}],
    "cases": [{"caseID": "c0", "status": "sold", "priceCash": 1},
              {"caseID": "c1", "status": "open", "priceCash": 2995000,
               "priceChanges": [{"date": "2025-06-01", "priceCash": 3245000, "priceChangePercentage": -7.7},
                                {"date": "2025-09-01T10:00:00Z", "priceCash": null}]}],
    "isOnMarket": true, "casePrice": null, "energyLabel": null, "somethingNew": {"deep": [1, 2, {"x": null}]}
  })");
  EXPECT_EQ(r.living_area, 140);
  EXPECT_DOUBLE_EQ(*r.weighted_area, 150.0);
  EXPECT_EQ(r.municipality_code, 250);  // from road: no municipality object
  EXPECT_FALSE(r.municipality.has_value());
  EXPECT_EQ(r.buildings.at(0).building_key, "#1");
  EXPECT_EQ(r.buildings.at(1).building_key, "2");
  EXPECT_EQ(r.registrations.at(0).registration_id, "5591187");
  EXPECT_EQ(r.registrations.at(0).amount, 2970000);
  EXPECT_EQ(r.registrations.at(1).registration_id, "#2");
  EXPECT_FALSE(r.registrations.at(1).amount.has_value());
  EXPECT_FALSE(r.energy_label.has_value());
  EXPECT_EQ(r.is_on_market, true);
  EXPECT_EQ(r.case_price, 2995000);  // casePrice null -> the open case's price
  const auto& changes = r.cases.at(1).price_changes;
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].date, "2025-06-01");
  EXPECT_EQ(changes[0].price, 3245000);
  EXPECT_DOUBLE_EQ(*changes[0].percentage, -7.7);
  EXPECT_FALSE(changes[1].price.has_value());
  EXPECT_FALSE(changes[1].percentage.has_value());
}

TEST(PropertyParser, CaseDistinctionIsReadAndNullWhenAbsent) {
  PropertyParser parser;
  const auto r = parser.parse(R"({"addressID": "a", "cases": [
    {"caseID": "c1", "distinction": "rental"}, {"caseID": "c2", "distinction": null}, {"caseID": "c3"}]})");
  ASSERT_EQ(r.cases.size(), 3u);
  EXPECT_EQ(r.cases[0].distinction, "rental");
  EXPECT_FALSE(r.cases[1].distinction.has_value());
  EXPECT_FALSE(r.cases[2].distinction.has_value());
}

// Issue: a rental case never sets case_price; a property with several open cases takes the
// real-estate one.
TEST(PropertyParser, CasePriceIsNeverARentalsDeposit) {
  PropertyParser parser;
  // Only a rental: no asking price.
  auto r = parser.parse(R"({"addressID": "a", "isOnMarket": true, "cases": [
    {"caseID": "r1", "status": "open", "distinction": "rental", "priceCash": 45000}]})");
  EXPECT_FALSE(r.case_price.has_value());
  // A rental listed before the real-estate case of the same property.
  r = parser.parse(R"({"addressID": "a", "cases": [
    {"caseID": "r1", "status": "open", "distinction": "rental", "priceCash": 45000},
    {"caseID": "s1", "status": "open", "distinction": "real_estate", "priceCash": 3495000}]})");
  EXPECT_EQ(r.case_price, 3495000);
  // Not open, or without a distinction: still not a rental.
  r = parser.parse(R"({"addressID": "a", "cases": [
    {"caseID": "r1", "status": "open", "distinction": "rental", "priceCash": 45000},
    {"caseID": "s1", "priceCash": 2100000}]})");
  EXPECT_EQ(r.case_price, 2100000);
  // casePrice, when the payload has it, wins.
  r = parser.parse(R"({"addressID": "a", "casePrice": 1995000, "cases": [
    {"caseID": "r1", "status": "open", "distinction": "rental", "priceCash": 45000}]})");
  EXPECT_EQ(r.case_price, 1995000);
}

TEST(PropertyParser, ParserIsReusedAcrossRecords) {
  PropertyParser parser;
  auto a = parser.parse(R"({"addressID":"a","roadName":"A"})");
  auto b = parser.parse(R"({"addressID":"b"})");
  auto c = parser.parse(read_fixture("case-offering.json").insert(0, R"({"addressID":"c","x":)") + "}");
  EXPECT_EQ(a.road_name, "A");
  EXPECT_FALSE(b.road_name.has_value());
  EXPECT_EQ(c.address_id, "c");
}

// --- errors ---

void expect_parse_error(const std::string& json, const std::string& path, const std::string& reason_part = "") {
  PropertyParser parser;
  try {
    parser.parse(json);
    ADD_FAILURE() << "no ParseError for " << json.substr(0, 200);
  } catch (const ParseError& e) {
    EXPECT_EQ(e.path(), path) << e.what();
    if (!reason_part.empty()) {
      EXPECT_NE(e.reason().find(reason_part), std::string::npos) << e.what();
    }
  }
}

TEST(PropertyParserErrors, AddressIdMustBeUsable) {
  expect_parse_error(R"({"roadName":"x"})", "$.addressID", "missing");
  expect_parse_error(R"({"addressID":""})", "$.addressID", "empty");
  expect_parse_error(R"({"addressID":null})", "$.addressID", "null");
  expect_parse_error(R"({"addressID":42})", "$.addressID", "string");
  expect_parse_error(R"({"addressID":["a"]})", "$.addressID", "string");
}

// A structure of the wrong shape is an error naming its path.
TEST(PropertyParserErrors, WrongShapesNameThePath) {
  expect_parse_error(R"({"addressID":"a","buildings":{}})", "$.buildings", "array");
  expect_parse_error(R"({"addressID":"a","buildings":[7]})", "$.buildings[0]", "object");
  expect_parse_error(R"({"addressID":"a","livingArea":12x})", "$.livingArea");
}

// An odd but legal value is no reason to lose the property: its typed field is left empty
// (or an integer's fraction rounded) and a note names the path; raw_json keeps the value.
TEST(PropertyParser, OddValuesAreNotedNotFatal) {
  PropertyParser parser;
  const auto noted = [&](const std::string& json, const std::string& path, const std::string& what) -> PropertyRecord {
    PropertyRecord rec = parser.parse(json);
    EXPECT_EQ(rec.raw_json, json);
    EXPECT_EQ(rec.notes.size(), 1u) << json;
    const std::string note = rec.notes.empty() ? "" : rec.notes[0];
    EXPECT_EQ(note.rfind(path + ": ", 0), 0u) << note;
    EXPECT_NE(note.find(what), std::string::npos) << note;
    return rec;
  };
  EXPECT_FALSE(noted(R"({"addressID":"a","registrations":[{},{},{"amount":"1000"}]})", "$.registrations[2].amount",
                     "expected an integer, got a string")
                   .registrations[2]
                   .amount);
  EXPECT_EQ(noted(R"({"addressID":"a","registrations":[{"amount":3.5}]})", "$.registrations[0].amount", "rounded 3.5")
                .registrations[0]
                .amount,
            4);
  EXPECT_FALSE(noted(R"({"addressID":"a","coordinates":{"lat":"56"}})", "$.coordinates.lat", "number").latitude);
  EXPECT_FALSE(noted(R"({"addressID":"a","isOnMarket":"yes"})", "$.isOnMarket", "boolean").is_on_market);
  EXPECT_FALSE(noted(R"({"addressID":"a","cases":[{"priceChanges":[{"priceCash":true}]}]})",
                     "$.cases[0].priceChanges[0].priceCash", "integer")
                   .cases[0]
                   .price_changes[0]
                   .price);
  EXPECT_FALSE(noted(R"({"addressID":"a","zipCode":18446744073709551615})", "$.zipCode", "range").zip_code);
  EXPECT_FALSE(noted(R"({"addressID":"a","zipCode":123456789012345678901234567890})", "$.zipCode", "range").zip_code);
  EXPECT_FALSE(noted(R"({"addressID":"a","municipality":{"municipalityCode":1e300,"name":"X"}})",
                     "$.municipality.municipalityCode", "range")
                   .municipality_code);
  // What the typed columns cannot hold: a negative area, an impossible latitude.
  EXPECT_FALSE(noted(R"({"addressID":"a","livingArea":-50})", "$.livingArea", "out of range").living_area);
  EXPECT_FALSE(noted(R"({"addressID":"a","coordinates":{"lat":1e308,"lon":12}})", "$.coordinates.lat", "out of range")
                   .latitude);
  EXPECT_TRUE(parser.parse(R"({"addressID":"a","livingArea":140.0})").notes.empty()) << "140.0 is an integer";
}

TEST(PropertyParserErrors, InvalidJson) {
  PropertyParser parser;
  for (std::string bad : {"", "   ", "{", "[]", "42", "\"x\"", "null", R"({"addressID":"a",})", R"({"addressID":"a"} x)",
                          R"({"addressID":"a"}{})", R"({"addressID" "a"})", R"({"addressID":"a","livingArea":tru})",
                          R"({"addressID":"a","livingArea":nul})"}) {
    EXPECT_THROW(parser.parse(bad), ParseError) << bad;
  }
  // The parser still works after errors.
  EXPECT_EQ(parser.parse(R"({"addressID":"ok"})").address_id, "ok");
}

// What PostgreSQL would refuse is refused in every dialect, also in a field the parser does
// not read (issue 33); a valid number beyond 64 bits is still only an odd value.
TEST(PropertyParserErrors, BytesPostgresRefusesAreRefusedWhereverTheyAre) {
  PropertyParser parser;
  const auto reason = [&](const std::string& json) -> std::string {
    try {
      parser.parse(json);
    } catch (const ParseError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(reason(R"({"addressID":"a","unknown":00012})"), "$: invalid JSON: Problem while parsing a number");
  EXPECT_EQ(reason(R"({"addressID":"a","unknown":[1 2]})").rfind("$: invalid JSON: ", 0), 0u);
  EXPECT_EQ(reason(R"({"addressID":"a","unknown":"\x"})").rfind("$: invalid JSON: ", 0), 0u);
  EXPECT_EQ(reason(R"({"addressID":"a","roadName":"A\u0000B"})"),
            "$: a string holds \\u0000 (NUL), which PostgreSQL cannot store as text");
  EXPECT_EQ(reason(R"({"addressID":"a","unknown":"\\u0000"})"), "") << "an escaped backslash, then text";
  EXPECT_EQ(reason(R"({"addressID":"a","unknown":123456789012345678901234567890})"), "");
  EXPECT_EQ(reason("\xEF\xBB\xBF" R"({"addressID":"a"})").rfind("$: starts with a UTF-8 byte order mark", 0), 0u);
}

TEST(PropertyParserErrors, HostileInputsNeverCrash) {
  PropertyParser parser;
  auto survives = [&](const std::string& json) {
    try {
      parser.parse(json);
    } catch (const ParseError&) {
    }
  };
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_THROW(parser.parse(deep), ParseError);
  survives(R"({"addressID":"a","unknown":)" + deep + "}");
  survives(R"({"addressID":"a","registrations":)" + deep + "}");
  survives(R"({"addressID":"a","unknown":)" + std::string(100'000, '{') + "}");
  survives(std::string(100'000, '{'));

  const std::string huge(10 * 1024 * 1024, 'x');
  expect_parse_error(R"({"addressID":"a","roadName":")" + huge + R"(","blob":")" + huge + "\"}", "$");
  const std::string big(200 * 1024, 'x');  // large but plausible: still parsed
  PropertyRecord r = parser.parse(R"({"addressID":"a","roadName":")" + big + "\"}");
  EXPECT_EQ(r.road_name->size(), big.size());

  expect_parse_error(R"({"addressID":"a","livingArea":NaN})", "$.livingArea");
  expect_parse_error(R"({"addressID":"a","weightedArea":Infinity})", "$.weightedArea");
  EXPECT_THROW(parser.parse("{\"addressID\":\"a\xff\xfe\"}"), ParseError);
  EXPECT_THROW(parser.parse("{\"addressID\":\"a\",\"roadName\":\"\xc3\x28\"}"), ParseError);
  EXPECT_THROW(parser.parse(std::string("{\"addressID\":\"a\0\"}", 18)), ParseError);
  survives(R"({"addressID":"a","roadName":"\ud800"})");

  // Duplicate keys: two addressIDs are an error; elsewhere the last one wins, lists are not doubled.
  expect_parse_error(R"({"addressID":"a","addressID":"b"})", "$.addressID");
  r = parser.parse(R"({"addressID":"a","buildings":[{}],"buildings":[{},{}]})");
  EXPECT_EQ(r.buildings.size(), 2u);
}

TEST(PayloadHash, StableAndSensitive) {
  EXPECT_EQ(payload_hash(""), payload_hash(""));
  EXPECT_EQ(payload_hash("{\"a\":1}"), payload_hash(std::string("{\"a\":1}")));
  EXPECT_NE(payload_hash("{\"a\":1}"), payload_hash("{\"a\":2}"));
  EXPECT_NE(payload_hash("abcdefgh"), payload_hash("abcdefgh "));
  EXPECT_NE(payload_hash(std::string(1, '\0')), payload_hash(std::string(2, '\0')));
  // Pinned values: the hash must not change between builds or machines. Stored hashes rely
  // on it, and shard ownership relies on the short-input path (address IDs are 36 bytes).
  std::string longer;
  for (int i = 0; i < 100; ++i) longer += static_cast<char>('0' + i % 10);
  EXPECT_EQ(payload_hash("propetl"), 13767363393399230599ULL);
  EXPECT_EQ(payload_hash(longer), 2023862342664905117ULL);
  // Every byte of a long input counts, whichever lane or tail reads it.
  for (std::size_t i = 0; i < longer.size(); ++i) {
    std::string changed = longer;
    changed[i] = 'x';
    EXPECT_NE(payload_hash(changed), payload_hash(longer)) << "byte " << i;
  }
}

}  // namespace
}  // namespace etl
