#include "replica/payload_generator.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include "replica/address_id.hpp"
#include "replica/danish_text.hpp"
#include "replica/hashing.hpp"
#include "replica/json_writer.hpp"
#include "replica/market_shape.hpp"
#include "replica/property_facts.hpp"

namespace replica {

struct Coordinates {
  double lat, lon;
};

namespace {

using std::chrono::days;
using std::chrono::sys_days;

std::string iso_date(sys_days day) {
  const std::chrono::year_month_day ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

int year_of(sys_days day) { return static_cast<int>(std::chrono::year_month_day{day}.year()); }


// Rough centres of the postal regions (the zip's first digits), so coordinates land on land.
Coordinates zip_centre(int zip) {
  struct Area {
    int first_zip;
    double lat, lon, spread;
  };
  static constexpr std::array<Area, 9> kAreas = {{{1000, 55.68, 12.52, 0.08},
                                                  {3000, 55.93, 12.30, 0.15},
                                                  {3700, 55.12, 14.90, 0.10},
                                                  {4000, 55.45, 11.70, 0.35},
                                                  {5000, 55.30, 10.35, 0.30},
                                                  {6000, 55.35, 9.10, 0.40},
                                                  {7000, 56.15, 8.95, 0.40},
                                                  {8000, 56.25, 10.05, 0.35},
                                                  {9000, 57.10, 9.75, 0.35}}};
  const Area* area = &kAreas[0];
  for (const auto& a : kAreas) {
    if (zip >= a.first_zip) area = &a;
  }
  Draws d(hash_of(zip, Salt::road, 3));
  return {area->lat + (d.uniform() - 0.5) * area->spread, area->lon + (d.uniform() - 0.5) * area->spread * 1.6};
}

struct Registration {
  std::int64_t amount = 0;
  std::optional<int> area;
  sys_days date;
  std::optional<int> living_area;  // with perAreaPrice, or neither
  std::int64_t property_number = 0;
  std::string id;
  std::string_view type;
};

}  // namespace

// Everything about the property the nested objects repeat.
struct PayloadGenerator::Context {
  Context(const MunicipalityDef& municipality, std::uint32_t i, std::uint64_t s, std::uint32_t base)
      : m(municipality), index(i), seed(s), facts(property_facts(s, municipality, i, base)) {}

