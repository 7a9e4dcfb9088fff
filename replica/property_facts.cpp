// A property's district, road, living area and valuation, drawn from the real market's shape.
#include "replica/property_facts.hpp"

#include <algorithm>
#include <cmath>

#include "replica/hashing.hpp"
#include "replica/market_shape.hpp"

namespace replica {
namespace {

using namespace market_shape;

// Independent of --scale, so a district's road names do not depend on the scale either.
std::uint32_t roads_in(const PostalDistrict& d) { return static_cast<std::uint32_t>(std::max(1, d.villas / 30)); }

struct Placement {
  std::size_t district;
  std::uint32_t block;  // within the district
};

Placement place(std::uint64_t seed, const MunicipalityDef& m, std::uint32_t index, std::uint32_t base) {
  const auto total = static_cast<double>(m.villas);
  if (index < base) {
    // Index i sits at (i + 0.5) / base of the municipality's villas: each district holds its
    // share to within one property, and a block never straddles two districts.
    const double at = (index + 0.5) / base * total;
    double start = 0;
    for (std::size_t k = 0; k < m.districts.size(); ++k) {
      const double end = start + m.districts[k].villas;
      if (at < end || k + 1 == m.districts.size()) {
        const auto first = static_cast<std::uint32_t>(std::max(0.0, std::ceil(start / total * base - 0.5)));
        return {k, (index - first) / kBlockSize};
      }
      start = end;
    }
  }
  // New properties: a block of them lands in a district picked by the districts' villas.
  const std::uint32_t block = (index - base) / kBlockSize;
  auto pick = static_cast<int>(hash_of(seed, m.code, block, Salt::road, 5) % static_cast<std::uint64_t>(m.villas));
  for (std::size_t k = 0; k < m.districts.size(); ++k) {
    if (pick < m.districts[k].villas) return {k, block + (1u << 24)};  // blocks apart from the base's
    pick -= m.districts[k].villas;
  }
  return {m.districts.size() - 1, block + (1u << 24)};
}

}  // namespace

std::uint32_t road_count(const MunicipalityDef& m) {
  std::uint32_t roads = 0;
  for (const auto& d : m.districts) roads += roads_in(d);
  return roads;
}

PropertyFacts property_facts(std::uint64_t seed, const MunicipalityDef& m, std::uint32_t index, std::uint32_t base) {
  const Placement at = place(seed, m, index, base);
  const std::uint64_t block_hash = hash_of(seed, m.code, m.districts[at.district].zip_code, at.block, Salt::road);
  PropertyFacts f;
  f.district = &m.districts[at.district];
  std::uint32_t first_road = 0;
  for (std::size_t k = 0; k < at.district; ++k) first_road += roads_in(m.districts[k]);
  f.road = first_road + static_cast<std::uint32_t>(block_hash % roads_in(*f.district));
  f.house_number = 1 + 2 * static_cast<int>(index % kBlockSize) + 24 * static_cast<int>((block_hash >> 40) % 8);

  Draws d(hash_of(seed, m.code, index, Salt::facts));
  f.living_area = std::clamp(static_cast<int>(std::lround(kAreaMedian * std::exp(kAreaSigma * d.normal()))), kAreaMin,
                             kAreaMax);
  // Price per m²: the area's measured quantiles, shifted by the municipality's level.
  const double z =
      kMunicipalityWeight * m.price_level + std::sqrt(1 - kMunicipalityWeight * kMunicipalityWeight) * d.normal();
  double per_m2 = std::clamp(split_lognormal(z, kPerM2P10, kPerM2P50, kPerM2P90), kPerM2Min, kPerM2Max);
  const double odd = d.uniform();
  if (odd < kLuxuryShare) {
    per_m2 = kPerM2P90 * std::pow(kPerM2Max / kPerM2P90, d.uniform());
  } else if (odd < kLuxuryShare + kRuinShare) {
    per_m2 = kPerM2Min * std::pow(kPerM2P10 / kPerM2Min, d.uniform());
  }
  const double value = std::clamp(per_m2 * f.living_area, static_cast<double>(kPriceMin), static_cast<double>(kPriceMax));
  f.valuation = std::llround(value / 1000.0) * 1000;
  return f;
}

}  // namespace replica
