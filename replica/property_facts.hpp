// The facts search filters and sorts on, cheap enough to compute for a whole municipality.
#pragma once

#include <cstdint>
#include <string>

#include "replica/municipality_table.hpp"

namespace replica {

struct PropertyFacts {
  const PostalDistrict* district = nullptr;
  std::uint32_t road = 0;  // road number within the municipality
  int house_number = 0;
  int living_area = 0;          // m², always present: area bisection must partition everything
  std::int64_t valuation = 0;   // latestValuation, always present for the same reason
};

// `base`: the municipality's property count at epoch 0 (its villas at this scale). Indices
// below it fill the districts in order, in proportion to their villas, so every scale has
// the districts' shares; later ones (new properties) land in a district by its share.
PropertyFacts property_facts(std::uint64_t seed, const MunicipalityDef& m, std::uint32_t index, std::uint32_t base);

// Properties come in blocks of neighbours on one road.
constexpr std::uint32_t kBlockSize = 12;

std::uint32_t road_count(const MunicipalityDef& m);

}  // namespace replica