  const MunicipalityDef& m;
  std::uint32_t index;
  std::uint64_t seed;
  PropertyFacts facts;
  std::string id;
  std::string road;
  std::string road_slug;
  std::string house_number;
  std::string city_slug;
  std::string slug;
  std::string slug_address;
  Coordinates coordinates{};
  std::optional<std::string_view> energy_label;
  int year_built = 0;
  std::int64_t property_number = 0;
  std::optional<std::string> floor, door;
  int road_code = 0;
  std::string gstkvhx;
};

namespace {

using Context = PayloadGenerator::Context;

void write_coordinates(JsonWriter& w, Coordinates c) {
  w.key("coordinates").begin_object();
  w.key("lat").decimal(c.lat, 6).key("lon").decimal(c.lon, 6).field("type", "EPSG4326");
  w.end_object();
}

void write_links(JsonWriter& w, const std::string& href) {
  w.key("_links").begin_object().key("self").begin_object().field("href", href).end_object().end_object();
}

void write_image_sources(JsonWriter& w, std::string_view kind, const std::string& owner, std::uint64_t h,
                         std::span<const std::array<int, 2>> sizes, std::optional<std::string_view> alt) {
  const std::string image = uuid_from_hash(h);
  w.key("imageSources").begin_array();
  for (const auto& [width, height] : sizes) {
    w.begin_object();
    if (alt) w.field("alt", *alt);
    w.key("size").begin_object().field("height", height).field("width", width).end_object();
    w.field("url", "https://images.boligsiden.dk/images/" + std::string(kind) + "/" + owner + "/" +
                       std::to_string(width) + "x" + std::to_string(height) + "/" + image + ".webp");
    w.end_object();
  }
  w.end_array();
}

void write_municipality(JsonWriter& w, const MunicipalityDef& m) {
  Draws d(hash_of(m.code, Salt::facts));  // facts of the municipality, the same for every seed
  w.key("municipality").begin_object();
  w.key("churchTaxPercentage").decimal(0.4 + 0.01 * static_cast<double>(d.range(0, 60)), 2);
  w.key("councilTaxPercentage").decimal(23.0 + 0.01 * static_cast<double>(d.range(0, 330)), 2);
  w.field("landValueTaxLevelPerThousand", d.range(5, 34));
  w.field("municipalityCode", m.code);
  w.field("name", m.name);
  w.field("numberOfSchools", std::max<std::int64_t>(1, m.population / 5500 + d.range(0, 6)));
  w.field("population", m.population);
  w.field("slug", m.slug);
  w.end_object();
}

// The type of a recorded registration, in the measured proportions.
std::string_view registration_type(Draws& d) {
  using namespace market_shape;
  const double u = d.uniform();
  if (u < kAuctionShare) return "auction";
  if (u < kAuctionShare + kOtherShare) return "other";
  if (u < kAuctionShare + kOtherShare + kFamilyShare) return "family";
  return "normal";
}

// The history, recorded before epoch 0, is a function of the property only; sales the timeline
// registered since are prepended (newest first), so registrations only ever grow.
std::vector<Registration> registrations(const Context& c, Draws& d, sys_days history_end, int count,
                                        const std::vector<Sale>& sales) {
  std::vector<Registration> out;
  sys_days date = history_end - days(d.range(20, 4000));
  const double price_level = static_cast<double>(c.facts.valuation);
  for (int i = 0; i < count && year_of(date) >= 1992; ++i) {
    Registration r;
    const bool recent = year_of(date) >= 2024;  // newer registrations carry UUIDs
    r.date = date;
    r.amount = std::llround(price_level * std::pow(1.05, year_of(date) - year_of(history_end)) *
                            (0.8 + 0.3 * d.uniform()) / 1000.0) * 1000;
    if (d.chance(0.2)) r.amount += d.range(1, 9999);  // family transfers are rarely round
    if (d.chance(0.9)) r.area = c.facts.living_area + static_cast<int>(d.range(-4, 12));
    if (d.chance(0.5)) r.living_area = c.facts.living_area + static_cast<int>(d.range(-6, 6));
    r.property_number = recent ? 0 : c.property_number;
    r.id = recent ? uuid_from_hash(d.next()) : std::to_string(d.range(400000, 5900000));
    r.type = registration_type(d);
    out.push_back(std::move(r));
    date -= days(d.range(300, 4000));
  }
  // One sale registered on two neighbouring addresses appears under both, with one ID.
  const std::uint32_t pair = c.index / 2;
  Draws shared(hash_of(c.seed, c.m.code, pair, Salt::shared_sale));
  if (shared.chance(0.08)) {
    Registration r;
    r.date = history_end - days(shared.range(400, 9000));
    r.amount = shared.range(150, 900) * 10000;
    r.property_number = shared.range(100000, 999999);
    r.id = std::to_string(shared.range(400000, 5900000));
    r.type = "normal";
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.date > b.date; });
  // The real API sometimes lists one registration twice in one payload.
  if (!out.empty() && d.chance(0.04)) {
    const auto pos = static_cast<std::size_t>(d.range(0, static_cast<std::int64_t>(out.size()) - 1));
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(pos), out[pos]);
  }
  std::vector<Registration> recent;
  for (auto it = sales.rbegin(); it != sales.rend(); ++it) {
    Registration r;
    r.amount = it->amount;
    r.area = c.facts.living_area;
    r.date = it->date;
    r.living_area = c.facts.living_area;
    r.property_number = 0;
    r.id = uuid_from_hash(hash_of(c.seed, c.m.code, c.index, it->epoch, Salt::listing_end, 2));
    r.type = "normal";
    recent.push_back(std::move(r));
  }
  out.insert(out.begin(), std::make_move_iterator(recent.begin()), std::make_move_iterator(recent.end()));
  return out;
}

void write_registrations(JsonWriter& w, const Context& c, const std::vector<Registration>& regs) {
  w.key("registrations").begin_array();
  for (const auto& r : regs) {
    w.begin_object();
    w.field("amount", r.amount);
    if (r.area) w.field("area", *r.area);
    w.field("date", iso_date(r.date));
    if (r.living_area) w.field("livingArea", *r.living_area);
    w.field("municipalityCode", c.m.code);
    if (r.living_area) w.field("perAreaPrice", r.amount / *r.living_area);
    w.field("propertyNumber", r.property_number);
    w.field("registrationID", r.id);
    w.field("type", r.type);
    w.end_object();
  }
  w.end_array();
}

void write_buildings(JsonWriter& w, const Context& c, Draws& d) {
  w.key("buildings").begin_array();
  w.begin_object();
  const int rooms = std::clamp(c.facts.living_area / 30 + static_cast<int>(d.range(0, 2)), 2, 9);
  const int bathrooms = 1 + (c.facts.living_area > 150 ? 1 : 0);
  if (d.chance(0.4)) w.field("basementArea", d.range(20, 90));
  w.field("bathroomCondition", d.pick(vocabulary::bathroom_conditions));
  w.field("buildingName", "Fritliggende enfamilieshus (parcelhus)");
  w.field("buildingNumber", "1");
  if (d.chance(0.05)) w.field("businessArea", d.range(10, 40));
  w.field("externalWallMaterial", d.pick(vocabulary::wall_materials));
  w.field("heatingInstallation", d.pick(vocabulary::heating));
  w.field("housingArea", c.facts.living_area);
  w.field("kitchenCondition", d.pick(vocabulary::kitchen_conditions));
  if (d.chance(0.85)) w.field("numberOfBathrooms", bathrooms);
  w.field("numberOfFloors", d.range(1, 2));
  w.field("numberOfRooms", rooms);
  w.field("numberOfToilets", bathrooms + static_cast<int>(d.range(0, 1)));
  if (d.chance(0.05)) w.field("otherArea", d.range(5, 30));
  w.field("roofingMaterial", d.pick(vocabulary::roof_materials));
  if (d.chance(0.6)) w.field("supplementaryHeating", d.pick(vocabulary::supplementary_heating));
  w.field("toiletCondition", d.pick(vocabulary::toilet_conditions));
  w.field("totalArea", c.facts.living_area - static_cast<int>(d.range(0, 20)));
  w.field("yearBuilt", c.year_built);
  if (d.chance(0.15)) w.field("yearRenovated", std::min(2024, c.year_built + static_cast<int>(d.range(10, 60))));
  w.end_object();
  const auto extra = d.range(0, 2);
  for (int i = 0; i < extra; ++i) {
    w.begin_object();
    w.field("buildingName", d.pick(vocabulary::outbuildings));
    w.field("buildingNumber", std::to_string(i + 2));
    w.field("externalWallMaterial", d.pick(vocabulary::wall_materials));
    w.field("roofingMaterial", d.pick(vocabulary::roof_materials));
    w.field("totalArea", d.range(8, 45));
    w.field("yearBuilt", c.year_built + static_cast<int>(d.range(0, 30)));
    w.end_object();
  }
  w.end_array();
}

void write_sales_percentages(JsonWriter& w, const Context& c, Draws& d) {
  const auto entry = [&](std::string_view location_type, std::optional<std::string_view> name) {
    w.begin_object();
    if (!name || d.chance(0.5)) w.field("addressType", "villa");
    if (name) w.field("locationName", *name).field("locationType", location_type);
    w.key("salesPercentage").number(d.chance(0.1) ? 100.0 : 80.0 + 0.01 * static_cast<double>(d.range(0, 1999)), 2);
    w.end_object();
  };
  const std::string zip = std::to_string(c.facts.district->zip_code);
  w.key("salesPercentages").begin_object();
  w.key("all").begin_array();
  entry("all", std::nullopt);
  w.end_array();
  w.key("city").begin_array();
  entry("city", c.facts.district->city);
  w.end_array();
  w.key("municipality").begin_array();
  entry("municipality", c.m.name);
  w.end_array();
  w.key("province").begin_array();
  entry("province", c.m.province_name);
  w.end_array();
  w.key("zip_code").begin_array();
  entry("zip_code", zip);
  w.end_array();
  w.end_object();
}

// A few of the real survey questions: the shape of realtor.ratings at a fraction of its bulk.
constexpr std::array<std::string_view, 3> kBuyerQuestions = {
    "I hvilken grad var salgsmaterialet (salgsopstilling, præsentation på nettet mv.) dækkende for boligen?",
    "I hvilken grad havde ejendomsmægleren et godt kendskab til boligen?",
    "Vil du anbefale mæglerforretningen til andre?"};
constexpr std::array<std::string_view, 3> kSellerQuestions = {
    "Hvor tilfreds eller utilfreds var du med den aftalte markedsføring af boligen?",
    "I hvilken grad var prisen på ejendomsmæglerens ydelse passende?",
    "Vil du anbefale mæglerforretningen til andre?"};

void write_realtor(JsonWriter& w, const Context& c, std::size_t realtor_index) {
  const Realtor& realtor = vocabulary::realtors[realtor_index];
  const PostalDistrict& office = c.m.districts.front();
  Draws d(hash_of(c.seed, c.m.code, realtor_index, Salt::market_case, 1));  // one office per town and chain
  const std::string realtor_id = uuid_from_hash(d.next());
  const std::string branch_id = uuid_from_hash(hash_of(realtor_index, Salt::market_case, 2));
  const std::string office_road = road_name(c.seed, c.m.code, static_cast<std::uint32_t>(d.range(0, 7)));
  const std::string house = std::to_string(d.range(1, 60));
  w.key("realtor").begin_object();
  write_links(w, "/realtors/" + realtor_id);
  w.key("address").begin_object();
  w.key("city").begin_object().field("name", office.city).field("slug", slugify(office.city)).end_object();
  w.key("municipality").begin_object().field("municipalityCode", c.m.code).field("name", c.m.name);
  w.field("slug", c.m.slug).end_object();
  w.end_object();
  w.field("associationOfDanishRealtorsMember", d.chance(0.8));
  w.field("associationOfEloMember", d.chance(0.2));
  w.key("broadcast").begin_object().key("percentage").decimal(70.0 + 0.01 * static_cast<double>(d.range(0, 2999)), 2);
  w.field("target", 80).end_object();
  w.key("contactInformation").begin_object();
  w.field("cityName", office.city);
  w.field("cvr", std::to_string(d.range(10000000, 99999999)));
  w.field("email", std::to_string(d.range(100, 999)) + "@" + std::string(realtor.domain));
  w.field("floor", "st");
  w.field("houseNumber", house);
  w.field("phone", std::to_string(d.range(30000000, 99999999)));
  w.field("roadName", office_road);
  w.field("zipCode", office.zip_code);
  w.end_object();
  Draws text_draws(d.next());
  w.field("descriptionBody", realtor_text(text_draws, realtor, office.city));
  w.key("image").begin_object();
  static constexpr std::array<std::array<int, 2>, 1> kPortrait = {{{1440, 960}}};
  write_image_sources(w, "realtor_image", realtor_id, d.next(), kPortrait, std::nullopt);
  w.end_object();
  w.field("isNew", d.chance(0.1));
  w.field("name", realtor.chain);
  w.field("numberOfEmployees", d.range(3, 25));
  w.field("numberOfRealtors", d.range(1, 12));
  w.field("preferred", d.chance(0.5));
  w.key("rating").begin_object();
  for (const char* side : {"buyer", "seller"}) {
    w.key(side).begin_object().field("basis", d.range(5, 120));
    w.key("score").decimal(7.0 + 0.01 * static_cast<double>(d.range(0, 299)), 2).field("state", "valid").end_object();
  }
  w.end_object();
  w.key("ratings").begin_object();
  for (const auto& [side, questions] : {std::pair{"buyer", kBuyerQuestions}, std::pair{"seller", kSellerQuestions}}) {
    w.key(side).begin_object().key("questions").begin_array();
    for (const std::string_view text : questions) {
      w.begin_object().key("scores").begin_object();
      w.key("province").begin_object().field("basis", d.range(800, 2500));
      w.key("score").decimal(8.0 + 0.01 * static_cast<double>(d.range(0, 99)), 2).end_object();
      w.key("realtor").begin_object().field("basis", d.range(5, 120));
      w.key("score").decimal(7.0 + 0.01 * static_cast<double>(d.range(0, 299)), 2).field("state", "valid").end_object();
      w.end_object().field("text", text).end_object();
    }
    w.end_array().end_object();
  }
  w.end_object();
  w.key("realtorBranch").begin_object();
  w.key("logo").begin_object();
  static constexpr std::array<std::array<int, 2>, 1> kLogo = {{{60, 40}}};
  write_image_sources(w, "realtor_branch", branch_id, hash_of(realtor_index, Salt::market_case, 3), kLogo,
                      std::nullopt);
  w.end_object();
  w.field("name", realtor.branch);
  w.field("realtorBranchID", branch_id);
  w.end_object();
  w.field("realtorID", realtor_id);
  write_sales_percentages(w, c, d);
  const std::string office_slug = slugify(std::string(realtor.chain) + " " + office_road + " " + house + " " +
                                          std::to_string(office.zip_code) + " " + std::string(office.city));
  std::string compact_id = realtor_id;
  std::erase(compact_id, '-');
  w.field("slug", office_slug + "-" + compact_id);
  w.field("url", "https://www." + std::string(realtor.domain) + "/maegler/" + slugify(office.city));
  w.end_object();
}

// One case shaped like case-offering.json; `address` (serialised) is nested when not empty.
// `listing` carries the slot's own price; each slot of a sale is another realtor's case.
void write_case(JsonWriter& w, const Context& c, const Listing& listing, CaseKind kind, int slot, sys_days today,
                std::string_view address) {
  Draws d(hash_of(c.seed, c.m.code, c.index, listing.epoch, Salt::market_case, static_cast<int>(kind) + 1, slot));
  const std::string case_id = encode_case_id(c.seed, {c.m.code, c.index, listing.epoch, kind, slot});
  const bool rental = kind == CaseKind::rental;
  const std::string provider_case_id = std::to_string(d.range(10000000, 99999999));
  const std::size_t realtor_index =
      (static_cast<std::size_t>(d.range(0, vocabulary::realtors.size() - 1)) + static_cast<std::size_t>(slot)) %
      vocabulary::realtors.size();
  const Realtor& realtor = vocabulary::realtors[realtor_index];
  const std::int64_t price = listing.price_cash;
  const auto days_on_market = (today - listing.listed_since).count();
  const std::string city(c.facts.district->city);

  w.begin_object();
  write_links(w, "/cases/" + case_id);
  if (!address.empty()) w.key("address").raw(address);
  w.field("addressType", "villa");
  if (d.chance(0.4)) w.field("basementArea", d.range(20, 90));
  w.field("caseID", case_id);
  w.field("caseUrl", "https://www." + std::string(realtor.domain) + "/sag/?sagsnr=" + provider_case_id);
  write_coordinates(w, c.coordinates);
  w.field("daysOnMarket", days_on_market);
  const std::string alt = "Facade af villaen på " + c.road + " med have og indkørsel.";
  static constexpr std::array<std::array<int, 2>, 3> kThumbs = {{{100, 80}, {300, 200}, {600, 400}}};
  static constexpr std::array<std::array<int, 2>, 2> kLarge = {{{600, 400}, {1440, 960}}};
  const std::uint64_t cover = d.next();
  w.key("defaultImage").begin_object();
  write_image_sources(w, "case", case_id, cover, kThumbs, alt);
  w.end_object();
  Draws text(d.next());
  w.field("descriptionBody", sales_text(text, c.road + " " + c.house_number, city, c.facts.living_area,
                                        static_cast<std::size_t>(d.range(700, 1200))));
  w.field("descriptionTitle", sales_title(text, city));
  w.field("distinction", rental ? "rental" : "real_estate");
  if (c.energy_label) w.field("energyLabel", *c.energy_label);
  w.key("floorPlanImages").begin_array().begin_object();
  write_image_sources(w, "floor_plan_case", case_id, d.next(), kLarge, std::nullopt);
  w.end_object().end_array();
  w.field("hasBalcony", d.chance(0.1));
  w.field("hasElevator", false);
  w.field("hasTerrace", d.chance(0.6));
  w.field("highlighted", d.chance(0.05));
  w.field("housingArea", c.facts.living_area);
  w.key("images").begin_array().begin_object();
  write_image_sources(w, "case", case_id, cover, kLarge, alt);
  w.end_object().end_array();
  w.field("lotArea", d.range(300, 1600));
  const std::int64_t monthly_expense = d.range(15, 55) * 100;
  w.field("monthlyExpense", rental ? listing.monthly_rent : monthly_expense);
  if (d.chance(0.3)) {
    w.key("nextOpenHouse").begin_object();
    w.field("date", iso_date(today + days(d.range(2, 12))) + "T08:00:00Z");
    w.field("duration", d.range(2, 8) * 30);
    w.field("signUp", d.chance(0.5));
    w.field("signUpUrl", "http://www." + std::string(realtor.domain) + "/" + provider_case_id);
    w.end_object();
  }
  w.field("numberOfBathrooms", 1 + (c.facts.living_area > 150 ? 1 : 0));
  w.field("numberOfFloors", d.range(1, 2));
  w.field("numberOfRooms", std::clamp(c.facts.living_area / 30, 2, 9));
  w.field("numberOfToilets", 1 + (c.facts.living_area > 130 ? 1 : 0));
  w.field("perAreaPrice", price / c.facts.living_area);
  w.field("priceCash", price);
  w.key("priceChangePercentage").decimal(listing.change_percentage, 1);
  w.field("providerCaseID", provider_case_id);
  // A rental's priceCash is its deposit: nothing to finance.
  const std::int64_t down_payment = rental ? 0 : (price / 20 + 4999) / 5000 * 5000;
  const std::int64_t loan = rental ? 0 : price - down_payment;
  w.key("realEstate").begin_object().field("downPayment", down_payment);
  w.field("grossMortgage", loan / 180).field("netMortgage", loan / 230).end_object();
  write_realtor(w, c, realtor_index);
  w.field("slug", c.slug);
  w.field("slugAddress", c.slug_address);
  w.field("status", "open");
  w.key("timeOnMarket").begin_object();
  w.key("current").begin_object().field("days", days_on_market).end_object();
  w.key("total").begin_object().field("days", days_on_market);
  w.key("realtors").begin_array().begin_object().field("days", days_on_market);
  w.field("realtorId", uuid_from_hash(hash_of(c.seed, c.m.code, realtor_index, Salt::market_case, 1)));
  w.field("realtorName", realtor.chain).end_object().end_array();
  w.end_object().end_object();
  w.key("utilitiesConnectionFee").begin_object().key("includedInPrice").null().end_object();
  w.key("weightedArea").decimal(c.facts.living_area * 1.08 + 0.05, 2);
  w.field("yearBuilt", c.year_built);
  w.end_object();
}

std::string pad_left(std::string s, std::size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), '_');
  return s;
}

