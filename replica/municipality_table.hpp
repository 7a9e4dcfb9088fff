// The replica's own definition of Denmark's municipalities (generated; see tools/).
#pragma once

#include <span>
#include <string_view>

namespace replica {

struct PostalDistrict {
  int zip_code;
  std::string_view city;  // the postal district's name, e.g. "København S"
  int villas;             // at --scale 1
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
  int villas;           // at --scale 1: the sum of its districts'
  double listed_share;  // of its villas listed at any night
  double price_level;   // its price per m², in standard scores over the copenhagen area's listings
  std::span<const PostalDistrict> districts;
};

// All 98 municipalities, ordered by code.
std::span<const MunicipalityDef> municipality_table();

}  // namespace replica
