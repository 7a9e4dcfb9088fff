// The table map (see table_map.hpp). Column order is the schema's (schema/*/001_initial.sql,
// then the columns later migrations add at the end); tests/loaders/table_map_test.cpp checks
// both dialects' schemas against it.
#include "loaders/table_map.hpp"

#include <fmt/format.h>

#include <array>
#include <unordered_map>

#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

// --- rows of one record ---------------------------------------------------------------

void collect_record(const PropertyRecord& r, const FoldedChildren&, std::vector<Row>& out) {
  out.push_back(Row{&r, &r});
}

template <auto Dimension>
void collect_dimension(const PropertyRecord& r, const FoldedChildren&, std::vector<Row>& out) {
  if (const auto& d = r.*Dimension) out.push_back(Row{&r, &*d});
}

template <auto Children>
void collect_children(const PropertyRecord& r, const FoldedChildren& f, std::vector<Row>& out) {
  for (const auto* child : f.*Children) out.push_back(Row{&r, child});
}

void collect_cases(const PropertyRecord& r, const FoldedChildren& f, std::vector<Row>& out) {
  for (const FoldedCase& c : f.cases) out.push_back(Row{&r, c.listing});
}

void collect_price_changes(const PropertyRecord& r, const FoldedChildren& f, std::vector<Row>& out) {
  for (const FoldedCase& c : f.cases) {
    for (const PriceChange* p : c.price_changes) out.push_back(Row{&r, p, c.listing});
  }
}

// --- columns read otherwise than as a plain field ---------------------------------------

Value record_id(const Row& row) { return &row.record->address_id; }
Value case_id(const Row& row) { return &row.listing->case_id; }
Value payload_hash(const Row& row) { return hash_to_db(row.record->payload_hash); }
Value search_hash(const Row& row) { return value_of(hash_to_db(row.record->search_hash)); }

Value event_kind(const Row& row) {
  static const auto names = [] {
    std::array<std::string, kEventKinds> out;
    for (std::size_t i = 0; i < kEventKinds; ++i) out[i] = std::string(kEventKindNames.names[i]);
    return out;
  }();
  return &names[static_cast<std::size_t>(std::get<const PropertyEvent*>(row.item)->kind)];
}

// Columns of more than one table (or of the touch as well as the upsert of a property).
constexpr Column kAddressId{"address_id", Kind::text, record_id};
constexpr Column kSearchHash{"search_hash", Kind::integer, search_hash, Source::model, OnConflict::coalesce};
constexpr Column kLastSeenAt{"last_seen_at", Kind::time, nullptr, Source::run_time};
constexpr Column kFetchedAt{"fetched_at", Kind::time, nullptr, Source::run_time};

using P = PropertyRecord;
constexpr Column kPropertyColumns[] = {
    kAddressId,
    col<&P::address_type>("address_type"),
    col<&P::road_name>("road_name"),
    col<&P::house_number>("house_number"),
    col<&P::floor>("floor"),
    col<&P::door>("door"),
    col<&P::city_name>("city_name"),
    col<&P::zip_code>("zip_code"),
    col<&P::municipality_code>("municipality_code"),
    col<&P::latitude>("latitude"),
    col<&P::longitude>("longitude"),
    col<&P::living_area>("living_area"),
    col<&P::weighted_area>("weighted_area"),
    col<&P::latest_valuation>("latest_valuation"),
    col<&P::property_number>("property_number"),
    col<&P::energy_label>("energy_label"),
    col<&P::is_on_market>("is_on_market"),
    col<&P::is_public>("is_public"),
    col<&P::case_price>("case_price"),
    {"payload_hash", Kind::integer, payload_hash},
    {"first_seen_at", Kind::time, nullptr, Source::run_time, OnConflict::keep},
    kLastSeenAt,
    kFetchedAt,
    {"removed_at", Kind::time, nullptr, Source::null},  // a written property is not removed
    kSearchHash,  // a record without one keeps the stored one
};

// The payload, in a table of its own (schema/sqlite/010): it kept every properties row ~8 KB wide.
constexpr Column kPayloadColumns[] = {kAddressId, {"raw_json", Kind::json, field<&P::raw_json>}};

constexpr Column kBuildingColumns[] = {
    kAddressId,
    col<&Building::building_key>("building_key"),
    col<&Building::building_name>("building_name"),
    col<&Building::year_built>("year_built"),
    col<&Building::year_renovated>("year_renovated"),
    col<&Building::housing_area>("housing_area"),
    col<&Building::total_area>("total_area"),
    col<&Building::basement_area>("basement_area"),
    col<&Building::number_of_rooms>("number_of_rooms"),
    col<&Building::number_of_floors>("number_of_floors"),
    col<&Building::number_of_bathrooms>("number_of_bathrooms"),
    col<&Building::number_of_toilets>("number_of_toilets"),
    col<&Building::heating_installation>("heating_installation"),
    col<&Building::external_wall_material>("external_wall_material"),
    col<&Building::roofing_material>("roofing_material"),
};