// Fills the context's fields from the property's own draws (the same for every form and night).
void prepare(Context& c, Draws& d) {
  const PostalDistrict& district = *c.facts.district;
  c.id = encode_address_id(c.seed, {c.m.code, c.index});
  c.road = road_name(c.seed, c.m.code, c.facts.road);
  c.road_slug = slugify(c.road);
  c.house_number = std::to_string(c.facts.house_number) + (d.chance(0.05) ? "A" : "");
  c.city_slug = slugify(district.city);
  c.property_number = d.range(100000, 999999);
  c.year_built = static_cast<int>(d.range(1900, 2022));
  if (d.chance(0.65)) c.energy_label = d.pick(vocabulary::energy_labels);
  const Coordinates centre = zip_centre(district.zip_code);
  c.coordinates = {centre.lat + (d.uniform() - 0.5) * 0.04, centre.lon + (d.uniform() - 0.5) * 0.06};
  if (d.chance(0.06)) c.floor = d.chance(0.5) ? "st" : "1";
  if (c.floor && d.chance(0.5)) c.door = d.chance(0.5) ? "th" : "tv";
  c.road_code = static_cast<int>(hash_of(c.seed, c.m.code, c.facts.road, Salt::road, 2) % 9000) + 100;
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%04d%04d", c.m.code, c.road_code);
  c.gstkvhx = std::string(prefix) + pad_left(c.house_number, 4) + pad_left(c.floor.value_or(""), 3) +
              pad_left(c.door.value_or(""), 4);
  c.slug_address = c.road_slug + "-" + slugify(c.house_number) + (c.floor ? "-" + *c.floor : "") +
                   (c.door ? "-" + *c.door : "") + "-" + std::to_string(district.zip_code) + "-" + c.city_slug;
  std::string gstkvhx_lower = c.gstkvhx;
  for (auto& ch : gstkvhx_lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  c.slug = c.slug_address + "-" + gstkvhx_lower;
}

}  // namespace

