// PropertyParser: one pass over the payload with simdjson on-demand, each object iterated
// once and its fields dispatched on the key. Values of unknown fields are skipped unread
// (they stay in raw_json). Errors carry the JSON path of the value being read.
#include "extractors/property_parser.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "etl/core/errors.hpp"

namespace etl {
namespace {

namespace od = simdjson::ondemand;

const char* type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "an unknown value";
}

// Reads one document; keeps the path of the value being read for error messages.
class Reader {
 public:
  // One segment of the JSON path: a key, or an array index when key is empty.
  struct Segment {
    std::string_view key;
    std::size_t index;
  };

  // Pushes a path segment for the lifetime of the scope.
  class Scope {
   public:
    Scope(Reader& r, std::string_view key) : r_(r) { r_.path_.push_back({key, 0}); }
    Scope(Reader& r, std::size_t index) : r_(r) { r_.path_.push_back({{}, index}); }
    ~Scope() { r_.path_.pop_back(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Reader& r_;
  };

  void reset() {
    path_.clear();
    notes_.clear();
  }

  // An odd but legal value: the typed field is left empty or rounded, the payload keeps it.
  void note(std::string what) const { notes_.push_back(path() + ": " + std::move(what)); }
  void note_at(const std::string& at, std::string what) const { notes_.push_back(at + ": " + std::move(what)); }
  std::vector<std::string> take_notes() { return std::move(notes_); }

  std::string path() const {
    std::string out = "$";
    for (const auto& s : path_) {
      if (s.key.empty()) {
        out += fmt::format("[{}]", s.index);
      } else {
        out += '.';
        out += s.key;
      }
    }
    return out;
  }

  [[noreturn]] void fail(std::string reason) const { throw ParseError(path(), std::move(reason)); }

  void check(simdjson::error_code e) const {
    if (e != simdjson::SUCCESS) fail(simdjson::error_message(e));
  }

  od::json_type type_of(od::value& v) const {
    od::json_type t{};
    check(v.type().get(t));
    // type() looks at the first character only: a misspelt literal is invalid JSON, not an odd value.
    if (t == od::json_type::null) {
      bool is_null = false;
      check(v.is_null().get(is_null));
      if (!is_null) fail("invalid literal");
    } else if (t == od::json_type::boolean) {
      bool b = false;
      if (v.get_bool().get(b) != simdjson::SUCCESS) fail("invalid literal");
    }
    return t;
  }

  // The getters first try the expected type: a scalar getter that fails leaves the value
  // unread, so the slow path below can still classify it. The fast path halves the cost of
  // a field (type() plus get_number_type() plus the getter each rescan the token).
  std::optional<std::int64_t> opt_int(od::value& v) const {
    std::int64_t i = 0;
    if (v.get_int64().get(i) == simdjson::SUCCESS) return i;
    return opt_int_slow(v);
  }

  std::optional<std::int64_t> opt_int_slow(od::value& v) const {
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::number) return odd(fmt::format("expected an integer, got {}", type_name(t)));
    od::number_type nt{};
    if (v.get_number_type().get(nt) != simdjson::SUCCESS) {
      double d = 0;  // a valid number simdjson cannot type is one beyond 64 bits
      if (v.get_double().get(d) != simdjson::SUCCESS) fail("invalid number");
      return odd("integer out of range");
    }
    if (nt == od::number_type::unsigned_integer) return odd("integer out of range");
    if (nt == od::number_type::signed_integer) {
      std::int64_t i = 0;
      if (v.get_int64().get(i) == simdjson::SUCCESS) return i;
      return odd("integer out of range");  // below INT64_MIN
    }
    double d = 0;
    check(v.get_double().get(d));
    if (!(std::fabs(d) < 9.2e18)) return odd(fmt::format("integer out of range: {}", d));
    // The API sends some integers as 140.0; a fraction is rounded in the typed column.
    if (std::trunc(d) != d) note(fmt::format("rounded {} to an integer", d));
    return std::llround(d);
  }

  // Notes an odd value and leaves its typed field empty.
  std::nullopt_t odd(std::string what) const {
    note(std::move(what) + "; left empty");
    return std::nullopt;
  }

