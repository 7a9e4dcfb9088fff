// PropertyParser: one pass over the payload with simdjson on-demand, each object's fields
// mapped through its field table (field_table.hpp). Values of unknown fields are skipped
// unread (they stay in raw_json). Errors carry the JSON path of the value being read.
#include "extractors/property_parser.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "etl/core/errors.hpp"
#include "extractors/field_table.hpp"
#include "extractors/json_reader.hpp"

namespace etl {
namespace {

using namespace parse_detail;

// --- the field tables: a new column is its model field, one line here, one in the table map
// (loaders/table_map.cpp) and its migrations (loaders/README.md) ---
// Keys in the API's order (alphabetical); a key the API adds is skipped until a line names it.

using BuildingIn = Keyed<Building, std::string>;
using RegistrationIn = Keyed<Registration, std::string>;
using CaseIn = Keyed<ListingCase, std::string>;
using MunicipalityIn = Keyed<MunicipalityDim, std::int64_t>;
using ProvinceIn = Keyed<ProvinceDim, std::string>;
using RoadIn = Keyed<RoadDim, std::string>;
using ZipIn = Keyed<ZipDim, std::int64_t>;
using CityIn = Keyed<CityDim, std::string>;

constexpr Field<BuildingIn> kBuildingFields[] = {
    {"basementArea", put<&Building::basement_area>},
    {"buildingName", put<&Building::building_name>},
    {"buildingNumber", key_text},
    {"externalWallMaterial", put<&Building::external_wall_material>},
    {"heatingInstallation", put<&Building::heating_installation>},
    {"housingArea", put<&Building::housing_area>},
    {"numberOfBathrooms", put<&Building::number_of_bathrooms>},
    {"numberOfFloors", put<&Building::number_of_floors>},
    {"numberOfRooms", put<&Building::number_of_rooms>},
    {"numberOfToilets", put<&Building::number_of_toilets>},
    {"roofingMaterial", put<&Building::roofing_material>},
    {"totalArea", put<&Building::total_area>},
    {"yearBuilt", put<&Building::year_built>},
    {"yearRenovated", put<&Building::year_renovated>},
};
constexpr KeyedTable<kBuildingFields, &Building::building_key> kBuilding;

constexpr Field<RegistrationIn> kRegistrationFields[] = {
    {"amount", put<&Registration::amount>},
    {"area", put<&Registration::area>},
    {"date", put<&Registration::date>},
    {"livingArea", put<&Registration::living_area>},
    {"municipalityCode", put<&Registration::municipality_code>},
    {"perAreaPrice", put<&Registration::per_area_price>},
    {"propertyNumber", put<&Registration::property_number>},
    {"registrationID", key_text},
    {"type", put<&Registration::type>},
};
constexpr KeyedTable<kRegistrationFields, &Registration::registration_id> kRegistration;

constexpr Field<PriceChange> kPriceChangeFields[] = {
    {"date", put<&PriceChange::date>},
    {"priceCash", put<&PriceChange::price>},
    {"priceChangePercentage", put<&PriceChange::percentage>},
};

constexpr Field<CaseIn> kContactFields[] = {
    {"phone", put<&ListingCase::realtor_phone>},
};
constexpr Field<CaseIn> kRealtorFields[] = {
    {"contactInformation", nested<kContactFields>},
    {"name", put<&ListingCase::realtor_name>},
};
constexpr Field<CaseIn> kCaseFields[] = {
    {"caseID", key_text},
    {"caseUrl", put<&ListingCase::case_url>},
    {"daysOnMarket", put<&ListingCase::days_on_market>},
    {"distinction", put<&ListingCase::distinction>},
    {"housingArea", put<&ListingCase::housing_area>},
    {"lotArea", put<&ListingCase::lot_area>},
    {"monthlyExpense", put<&ListingCase::monthly_expense>},
    {"perAreaPrice", put<&ListingCase::per_area_price>},
    {"priceCash", put<&ListingCase::price_cash>},
    {"priceChangePercentage", put<&ListingCase::price_change_percentage>},
    {"priceChanges", list<&ListingCase::price_changes, kPriceChangeFields>},
    {"realtor", nested<kRealtorFields>},
    {"status", put<&ListingCase::status>},
};
constexpr KeyedTable<kCaseFields, &ListingCase::case_id> kCase;

// Dimensions: each exists only when its key field is present.
constexpr Field<MunicipalityIn> kMunicipalityFields[] = {
    {"churchTaxPercentage", put<&MunicipalityDim::church_tax_percentage>},
    {"councilTaxPercentage", put<&MunicipalityDim::council_tax_percentage>},
    {"municipalityCode", key},
    {"name", put<&MunicipalityDim::name>},
    {"population", put<&MunicipalityDim::population>},
    {"slug", put<&MunicipalityDim::slug>},
};
constexpr KeyedTable<kMunicipalityFields, &MunicipalityDim::code> kMunicipality;

constexpr Field<ProvinceIn> kProvinceFields[] = {
    {"name", put<&ProvinceDim::name>},
    {"provinceCode", key},
    {"regionCode", put<&ProvinceDim::region_code>},
};
constexpr KeyedTable<kProvinceFields, &ProvinceDim::code> kProvince;

constexpr Field<RoadIn> kRoadFields[] = {
    {"municipalityCode", put<&RoadDim::municipality_code>},
    {"name", put<&RoadDim::name>},
    {"roadCode", put<&RoadDim::road_code>},
    {"roadID", key_text},
};
constexpr KeyedTable<kRoadFields, &RoadDim::road_id> kRoad;

constexpr Field<ZipIn> kZipFields[] = {
    {"name", put<&ZipDim::name>},
    {"zipCode", key},
};
constexpr KeyedTable<kZipFields, &ZipDim::zip_code> kZip;

constexpr Field<CityIn> kCityFields[] = {
    {"name", put<&CityDim::name>},
    {"slug", key},
};
constexpr KeyedTable<kCityFields, &CityDim::slug> kCity;

constexpr Field<PropertyRecord> kCoordinateFields[] = {
    {"lat", put<&PropertyRecord::latitude>},
    {"lon", put<&PropertyRecord::longitude>},
};

// The one ID a payload must have: a string, present once (two IDs: no way to know which
// property it describes).
void read_address_id(Reader& r, od::value& v, PropertyRecord& rec) {
  if (!rec.address_id.empty()) r.fail("duplicate key");
  const od::json_type t = r.type_of(v);
  if (t == od::json_type::null) r.fail("is null");
  if (t != od::json_type::string) r.fail(fmt::format("expected a string, got {}", type_name(t)));
  rec.address_id = *r.opt_string(v);
  if (rec.address_id.empty()) r.fail("is empty");
}

constexpr Field<PropertyRecord> kPropertyFields[] = {
    {"addressID", read_address_id},
    {"addressType", put<&PropertyRecord::address_type>},
    {"buildings", list<&PropertyRecord::buildings, kBuilding>},
    {"casePrice", put<&PropertyRecord::case_price>},
    {"cases", list<&PropertyRecord::cases, kCase>},
    {"city", dim<&PropertyRecord::city, kCity>},
    {"cityName", put<&PropertyRecord::city_name>},
    {"coordinates", nested<kCoordinateFields>},
    {"door", text<&PropertyRecord::door>},
    {"energyLabel", put<&PropertyRecord::energy_label>},
    {"floor", text<&PropertyRecord::floor>},
    {"houseNumber", text<&PropertyRecord::house_number>},
    {"isOnMarket", put<&PropertyRecord::is_on_market>},
    {"isPublic", put<&PropertyRecord::is_public>},
    {"latestValuation", put<&PropertyRecord::latest_valuation>},
    {"livingArea", put<&PropertyRecord::living_area>},
    {"municipality", dim<&PropertyRecord::municipality, kMunicipality>},
    {"propertyNumber", put<&PropertyRecord::property_number>},
    {"province", dim<&PropertyRecord::province, kProvince>},
    {"registrations", list<&PropertyRecord::registrations, kRegistration>},
    {"road", dim<&PropertyRecord::road, kRoad>},
    {"roadName", put<&PropertyRecord::road_name>},
    {"weightedArea", put<&PropertyRecord::weighted_area>},
    {"zip", dim<&PropertyRecord::zip, kZip>},
    {"zipCode", put<&PropertyRecord::zip_code>},
};

// Values the typed columns cannot hold (a negative area, a latitude of 1e308) are left
// empty with a note: the property and its payload are stored all the same.
void keep_in_range(Reader& r, PropertyRecord& rec) {
  const auto within = [&](auto& field, const char* path, double lo, double hi) {
    if (field && !(static_cast<double>(*field) >= lo && static_cast<double>(*field) <= hi)) {
      r.note_at(path, fmt::format("{} is out of range; left empty", static_cast<double>(*field)));
      field.reset();
    }
  };
  constexpr double kNoMax = 1e300;
  within(rec.latitude, "$.coordinates.lat", -90, 90);
  within(rec.longitude, "$.coordinates.lon", -180, 180);
  within(rec.living_area, "$.livingArea", 0, kNoMax);
  within(rec.weighted_area, "$.weightedArea", 0, kNoMax);
  within(rec.latest_valuation, "$.latestValuation", 0, kNoMax);
  within(rec.case_price, "$.casePrice", 0, kNoMax);
}

// The asking price of the first open case that is not a rental (a rental's priceCash is a
// deposit), else the first non-rental case's priceCash; none for a property with only rentals.
std::optional<std::int64_t> listing_price(const std::vector<ListingCase>& cases) {
  const ListingCase* first = nullptr;
  for (const auto& c : cases) {
    if (c.distinction == "rental") continue;
    if (c.status == "open" && c.price_cash) return c.price_cash;
    if (!first) first = &c;
  }
  return first ? first->price_cash : std::nullopt;
}

void read_property(Reader& r, od::object& root, PropertyRecord& rec) {
  read_fields<kPropertyFields>(r, root, rec);
  if (rec.address_id.empty()) throw ParseError("$.addressID", "missing");
  rec.municipality_code = rec.municipality ? std::optional(rec.municipality->code)
                          : rec.road       ? rec.road->municipality_code
                                           : std::nullopt;
  if (!rec.case_price) rec.case_price = listing_price(rec.cases);
  keep_in_range(r, rec);
}

// True when nothing but whitespace follows the consumed root value (simdjson 3.0 has no
// document::at_end; current_location() reports OUT_OF_BOUNDS there).
bool at_end(od::document& doc) {
  const char* location = nullptr;
  return doc.current_location().get(location) != simdjson::SUCCESS;
}

// Real payloads nest about 6 levels. simdjson's on-demand API skips unknown values without
// checking their depth, so a payload nested 100,000 deep would parse and then be stored in
// raw_json (PostgreSQL refuses it, failing the whole batch first): refuse it here.
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxPayloadBytes = 1 << 20;

// '[' and '{' anywhere: an upper bound of the nesting depth, so the exact scan below runs
// only for payloads that could be too deep. Byte-wide counters over blocks of 255 bytes let
// the compiler add 16 bytes per instruction.
std::size_t count_openers(std::string_view json) {
  std::size_t n = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(json.data());
  std::size_t left = json.size();
  while (left > 0) {
    const std::size_t block = std::min<std::size_t>(left, 255);
    std::uint8_t count = 0;
    for (std::size_t i = 0; i < block; ++i) count += static_cast<std::uint8_t>((p[i] == '[') | (p[i] == '{'));
    n += count;
    p += block;
    left -= block;
  }
  return n;
}

// Deepest nesting of arrays and objects (outside strings); stops counting past `limit`.
// Strings are skipped with memchr: they are most of a payload's bytes.
int nesting_depth(std::string_view json, int limit) {
  int depth = 0, deepest = 0;
  const char* const begin = json.data();
  const std::size_t n = json.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = begin[i];
    if (c == '"') {
      std::size_t close = i;
      for (;;) {
        const void* quote = std::memchr(begin + close + 1, '"', n - close - 1);
        if (!quote) return deepest;  // unterminated: simdjson reports it
        close = static_cast<std::size_t>(static_cast<const char*>(quote) - begin);
        std::size_t backslashes = 0;
        while (close - backslashes - 1 > i && begin[close - backslashes - 1] == '\\') ++backslashes;
        if (backslashes % 2 == 0) break;  // an escaped quote does not close the string
      }
      i = close;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// A number token as JSON spells it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool json_number(std::string_view t) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i - from;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (digits() == 0) {
    return false;
  }
  if (i < t.size() && t[i] == '.' && (++i, digits() == 0)) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == t.size();
}

// Whether every number outside the strings is valid JSON. simdjson's DOM parser refuses an
// integer beyond 64 bits as it refuses 00012; this tells the two apart.
bool numbers_are_json(std::string_view json) {
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '"') {  // skip the string, escapes included
      for (++i; i < json.size() && json[i] != '"'; ++i)
        if (json[i] == '\\') ++i;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t from = i;
      while (i < json.size() && std::string_view("0123456789+-.eE").find(json[i]) != std::string_view::npos) ++i;
      if (!json_number(json.substr(from, i - from))) return false;
      --i;
    }
  }
  return true;
}