PayloadGenerator::Context PayloadGenerator::context(const MunicipalityDef& m, std::uint32_t index) const {
  return Context(m, index, timeline_.config().seed, timeline_.base_count(m));
}

std::string PayloadGenerator::address(const MunicipalityDef& m, std::uint32_t index, AddressForm form) const {
  Context c = context(m, index);
  return address(c, timeline_.market(m, index, c.facts.valuation), form);
}

std::optional<std::string> PayloadGenerator::case_object(const MunicipalityDef& m, std::uint32_t index, CaseKind kind,
                                                         int slot, std::optional<int> listing_epoch) const {
  Context c = context(m, index);
  const MarketState market = timeline_.market(m, index, c.facts.valuation);
  const std::optional<Listing>& listing = kind == CaseKind::rental ? market.rental : market.sale;
  if (!listing || (listing_epoch && listing->epoch != *listing_epoch)) return std::nullopt;
  if (slot < 0 || slot > listing->extra_cases) return std::nullopt;
  Listing own = *listing;
  own.price_cash = timeline_.slot_price(m, index, *listing, slot);
  const std::string nested = address(c, market, AddressForm::in_case);  // also prepares `c`
  JsonWriter w(24 * 1024);
  write_case(w, c, own, kind, slot, timeline_.today(), nested);
  return w.take();
}