constexpr Column kRegistrationColumns[] = {
    kAddressId,
    col<&Registration::registration_id>("registration_id"),
    col<&Registration::amount>("amount"),
    col<&Registration::date>("date"),
    col<&Registration::type>("type"),
    col<&Registration::living_area>("living_area"),
    col<&Registration::area>("area"),
    col<&Registration::per_area_price>("per_area_price"),
    col<&Registration::municipality_code>("municipality_code"),
    col<&Registration::property_number>("property_number"),
};

using C = ListingCase;
constexpr Column kCaseColumns[] = {
    kAddressId,
    col<&C::case_id>("case_id"),
    col<&C::status>("status"),
    col<&C::price_cash>("price_cash"),
    col<&C::per_area_price>("per_area_price"),
    col<&C::monthly_expense>("monthly_expense"),
    col<&C::days_on_market>("days_on_market"),
    col<&C::housing_area>("housing_area"),
    col<&C::lot_area>("lot_area"),
    col<&C::price_change_percentage>("price_change_percentage"),
    col<&C::realtor_name>("realtor_name"),
    col<&C::case_url>("case_url"),
    col<&C::realtor_phone>("realtor_phone"),
    col<&C::distinction>("distinction"),
    {"ended_at", Kind::time, nullptr, Source::null},  // a written case is open (or as its status says)
};

constexpr Column kPriceChangeColumns[] = {
    kAddressId,
    {"case_id", Kind::text, case_id},
    col<&PriceChange::date>("date"),
    col<&PriceChange::price>("price"),
    col<&PriceChange::percentage>("percentage"),
};

// Dimensions: the name is the latest one; a value the record does not know keeps the stored one.
constexpr auto kCoalesce = OnConflict::coalesce;
constexpr Column kMunicipalityColumns[] = {
    col<&MunicipalityDim::code>("code"),
    col<&MunicipalityDim::name>("name"),
    col<&MunicipalityDim::slug>("slug", kCoalesce),
    col<&MunicipalityDim::church_tax_percentage>("church_tax_percentage", kCoalesce),
    col<&MunicipalityDim::council_tax_percentage>("council_tax_percentage", kCoalesce),
    col<&MunicipalityDim::population>("population", kCoalesce),
};
constexpr Column kProvinceColumns[] = {
    col<&ProvinceDim::code>("code"),
    col<&ProvinceDim::name>("name"),
    col<&ProvinceDim::region_code>("region_code", kCoalesce),
};
constexpr Column kRoadColumns[] = {
    col<&RoadDim::road_id>("road_id"),
    col<&RoadDim::name>("name"),
    col<&RoadDim::road_code>("road_code", kCoalesce),
    col<&RoadDim::municipality_code>("municipality_code", kCoalesce),
};
constexpr Column kZipColumns[] = {col<&ZipDim::zip_code>("zip_code"), col<&ZipDim::name>("name")};
constexpr Column kCityColumns[] = {col<&CityDim::slug>("slug"), col<&CityDim::name>("name")};

using E = PropertyEvent;
constexpr Column kEventColumns[] = {
    col<&E::address_id>("address_id"),
    {"kind", Kind::text, event_kind},
    col<&E::case_id>("case_id"),
    col<&E::old_price>("old_price"),
    col<&E::new_price>("new_price"),
    col<&E::percent>("percent"),
    col<&E::sale_amount>("sale_amount"),
    col<&E::sale_date>("sale_date"),
    col<&E::run_id>("run_id"),
    {"observed_at", Kind::time, nullptr, Source::run_time},
};
constexpr Column kEndCaseColumns[] = {
    col<&CaseEnd::address_id>("address_id"),
    col<&CaseEnd::case_id>("case_id"),
    {"ended_at", Kind::time, nullptr, Source::run_time},
};
constexpr Column kEventAddress = col<&E::address_id>("address_id");
constexpr Column kRemoveColumns[] = {kEventAddress, {"removed_at", Kind::time, nullptr, Source::run_time}};
constexpr Column kResolveRemovedColumns[] = {kEventAddress, {"resolved_at", Kind::time, nullptr, Source::run_time}};

constexpr Column kTouchColumns[] = {kAddressId, kSearchHash, kLastSeenAt, kFetchedAt};
constexpr Column kSeenColumns[] = {kAddressId, kLastSeenAt};
constexpr Column kResolveColumns[] = {kAddressId, {"resolved_at", Kind::time, nullptr, Source::run_time}};