// True when a string holds the escape \u0000: the 'u' after an odd number of backslashes.
bool holds_escaped_nul(std::string_view json) {
  for (std::size_t at = json.find("u0000"); at != std::string_view::npos; at = json.find("u0000", at + 1)) {
    std::size_t backslashes = 0;
    while (backslashes < at && json[at - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 1) return true;
  }
  return false;
}

}  // namespace

struct PropertyParser::Impl {
  od::parser parser;
  // On-demand skips the values of fields it does not read without validating them; the DOM
  // parser validates every one (a number 00012, a misspelt literal, a bad escape), as
  // PostgreSQL's json does.
  simdjson::dom::parser validator;
  Reader reader;
};

PropertyParser::PropertyParser() : impl_(std::make_unique<Impl>()) {}
PropertyParser::~PropertyParser() = default;
PropertyParser::PropertyParser(PropertyParser&&) noexcept = default;
PropertyParser& PropertyParser::operator=(PropertyParser&&) noexcept = default;

PropertyRecord PropertyParser::parse(std::string_view json) {
  // Real payloads are 3-60 KB; a megabyte is a broken or hostile answer, not a property.
  if (json.size() > kMaxPayloadBytes)
    throw ParseError("$", fmt::format("payload of {} bytes exceeds the {} byte limit", json.size(), kMaxPayloadBytes));
  if (count_openers(json) > kMaxDepth && nesting_depth(json, kMaxDepth) > kMaxDepth)
    throw ParseError("$", fmt::format("nested deeper than {} levels", kMaxDepth));
  if (json.starts_with(kUtf8Bom)) throw ParseError("$", kBomMessage);
  Impl& im = *impl_;
  Reader& r = im.reader;
  r.reset();

  PropertyRecord rec;
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse the record's own copy of
  // the payload with the padding appended, then cut the padding off (the capacity stays).
  rec.raw_json.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  rec.raw_json.assign(json);
  rec.raw_json.append(simdjson::SIMDJSON_PADDING, '\0');
  od::document doc;
  r.check(im.parser.iterate(rec.raw_json.data(), json.size(), rec.raw_json.size()).get(doc));
  od::object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) r.fail("expected an object");

  read_property(r, root, rec);
  if (!at_end(doc)) r.fail("unexpected content after the payload");
  // One outcome in both dialects: a payload PostgreSQL would refuse is refused here, where
  // SQLite would have stored it (its TEXT takes any bytes).
  if (const auto error = im.validator.parse(rec.raw_json.data(), json.size(), false).error();
      error && !(error == simdjson::NUMBER_ERROR && numbers_are_json(json)))
    throw ParseError("$", std::string("invalid JSON: ") + simdjson::error_message(error));
  if (holds_escaped_nul(json))
    throw ParseError("$", "a string holds \\u0000 (NUL), which PostgreSQL cannot store as text");

  rec.raw_json.resize(json.size());
  rec.notes = r.take_notes();
  rec.payload_hash = payload_hash(json);
  return rec;
}

}  // namespace etl
