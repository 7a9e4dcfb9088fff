#include "replica/property_facts.hpp"

#include <algorithm>
#include <cmath>

#include "replica/hashing.hpp"

namespace replica {
namespace {

// Each road lies in one postal district, picked by the districts' villa shares.
const PostalDistrict& district_of_road(std::uint64_t seed, const MunicipalityDef& m, std::uint32_t road) {
  int total = 0;
  for (const auto& d : m.districts) total += d.weight;
  auto pick = static_cast<int>(hash_of(seed, m.code, road, Salt::road) % static_cast<std::uint64_t>(total));
  for (const auto& d : m.districts) {
    if (pick < d.weight) return d;
    pick -= d.weight;
  }
  return m.districts.back();
}

}  // namespace

std::uint32_t road_count(const MunicipalityDef& m) {
  // Independent of --scale, so a property's road does not depend on the scale either.
  return static_cast<std::uint32_t>(std::max(8, m.villas / 30));
}

PropertyFacts property_facts(std::uint64_t seed, const MunicipalityDef& m, std::uint32_t index) {
  const std::uint32_t block = index / kBlockSize;
  const std::uint64_t block_hash = hash_of(seed, m.code, block, Salt::road);
  PropertyFacts f;
  f.road = static_cast<std::uint32_t>(block_hash % road_count(m));
  f.district = &district_of_road(seed, m, f.road);
  f.house_number = 1 + 2 * static_cast<int>(index % kBlockSize) + 24 * static_cast<int>((block_hash >> 40) % 8);

  Draws d(hash_of(seed, m.code, index, Salt::facts));
  // Living area: mostly 90-200 m², a tail of large houses.
  const double u = d.uniform();
  f.living_area = 60 + static_cast<int>(u * u * 190.0 + d.uniform() * 50.0);
  const double factor = 0.6 + 0.9 * d.uniform();
  f.valuation = std::llround(f.living_area * m.price_per_m2 * factor / 1000.0) * 1000;
  return f;
}

}  // namespace replica