  std::optional<double> opt_double(od::value& v) const {
    double d = 0;
    if (v.get_double().get(d) == simdjson::SUCCESS) return d;
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::number) return odd(fmt::format("expected a number, got {}", type_name(t)));
    check(v.get_double().get(d));
    return d;
  }

  std::optional<bool> opt_bool(od::value& v) const {
    bool b = false;
    if (v.get_bool().get(b) == simdjson::SUCCESS) return b;
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::boolean) return odd(fmt::format("expected a boolean, got {}", type_name(t)));
    check(v.get_bool().get(b));
    return b;
  }

  std::optional<std::string> opt_string(od::value& v) const {
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::string) return odd(fmt::format("expected a string, got {}", type_name(t)));
    check(v.get_string().get(s));
    return std::string(s);
  }

  // Identifiers and labels the API sends as strings but sometimes as integers
  // (registrationID "5243681" or 5243681, buildingNumber, houseNumber): kept as text.
  std::optional<std::string> opt_text(od::value& v) const {
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
    od::json_type t = type_of(v);
    if (t == od::json_type::number) {
      if (auto i = opt_int(v)) return std::to_string(*i);
    }
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::string) fail(fmt::format("expected a string or an integer, got {}", type_name(t)));
    check(v.get_string().get(s));
    return std::string(s);
  }

  // nullopt for null; fails for anything but an object.
  std::optional<od::object> opt_object(od::value& v) const {
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::object) fail(fmt::format("expected an object, got {}", type_name(t)));
    od::object o;
    check(v.get_object().get(o));
    return o;
  }

  // Calls fn(key, value) for each field; the key is in the path while fn runs.
  template <typename Fn>
  void for_each_field(od::object& obj, Fn&& fn) {
    for (auto result : obj) {
      check(result.error());
      od::field& field = result.value_unsafe();  // in place: copying it stalls on the fresh stores
      std::string_view key;
      check(field.unescaped_key().get(key));
      Scope scope(*this, key);
      fn(key, field.value());
    }
  }

  // Calls fn(index, element) for each element of an array value (null = empty).
  template <typename Fn>
  void for_each_element(od::value& v, Fn&& fn) {
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return;
    if (t != od::json_type::array) fail(fmt::format("expected an array, got {}", type_name(t)));
    od::array arr;
    check(v.get_array().get(arr));
    std::size_t i = 0;
    for (auto result : arr) {
      Scope scope(*this, i);
      check(result.error());
      fn(i, result.value_unsafe());
      ++i;
    }
  }

 private:
  std::vector<Segment> path_;
  mutable std::vector<std::string> notes_;
};

class PayloadReader {
 public:
  explicit PayloadReader(Reader& r) : r_(r) {}

