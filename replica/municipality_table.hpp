// The replica's own definition of Denmark's municipalities (generated; see tools/).
#pragma once

#include <span>
#include <string_view>

namespace replica {

struct PostalDistrict {
  int zip_code;
  std::string_view city;  // the postal district's name, e.g. "København S"
  int weight;             // relative share of the municipality's villas
};

struct MunicipalityDef {
  int code;  // official municipality code
  std::string_view name;  // as the API spells it
  std::string_view slug;
  int region_code;
  std::string_view province_code;
  std::string_view province_name;
  std::string_view province_slug;
  int population;
  int villas;        // at --scale 1
  int price_per_m2;  // typical villa price level in DKK
  std::span<const PostalDistrict> districts;
};

// All 98 municipalities, ordered by code.
std::span<const MunicipalityDef> municipality_table();

}  // namespace replica
