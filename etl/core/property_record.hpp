// The typed model of one Boligsiden address payload, as stored by the loaders.
// Every field the API may omit or send as null is an optional; the whole payload is
// kept verbatim in `raw_json` so nothing the model does not name is lost.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace etl {

struct Building {
  std::string building_key;  // buildingNumber, or "#<ordinal>" when the API omits it
  std::optional<std::string> building_name;
  std::optional<std::int64_t> year_built;
  std::optional<std::int64_t> year_renovated;
  std::optional<std::int64_t> housing_area;
  std::optional<std::int64_t> total_area;
  std::optional<std::int64_t> basement_area;
  std::optional<std::int64_t> number_of_rooms;
  std::optional<std::int64_t> number_of_floors;
  std::optional<std::int64_t> number_of_bathrooms;
  std::optional<std::int64_t> number_of_toilets;
  std::optional<std::string> heating_installation;
  std::optional<std::string> external_wall_material;
  std::optional<std::string> roofing_material;
};

// A registration ID is not unique across addresses: rows are keyed by (address, registration).
struct Registration {
  std::string registration_id;
  std::optional<std::int64_t> amount;
  std::optional<std::string> date;  // YYYY-MM-DD as the API sends it
  std::optional<std::string> type;
  std::optional<std::int64_t> living_area;
  std::optional<std::int64_t> area;
  std::optional<std::int64_t> per_area_price;
  std::optional<std::int64_t> municipality_code;
  std::optional<std::int64_t> property_number;
};

struct PriceChange {
  std::string date;  // ISO date or timestamp as sent
  std::optional<std::int64_t> price;
  std::optional<double> percentage;
};

struct ListingCase {
  std::string case_id;
  std::optional<std::string> status;
  std::optional<std::int64_t> price_cash;
  std::optional<std::int64_t> per_area_price;
  std::optional<std::int64_t> monthly_expense;
  std::optional<std::int64_t> days_on_market;
  std::optional<std::int64_t> housing_area;
  std::optional<std::int64_t> lot_area;
  std::optional<double> price_change_percentage;
  std::optional<std::string> realtor_name;
  std::optional<std::string> realtor_phone;  // realtor.contactInformation.phone
  std::optional<std::string> case_url;
  std::vector<PriceChange> price_changes;
  // "real_estate" or "rental" (a rental's priceCash is a deposit). Last, with {}, so the
  // positional initialisers written before it still compile.
  std::optional<std::string> distinction{};
};

struct MunicipalityDim {
  std::int64_t code = 0;
  std::string name;
  std::optional<std::string> slug;
  std::optional<double> church_tax_percentage;
  std::optional<double> council_tax_percentage;
  std::optional<std::int64_t> population;
};

struct ProvinceDim {
  std::string code;
  std::string name;
  std::optional<std::int64_t> region_code;
};

struct RoadDim {
  std::string road_id;
  std::string name;
  std::optional<std::int64_t> road_code;
  std::optional<std::int64_t> municipality_code;
};

struct ZipDim {
  std::int64_t zip_code = 0;
  std::string name;
};

struct CityDim {
  std::string slug;
  std::string name;
};

struct PropertyRecord {
  std::string address_id;
  std::optional<std::string> address_type;
  std::optional<std::string> road_name;
  std::optional<std::string> house_number;
  std::optional<std::string> floor;
  std::optional<std::string> door;
  std::optional<std::string> city_name;
  std::optional<std::int64_t> zip_code;
  std::optional<std::int64_t> municipality_code;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::optional<std::int64_t> living_area;
  std::optional<double> weighted_area;
  std::optional<std::int64_t> latest_valuation;
  std::optional<std::int64_t> property_number;
  std::optional<std::string> energy_label;
  std::optional<bool> is_on_market;
  std::optional<bool> is_public;
  // casePrice, else the priceCash of the first case that is not a rental (preferring an open one).
  std::optional<std::int64_t> case_price;

  std::vector<Building> buildings;
  std::vector<Registration> registrations;
  std::vector<ListingCase> cases;

  std::optional<MunicipalityDim> municipality;
  std::optional<ProvinceDim> province;
  std::optional<RoadDim> road;
  std::optional<ZipDim> zip;
  std::optional<CityDim> city;

  // Odd but legal values the parser left empty or rounded ("$.livingArea: rounded 123.5 to
  // an integer"): counted in the run summary, not stored (the payload keeps the value).
  std::vector<std::string> notes;

  std::string raw_json;           // the payload exactly as received
  std::uint64_t payload_hash = 0; // 64-bit hash of raw_json
  // Hash of the search item this property was last discovered as, so an incremental run can
  // see which stored properties' search items changed. nullopt = not known this time: the
  // store keeps the value it holds.
  std::optional<std::uint64_t> search_hash{};
  // Its open cases are listings observed now, not a starting state: set by a run for every
  // municipality but one in its first import, so a property stored for the first time with
  // an open case gets a `listed` event besides `new` (loaders/market_history.hpp).
  bool listings_are_news = false;
};

}  // namespace etl
