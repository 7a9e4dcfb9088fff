#include "tests/support/listed_villa.hpp"

#include <functional>

namespace etl::test {

PropertyRecord villa(const std::string& id, std::int64_t code, const std::string& name) {
  PropertyRecord r;
  r.address_id = id;
  r.address_type = "villa";
  r.road_name = "Testvej";
  r.house_number = id;
  r.zip_code = 2000;
  r.city_name = "By";
  r.municipality_code = code;
  if (!name.empty()) r.municipality = MunicipalityDim{code, name, {}, {}, {}, {}};
  r.latitude = 55.5;
  r.longitude = 12.25;
  r.is_on_market = false;
  r.raw_json = "{\"addressID\":\"" + id + "\"}";
  r.payload_hash = std::hash<std::string>{}(r.raw_json);
  return r;
}

PropertyRecord listed(const std::string& id, std::int64_t code, const std::string& name,
                      std::optional<std::int64_t> price, std::int64_t area, std::int64_t days,
                      const std::string& distinction) {
  PropertyRecord r = villa(id, code, name);
  r.is_on_market = true;
  r.living_area = area;
  ListingCase c;
  c.case_id = "case-" + id;
  c.status = "open";
  c.price_cash = price;
  c.days_on_market = days;
  c.case_url = "https://example.test/" + id;
  c.distinction = distinction;
  r.cases.push_back(c);
  return r;
}

}  // namespace etl::test