  // Long on purpose: one branch per top-level key, in the one pass simdjson's on-demand API
  // allows over an object (fields in document order; a lookup per key would rescan it).
  void read_root(od::object& root, PropertyRecord& rec) {
    bool has_id = false;
    std::optional<std::int64_t> road_municipality;
    std::optional<std::int64_t> municipality_code;
    r_.for_each_field(root, [&](std::string_view key, od::value& v) {
      if (key == "addressID") {
        // Two IDs in one payload: no way to know which property it describes.
        if (has_id) r_.fail("duplicate key");
        od::json_type t = r_.type_of(v);
        if (t == od::json_type::null) r_.fail("is null");
        if (t != od::json_type::string) r_.fail(fmt::format("expected a string, got {}", type_name(t)));
        rec.address_id = *r_.opt_string(v);
        if (rec.address_id.empty()) r_.fail("is empty");
        has_id = true;
      } else if (key == "addressType") {
        rec.address_type = r_.opt_string(v);
      } else if (key == "roadName") {
        rec.road_name = r_.opt_string(v);
      } else if (key == "houseNumber") {
        rec.house_number = r_.opt_text(v);
      } else if (key == "floor") {
        rec.floor = r_.opt_text(v);
      } else if (key == "door") {
        rec.door = r_.opt_text(v);
      } else if (key == "cityName") {
        rec.city_name = r_.opt_string(v);
      } else if (key == "zipCode") {
        rec.zip_code = r_.opt_int(v);
      } else if (key == "coordinates") {
        read_coordinates(v, rec);
      } else if (key == "livingArea") {
        rec.living_area = r_.opt_int(v);
      } else if (key == "weightedArea") {
        rec.weighted_area = r_.opt_double(v);
      } else if (key == "latestValuation") {
        rec.latest_valuation = r_.opt_int(v);
      } else if (key == "propertyNumber") {
        rec.property_number = r_.opt_int(v);
      } else if (key == "energyLabel") {
        rec.energy_label = r_.opt_string(v);
      } else if (key == "isOnMarket") {
        rec.is_on_market = r_.opt_bool(v);
      } else if (key == "isPublic") {
        rec.is_public = r_.opt_bool(v);
      } else if (key == "casePrice") {
        rec.case_price = r_.opt_int(v);
      } else if (key == "buildings") {
        rec.buildings.clear();
        r_.for_each_element(v, [&](std::size_t i, od::value& e) { read_building(e, i, rec.buildings); });
      } else if (key == "registrations") {
        rec.registrations.clear();
        r_.for_each_element(v, [&](std::size_t i, od::value& e) { read_registration(e, i, rec.registrations); });
      } else if (key == "cases") {
        rec.cases.clear();
        r_.for_each_element(v, [&](std::size_t i, od::value& e) { read_case(e, i, rec.cases); });
      } else if (key == "municipality") {
        rec.municipality = read_municipality(v);
        municipality_code = rec.municipality ? std::optional(rec.municipality->code) : std::nullopt;
      } else if (key == "province") {
        rec.province = read_province(v);
      } else if (key == "road") {
        rec.road = read_road(v);
        road_municipality = rec.road ? rec.road->municipality_code : std::nullopt;
      } else if (key == "zip") {
        rec.zip = read_zip(v);
      } else if (key == "city") {
        rec.city = read_city(v);
      }
    });
    if (!has_id) throw ParseError("$.addressID", "missing");
    rec.municipality_code = municipality_code ? municipality_code : road_municipality;
    if (!rec.case_price) rec.case_price = listing_price(rec.cases);
    keep_in_range(rec);
  }

