#include "tests/loaders/fixture_records.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace etl::test {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

std::optional<element> field(const object& o, std::string_view key) {
  element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
  return e;
}

std::optional<std::string> str(const object& o, std::string_view key) {
  const auto e = field(o, key);
  if (!e) return std::nullopt;
  if (e->is_string()) return std::string(e->get_string().value_unsafe());
  if (e->is_int64()) return std::to_string(e->get_int64().value_unsafe());
  if (e->is_uint64()) return std::to_string(e->get_uint64().value_unsafe());
  return std::nullopt;
}

std::optional<std::int64_t> integer(const object& o, std::string_view key) {
  const auto e = field(o, key);
  if (!e) return std::nullopt;
  if (e->is_int64()) return e->get_int64().value_unsafe();
  if (e->is_uint64()) return static_cast<std::int64_t>(e->get_uint64().value_unsafe());
  if (e->is_double()) return static_cast<std::int64_t>(std::llround(e->get_double().value_unsafe()));
  return std::nullopt;
}

std::optional<double> real(const object& o, std::string_view key) {
  const auto e = field(o, key);
  if (!e) return std::nullopt;
  if (e->is_double()) return e->get_double().value_unsafe();
  if (e->is_int64()) return static_cast<double>(e->get_int64().value_unsafe());
  if (e->is_uint64()) return static_cast<double>(e->get_uint64().value_unsafe());
  return std::nullopt;
}

std::optional<bool> boolean(const object& o, std::string_view key) {
  const auto e = field(o, key);
  if (!e || !e->is_bool()) return std::nullopt;
  return e->get_bool().value_unsafe();
}

std::optional<object> obj(const object& o, std::string_view key) {
  const auto e = field(o, key);
  if (!e || !e->is_object()) return std::nullopt;
  return e->get_object().value_unsafe();
}

std::vector<object> objects(const object& o, std::string_view key) {
  std::vector<object> out;
  const auto e = field(o, key);
  if (!e || !e->is_array()) return out;
  const simdjson::dom::array items = e->get_array().value_unsafe();
  for (element item : items) {
    if (item.is_object()) out.push_back(item.get_object().value_unsafe());
  }
  return out;
}

ListingCase case_from(const object& c) {
  ListingCase k;
  k.case_id = str(c, "caseID").value_or("");
  k.status = str(c, "status");
  k.price_cash = integer(c, "priceCash");
  k.per_area_price = integer(c, "perAreaPrice");
  k.monthly_expense = integer(c, "monthlyExpense");
  k.days_on_market = integer(c, "daysOnMarket");
  k.housing_area = integer(c, "housingArea");
  k.lot_area = integer(c, "lotArea");
  k.price_change_percentage = real(c, "priceChangePercentage");
  if (const auto realtor = obj(c, "realtor")) {
    k.realtor_name = str(*realtor, "name");
    if (const auto contact = obj(*realtor, "contactInformation")) k.realtor_phone = str(*contact, "phone");
  }
  k.case_url = str(c, "caseUrl");
  k.distinction = str(c, "distinction");
  for (const auto& p : objects(c, "priceChanges")) {
    PriceChange pc;
    pc.date = str(p, "date").value_or("");
    pc.price = integer(p, "price");
    pc.percentage = real(p, "percentage");
    k.price_changes.push_back(std::move(pc));
  }
  return k;
}