std::string PayloadGenerator::address(Context& c, const MarketState& market, AddressForm form) const {
  const MunicipalityDef& m = c.m;
  const std::uint64_t seed = c.seed;
  const sys_days today = timeline_.today();
  const sys_days history_end = timeline_.date_of(0);
  Draws d(hash_of(seed, m.code, c.index, Salt::payload));
  const PostalDistrict& district = *c.facts.district;
  prepare(c, d);
  const bool lean = form == AddressForm::lean_item;

  const bool described = d.chance(0.6);
  // Recorded sales: none for some, one or two for most, a long history for a few; with the
  // shared and repeated ones below, 1.7 a villa as measured.
  const int register_count =
      d.chance(0.1) ? 0
                    : std::min(market_shape::kRegistrationsMax - 1,
                               1 + static_cast<int>(std::floor(std::log(1.0 - d.uniform()) / std::log(0.43))));
  const std::vector<Registration> regs = registrations(c, d, history_end, register_count, market.sales);

  JsonWriter w(form == AddressForm::detail && market.on_market() ? 24 * 1024 : 12 * 1024);
  w.begin_object();
  write_links(w, "/addresses/" + c.id);
  w.field("addressID", c.id);
  w.field("addressType", "villa");
  w.field("allowNewValuationInfo", d.chance(0.9));
  w.key("bfeNumbers").begin_array().value(d.range(1000000, 999999999)).end_array();
  if (d.chance(0.9)) {
    w.key("boligsidenInfo").begin_object().field("latestSoldArea", c.facts.living_area + d.range(-5, 15)).end_object();
  }
  write_buildings(w, c, d);
  if (lean) {
    // Search items carry no market fields; about half of them say "cases": null.
    if (hash_of(seed, m.code, c.index, Salt::lean) & 1) w.key("cases").null();
  } else if (market.on_market()) {
    w.field("casePrice", market.sale->price_cash);
    if (form == AddressForm::detail) {
      w.key("cases").begin_array();
      for (int slot = 0; slot <= market.sale->extra_cases; ++slot) {
        Listing own = *market.sale;
        own.price_cash = timeline_.slot_price(m, c.index, *market.sale, slot);
        write_case(w, c, own, CaseKind::real_estate, slot, today, {});
      }
      if (market.rental) write_case(w, c, *market.rental, CaseKind::rental, 0, today, {});
      w.end_array();
    }
  }
  w.key("city").begin_object().field("name", district.city).field("slug", c.city_slug).end_object();
  w.field("cityName", district.city);
  write_coordinates(w, c.coordinates);
  w.key("daysOnMarket").begin_object().key("realtors").begin_array().end_array().end_object();
  if (c.door) w.field("door", *c.door);
  if (c.energy_label) w.field("energyLabel", *c.energy_label);
  w.field("entryAddressID", uuid_from_hash(d.next()));
  if (c.floor) w.field("floor", *c.floor);
  w.field("gstkvhx", c.gstkvhx);
  w.field("houseNumber", c.house_number);
  if (!lean) w.field("isOnMarket", market.on_market());
  w.field("isPublic", true);
  if (described) {
    Draws text(d.next());
    w.key("latestSoldCaseDescription").begin_object();
    w.field("body", sales_text(text, c.road + " " + c.house_number, district.city, c.facts.living_area,
                               static_cast<std::size_t>(d.range(420, 520))));
    w.field("date", iso_date(history_end - days(d.range(200, 3000))));
    w.field("title", sales_title(text, district.city));
    w.end_object();
  }
  w.field("latestValuation", c.facts.valuation);
  w.field("livingArea", c.facts.living_area);
  write_municipality(w, m);
  w.field("propertyNumber", c.property_number);
  w.key("province").begin_object();
  w.field("name", m.province_name).field("provinceCode", m.province_code);
  w.field("regionCode", m.region_code).field("slug", m.province_slug).end_object();
  write_registrations(w, c, regs);
  w.key("road").begin_object();
  w.field("municipalityCode", m.code).field("name", c.road).field("roadCode", c.road_code);
  w.field("roadID", uuid_from_hash(hash_of(seed, m.code, c.facts.road, Salt::road, 4)));
  w.field("slug", c.road_slug);
  w.end_object();
  w.field("roadName", c.road);
  w.field("slug", c.slug);
  if (!lean) w.field("slugAddress", c.slug_address);
  if (d.chance(0.15)) w.key("weightedArea").decimal(c.facts.living_area * 1.05 + 0.05, 2);
  w.key("zip").begin_object();
  w.field("name", district.city).field("slug", c.city_slug).field("zipCode", district.zip_code).end_object();
  w.field("zipCode", district.zip_code);
  w.end_object();
  return w.take();
}

}  // namespace replica