 private:
  // Values the typed columns cannot hold (a negative area, a latitude of 1e308) are left
  // empty with a note: the property and its payload are stored all the same.
  void keep_in_range(PropertyRecord& rec) {
    const auto within = [&](auto& field, const char* path, double lo, double hi) {
      if (field && !(static_cast<double>(*field) >= lo && static_cast<double>(*field) <= hi)) {
        r_.note_at(path, fmt::format("{} is out of range; left empty", static_cast<double>(*field)));
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
  static std::optional<std::int64_t> listing_price(const std::vector<ListingCase>& cases) {
    const ListingCase* first = nullptr;
    for (const auto& c : cases) {
      if (c.distinction == "rental") continue;
      if (c.status == "open" && c.price_cash) return c.price_cash;
      if (!first) first = &c;
    }
    return first ? first->price_cash : std::nullopt;
  }

  void read_coordinates(od::value& v, PropertyRecord& rec) {
    auto obj = r_.opt_object(v);
    if (!obj) return;
    r_.for_each_field(*obj, [&](std::string_view key, od::value& f) {
      if (key == "lat") {
        rec.latitude = r_.opt_double(f);
      } else if (key == "lon") {
        rec.longitude = r_.opt_double(f);
      }
    });
  }

  void read_building(od::value& v, std::size_t index, std::vector<Building>& out) {
    auto obj = r_.opt_object(v);
    if (!obj) return;
    Building& b = out.emplace_back();  // filled in place: no move per element
    std::optional<std::string> number;
    r_.for_each_field(*obj, [&](std::string_view key, od::value& f) {
      if (key == "buildingNumber") {
        number = r_.opt_text(f);
      } else if (key == "buildingName") {
        b.building_name = r_.opt_string(f);
      } else if (key == "yearBuilt") {
        b.year_built = r_.opt_int(f);
      } else if (key == "yearRenovated") {
        b.year_renovated = r_.opt_int(f);
      } else if (key == "housingArea") {
        b.housing_area = r_.opt_int(f);
      } else if (key == "totalArea") {
        b.total_area = r_.opt_int(f);
      } else if (key == "basementArea") {
        b.basement_area = r_.opt_int(f);
      } else if (key == "numberOfRooms") {
        b.number_of_rooms = r_.opt_int(f);
      } else if (key == "numberOfFloors") {
        b.number_of_floors = r_.opt_int(f);
      } else if (key == "numberOfBathrooms") {
        b.number_of_bathrooms = r_.opt_int(f);
      } else if (key == "numberOfToilets") {
        b.number_of_toilets = r_.opt_int(f);
      } else if (key == "heatingInstallation") {
        b.heating_installation = r_.opt_string(f);
      } else if (key == "externalWallMaterial") {
        b.external_wall_material = r_.opt_string(f);
      } else if (key == "roofingMaterial") {
        b.roofing_material = r_.opt_string(f);
      }
    });
    b.building_key = number ? std::move(*number) : fmt::format("#{}", index + 1);
  }

  void read_registration(od::value& v, std::size_t index, std::vector<Registration>& out) {
    auto obj = r_.opt_object(v);
    if (!obj) return;
    Registration& reg = out.emplace_back();  // filled in place: no move per element
    std::optional<std::string> id;
    r_.for_each_field(*obj, [&](std::string_view key, od::value& f) {
      if (key == "registrationID") {
        id = r_.opt_text(f);
      } else if (key == "amount") {
        reg.amount = r_.opt_int(f);
      } else if (key == "date") {
        reg.date = r_.opt_string(f);
      } else if (key == "type") {
        reg.type = r_.opt_string(f);
      } else if (key == "livingArea") {
        reg.living_area = r_.opt_int(f);
      } else if (key == "area") {
        reg.area = r_.opt_int(f);
      } else if (key == "perAreaPrice") {
        reg.per_area_price = r_.opt_int(f);
      } else if (key == "municipalityCode") {
        reg.municipality_code = r_.opt_int(f);
      } else if (key == "propertyNumber") {
        reg.property_number = r_.opt_int(f);
      }
    });
    reg.registration_id = id ? std::move(*id) : fmt::format("#{}", index + 1);
  }

  void read_case(od::value& v, std::size_t index, std::vector<ListingCase>& out) {
    auto obj = r_.opt_object(v);
    if (!obj) return;
    ListingCase& c = out.emplace_back();  // filled in place: no move per element
    std::optional<std::string> id;
    r_.for_each_field(*obj, [&](std::string_view key, od::value& f) {
      if (key == "caseID") {
        id = r_.opt_text(f);
      } else if (key == "status") {
        c.status = r_.opt_string(f);
      } else if (key == "priceCash") {
        c.price_cash = r_.opt_int(f);
      } else if (key == "perAreaPrice") {
        c.per_area_price = r_.opt_int(f);
      } else if (key == "monthlyExpense") {
        c.monthly_expense = r_.opt_int(f);
      } else if (key == "daysOnMarket") {
        c.days_on_market = r_.opt_int(f);
      } else if (key == "housingArea") {
        c.housing_area = r_.opt_int(f);
      } else if (key == "lotArea") {
        c.lot_area = r_.opt_int(f);
      } else if (key == "priceChangePercentage") {
        c.price_change_percentage = r_.opt_double(f);
      } else if (key == "realtor") {
        if (auto realtor = r_.opt_object(f)) {
          r_.for_each_field(*realtor, [&](std::string_view k, od::value& rv) {
            if (k == "name") {
              c.realtor_name = r_.opt_string(rv);
            } else if (k == "contactInformation") {
              if (auto contact = r_.opt_object(rv)) {
                r_.for_each_field(*contact, [&](std::string_view ck, od::value& cv) {
                  if (ck == "phone") c.realtor_phone = r_.opt_string(cv);
                });
              }
            }
          });
        }
      } else if (key == "caseUrl") {
        c.case_url = r_.opt_string(f);
      } else if (key == "distinction") {
        c.distinction = r_.opt_string(f);
      } else if (key == "priceChanges") {
        c.price_changes.clear();
        r_.for_each_element(f, [&](std::size_t, od::value& e) { read_price_change(e, c.price_changes); });
      }
    });
    c.case_id = id ? std::move(*id) : fmt::format("#{}", index + 1);
  }

  void read_price_change(od::value& v, std::vector<PriceChange>& out) {
    auto obj = r_.opt_object(v);
    if (!obj) return;
    PriceChange& pc = out.emplace_back();  // filled in place: no move per element
    r_.for_each_field(*obj, [&](std::string_view key, od::value& f) {
      if (key == "date") {
        pc.date = r_.opt_string(f).value_or("");
      } else if (key == "priceCash") {
        pc.price = r_.opt_int(f);
      } else if (key == "priceChangePercentage") {
        pc.percentage = r_.opt_double(f);
      }
    });
  }

  // Each dimension exists only when its key field is present.
  std::optional<MunicipalityDim> read_municipality(od::value& v) {
    auto obj = r_.opt_object(v);
    if (!obj) return std::nullopt;
    MunicipalityDim m;
    std::optional<std::int64_t> code;
    r_.for_each_field(*obj, [&](std::string_view key, od::value& f) {
      if (key == "municipalityCode") {
        code = r_.opt_int(f);
      } else if (key == "name") {
        m.name = r_.opt_string(f).value_or("");
      } else if (key == "slug") {
        m.slug = r_.opt_string(f);
      } else if (key == "churchTaxPercentage") {
        m.church_tax_percentage = r_.opt_double(f);
      } else if (key == "councilTaxPercentage") {
        m.council_tax_percentage = r_.opt_double(f);
      } else if (key == "population") {
        m.population = r_.opt_int(f);
      }
    });
    if (!code) return std::nullopt;
    m.code = *code;
    return m;
  }

  std::optional<ProvinceDim> read_province(od::value& v) {
    auto obj = r_.opt_object(v);
    if (!obj) return std::nullopt;
    ProvinceDim p;
    std::optional<std::string> code;
    r_.for_each_field(*obj, [&](std::string_view key, od::value& f) {
      if (key == "provinceCode") {
        code = r_.opt_string(f);
      } else if (key == "name") {
        p.name = r_.opt_string(f).value_or("");
      } else if (key == "regionCode") {
        p.region_code = r_.opt_int(f);
      }
    });
    if (!code) return std::nullopt;
    p.code = std::move(*code);
    return p;
  }

  std::optional<RoadDim> read_road(od::value& v) {
    auto obj = r_.opt_object(v);
    if (!obj) return std::nullopt;
    RoadDim road;
    std::optional<std::string> id;
    r_.for_each_field(*obj, [&](std::string_view key, od::value& f) {
      if (key == "roadID") {
        id = r_.opt_text(f);
      } else if (key == "name") {
        road.name = r_.opt_string(f).value_or("");
      } else if (key == "roadCode") {
        road.road_code = r_.opt_int(f);
      } else if (key == "municipalityCode") {
        road.municipality_code = r_.opt_int(f);
      }
    });
    if (!id) return std::nullopt;
    road.road_id = std::move(*id);
    return road;
  }

  std::optional<ZipDim> read_zip(od::value& v) {
    auto obj = r_.opt_object(v);
    if (!obj) return std::nullopt;
    ZipDim zip;
    std::optional<std::int64_t> code;
    r_.for_each_field(*obj, [&](std::string_view key, od::value& f) {
      if (key == "zipCode") {
        code = r_.opt_int(f);
      } else if (key == "name") {
        zip.name = r_.opt_string(f).value_or("");
      }
    });
    if (!code) return std::nullopt;
    zip.zip_code = *code;
    return zip;
  }

  std::optional<CityDim> read_city(od::value& v) {
    auto obj = r_.opt_object(v);
    if (!obj) return std::nullopt;
    CityDim city;
    std::optional<std::string> slug;
    r_.for_each_field(*obj, [&](std::string_view key, od::value& f) {
      if (key == "slug") {
        slug = r_.opt_string(f);
      } else if (key == "name") {
        city.name = r_.opt_string(f).value_or("");
      }
    });
    if (!slug) return std::nullopt;
    city.slug = std::move(*slug);
    return city;
  }

  Reader& r_;
};

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

  PayloadReader(r).read_root(root, rec);
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