PropertyRecord record_from(const object& a, std::string raw_json) {
  PropertyRecord r;
  r.address_id = str(a, "addressID").value_or("");
  r.address_type = str(a, "addressType");
  r.road_name = str(a, "roadName");
  r.house_number = str(a, "houseNumber");
  r.floor = str(a, "floor");
  r.door = str(a, "door");
  r.city_name = str(a, "cityName");
  r.zip_code = integer(a, "zipCode");
  if (const auto c = obj(a, "coordinates")) {
    r.latitude = real(*c, "lat");
    r.longitude = real(*c, "lon");
  }
  r.living_area = integer(a, "livingArea");
  r.weighted_area = real(a, "weightedArea");
  r.latest_valuation = integer(a, "latestValuation");
  r.property_number = integer(a, "propertyNumber");
  r.energy_label = str(a, "energyLabel");
  r.is_on_market = boolean(a, "isOnMarket");
  r.is_public = boolean(a, "isPublic");
  r.case_price = integer(a, "casePrice");

  int ordinal = 0;
  for (const auto& b : objects(a, "buildings")) {
    ++ordinal;
    Building x;
    x.building_key = str(b, "buildingNumber").value_or(fmt::format("#{}", ordinal));
    x.building_name = str(b, "buildingName");
    x.year_built = integer(b, "yearBuilt");
    x.year_renovated = integer(b, "yearRenovated");
    x.housing_area = integer(b, "housingArea");
    x.total_area = integer(b, "totalArea");
    x.basement_area = integer(b, "basementArea");
    x.number_of_rooms = integer(b, "numberOfRooms");
    x.number_of_floors = integer(b, "numberOfFloors");
    x.number_of_bathrooms = integer(b, "numberOfBathrooms");
    x.number_of_toilets = integer(b, "numberOfToilets");
    x.heating_installation = str(b, "heatingInstallation");
    x.external_wall_material = str(b, "externalWallMaterial");
    x.roofing_material = str(b, "roofingMaterial");
    r.buildings.push_back(std::move(x));
  }
  for (const auto& g : objects(a, "registrations")) {
    Registration x;
    x.registration_id = str(g, "registrationID").value_or("");
    x.amount = integer(g, "amount");
    x.date = str(g, "date");
    x.type = str(g, "type");
    x.living_area = integer(g, "livingArea");
    x.area = integer(g, "area");
    x.per_area_price = integer(g, "perAreaPrice");
    x.municipality_code = integer(g, "municipalityCode");
    x.property_number = integer(g, "propertyNumber");
    r.registrations.push_back(std::move(x));
  }
  for (const auto& c : objects(a, "cases")) r.cases.push_back(case_from(c));

  if (const auto m = obj(a, "municipality")) {
    MunicipalityDim d;
    d.code = integer(*m, "municipalityCode").value_or(0);
    d.name = str(*m, "name").value_or("");
    d.slug = str(*m, "slug");
    d.church_tax_percentage = real(*m, "churchTaxPercentage");
    d.council_tax_percentage = real(*m, "councilTaxPercentage");
    d.population = integer(*m, "population");
    r.municipality_code = d.code;
    r.municipality = std::move(d);
  }
  if (const auto p = obj(a, "province")) {
    r.province = ProvinceDim{str(*p, "provinceCode").value_or(""), str(*p, "name").value_or(""),
                             integer(*p, "regionCode")};
  }
  if (const auto rd = obj(a, "road")) {
    r.road = RoadDim{str(*rd, "roadID").value_or(""), str(*rd, "name").value_or(""), integer(*rd, "roadCode"),
                     integer(*rd, "municipalityCode")};
  }
  if (const auto z = obj(a, "zip")) r.zip = ZipDim{integer(*z, "zipCode").value_or(0), str(*z, "name").value_or("")};
  if (const auto c = obj(a, "city")) r.city = CityDim{str(*c, "slug").value_or(""), str(*c, "name").value_or("")};

  r.raw_json = std::move(raw_json);
  r.payload_hash = fnv1a64(r.raw_json);
  return r;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read fixture " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::uint64_t fnv1a64(std::string_view data) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

PropertyRecord record_from_address_json(const std::string& json) {
  simdjson::dom::parser parser;
  object a;
  if (const auto err = parser.parse(json).get(a)) {
    throw std::runtime_error(std::string("fixture is not a JSON object: ") + simdjson::error_message(err));
  }
  return record_from(a, json);
}

std::vector<PropertyRecord> load_fixture_records() {
  const std::filesystem::path dir = ETL_FIXTURES_DIR;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (name.rfind("address-", 0) == 0 && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw std::runtime_error("no address-*.json fixtures in " + dir.string());
  std::vector<PropertyRecord> out;
  for (const auto& f : files) out.push_back(record_from_address_json(read_file(f)));

  // case-offering.json: a listing case whose `address` is the on-market property.
  const std::string text = read_file(dir / "case-offering.json");
  simdjson::dom::parser parser;
  object c;
  if (const auto err = parser.parse(text).get(c)) {
    throw std::runtime_error(std::string("case-offering.json: ") + simdjson::error_message(err));
  }
  const auto address = field(c, "address");
  if (!address || !address->is_object()) throw std::runtime_error("case-offering.json has no address object");
  PropertyRecord r = record_from(address->get_object().value_unsafe(), simdjson::minify(*address));
  r.cases.push_back(case_from(c));
  if (!r.case_price) r.case_price = r.cases.back().price_cash;
  out.push_back(std::move(r));
  return out;
}

}  // namespace etl::test