constexpr Table kProperties{"properties", Write::upsert, 1, kPropertyColumns, collect_record};
constexpr Table kPayloads{"property_payloads", Write::upsert, 1, kPayloadColumns, collect_record};
constexpr Table kBuildings{"buildings", Write::insert, 2, kBuildingColumns,
                           collect_children<&FoldedChildren::buildings>};
constexpr Table kRegistrations{"registrations", Write::insert, 2, kRegistrationColumns,
                               collect_children<&FoldedChildren::registrations>};
constexpr Table kCases{"cases", Write::upsert, 2, kCaseColumns, collect_cases};  // a reopened case is rewritten
constexpr Table kPriceChanges{"price_changes", Write::insert, 3, kPriceChangeColumns, collect_price_changes};
constexpr Table kMunicipalities{"municipalities", Write::upsert, 1, kMunicipalityColumns,
                                collect_dimension<&P::municipality>};
constexpr Table kProvinces{"provinces", Write::upsert, 1, kProvinceColumns, collect_dimension<&P::province>};
constexpr Table kRoads{"roads", Write::upsert, 1, kRoadColumns, collect_dimension<&P::road>};
constexpr Table kZipCodes{"zip_codes", Write::upsert, 1, kZipColumns, collect_dimension<&P::zip>};
constexpr Table kCities{"cities", Write::upsert, 1, kCityColumns, collect_dimension<&P::city>};
constexpr Table kTouch{"properties", Write::update, 1, kTouchColumns, collect_record};
constexpr Table kSeen{"properties", Write::update, 1, kSeenColumns, collect_record};
constexpr Table kResolveFailures{"etl_failures", Write::update, 1, kResolveColumns, collect_record,
                                 "resolved_at IS NULL"};

// Parents before children: SQLite checks each foreign key as the row is written.
constexpr const Table* kChangedTables[] = {&kMunicipalities, &kProvinces, &kRoads, &kZipCodes, &kCities,
                                           &kProperties,     &kPayloads,  &kBuildings,     &kRegistrations,
                                           &kCases,          &kPriceChanges};
constexpr const Table* kChildTables[] = {&kBuildings, &kRegistrations, &kPriceChanges};

constexpr Table kEvents{"property_events", Write::insert, 0, kEventColumns, nullptr};
// Only an open case ends: a rerun does not move the end of one that ended before.
constexpr Table kEndCases{"cases", Write::update, 2, kEndCaseColumns, nullptr, "ended_at IS NULL"};
constexpr Table kRemove{"properties", Write::update, 1, kRemoveColumns, nullptr, "removed_at IS NULL"};
constexpr Table kResolveRemoved{"etl_failures", Write::update, 1, kResolveRemovedColumns, nullptr,
                                "resolved_at IS NULL"};
constexpr const Table* kHistoryTables[] = {&kEvents, &kEndCases, &kRemove, &kResolveRemoved};

// A row's key as one string: each key value's type, then the value (a string with its length).
struct KeyAppender {
  std::string& key;
  void operator()(std::monostate) const { key += 'n'; }
  void operator()(const std::string* v) const { key += fmt::format("s{}:{}", v->size(), *v); }
  void operator()(std::int64_t v) const { key += fmt::format("i{};", v); }
  void operator()(double v) const { key += fmt::format("d{};", v); }
  void operator()(bool v) const { key += v ? "t" : "f"; }
};

}  // namespace

std::vector<Row> rows_to_write(const Table& table, std::vector<Row> rows) {
  if (table.write != Write::upsert || rows.size() < 2) return rows;
  std::vector<Row> out;
  out.reserve(rows.size());
  std::unordered_map<std::string, std::size_t> index;
  for (Row& row : rows) {
    std::string key;
    for (std::size_t i = 0; i < table.keys; ++i) std::visit(KeyAppender{key}, table.columns[i].read(row));
    const auto [it, inserted] = index.emplace(std::move(key), out.size());
    if (inserted) {
      out.push_back(row);
    } else {
      out[it->second] = row;
    }
  }
  return out;
}

std::span<const Table* const> changed_tables() { return kChangedTables; }
std::span<const Table* const> child_tables() { return kChildTables; }
const Table& touch_table() { return kTouch; }
const Table& seen_table() { return kSeen; }
const Table& resolve_failures_table() { return kResolveFailures; }
const Table& events_table() { return kEvents; }
const Table& end_cases_table() { return kEndCases; }
const Table& remove_table() { return kRemove; }
const Table& resolve_removed_table() { return kResolveRemoved; }
std::span<const Table* const> history_tables() { return kHistoryTables; }

}  // namespace etl::loaders_detail
