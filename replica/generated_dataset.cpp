#include "replica/generated_dataset.hpp"

#include <algorithm>
#include <string>

#include "replica/address_id.hpp"
#include "replica/danish_text.hpp"
#include "replica/property_facts.hpp"

namespace replica {

struct GeneratedDataset::Entry {
  std::uint32_t index;
  std::int32_t zip_code;
  std::int32_t living_area;
  std::uint32_t road;
  std::int64_t valuation;
  std::int32_t house_number;
};

struct GeneratedDataset::MunicipalityIndex {
  std::once_flag built;
  std::vector<Entry> by_id;                 // the living properties in index order
  std::vector<std::uint32_t> by_address;    // positions in by_id, sorted by road name and number
};

namespace {

const MunicipalityDef* find_municipality(int code) {
  const auto table = municipality_table();
  const auto it = std::lower_bound(table.begin(), table.end(), code,
                                   [](const MunicipalityDef& m, int c) { return m.code < c; });
  return it != table.end() && it->code == code ? &*it : nullptr;
}

}  // namespace

GeneratedDataset::GeneratedDataset(DatasetConfig config) : timeline_(config), payloads_(timeline_) {
  for (std::size_t i = 0; i < municipality_table().size(); ++i) indexes_.push_back(std::make_unique<MunicipalityIndex>());
}

GeneratedDataset::~GeneratedDataset() = default;

const GeneratedDataset::MunicipalityIndex& GeneratedDataset::index_of(std::size_t position) const {
  MunicipalityIndex& idx = *indexes_[position];
  std::call_once(idx.built, [&] {
    const MunicipalityDef& m = municipality_table()[position];
    const std::uint64_t seed = timeline_.config().seed;
    const std::uint32_t limit = timeline_.index_limit(m);
    idx.by_id.reserve(limit);
    for (std::uint32_t i = 0; i < limit; ++i) {
      if (!timeline_.alive(m, i)) continue;
      const PropertyFacts f = property_facts(seed, m, i);
      idx.by_id.push_back({i, f.district->zip_code, f.living_area, f.road, f.valuation, f.house_number});
    }
    std::vector<std::string> road_names(road_count(m));
    for (std::uint32_t r = 0; r < road_names.size(); ++r) road_names[r] = road_name(seed, m.code, r);
    idx.by_address.resize(idx.by_id.size());
    for (std::uint32_t p = 0; p < idx.by_address.size(); ++p) idx.by_address[p] = p;
    std::sort(idx.by_address.begin(), idx.by_address.end(), [&](std::uint32_t a, std::uint32_t b) {
      const Entry& x = idx.by_id[a];
      const Entry& y = idx.by_id[b];
      const int names = road_names[x.road].compare(road_names[y.road]);
      if (names != 0) return names < 0;
      if (x.house_number != y.house_number) return x.house_number < y.house_number;
      return x.index < y.index;
    });
  });
  return idx;
}

SearchPage GeneratedDataset::search(const SearchQuery& q) const {
  SearchPage page;
  const bool villas_wanted = q.address_types.empty() ||
                             std::find(q.address_types.begin(), q.address_types.end(), "villa") != q.address_types.end();
  if (q.matches_nothing || !villas_wanted) return page;  // only villas are generated
  const auto table = municipality_table();
  const auto matches = [&](const Entry& e) {
    if (!q.zip_codes.empty() && std::find(q.zip_codes.begin(), q.zip_codes.end(), e.zip_code) == q.zip_codes.end()) {
      return false;
    }
    return (!q.price_min || e.valuation >= *q.price_min) && (!q.price_max || e.valuation <= *q.price_max) &&
           (!q.area_min || e.living_area >= *q.area_min) && (!q.area_max || e.living_area <= *q.area_max);
  };
  const std::uint64_t first = static_cast<std::uint64_t>(q.page - 1) * static_cast<std::uint64_t>(q.per_page);
  const std::uint64_t end = first + static_cast<std::uint64_t>(q.per_page);
  // Without a municipality, results come grouped by municipality code.
  std::vector<std::size_t> positions;
  for (std::size_t p = 0; p < table.size(); ++p) {
    if (q.municipality && table[p].name != *q.municipality) continue;
    if (!q.zip_codes.empty() && std::none_of(table[p].districts.begin(), table[p].districts.end(), [&](const auto& d) {
          return std::find(q.zip_codes.begin(), q.zip_codes.end(), d.zip_code) != q.zip_codes.end();
        })) {
      continue;
    }
    positions.push_back(p);
  }
  if (!q.ascending) std::reverse(positions.begin(), positions.end());
  for (const std::size_t p : positions) {
    const MunicipalityIndex& idx = index_of(p);
    const std::size_t n = idx.by_id.size();
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = q.ascending ? k : n - 1 - k;
      const Entry& e = idx.by_id[q.sort_by_address ? idx.by_address[i] : i];
      if (!matches(e)) continue;
      if (page.total_hits >= first && page.total_hits < end) page.addresses.push_back(payloads_.address(table[p], e.index));
      ++page.total_hits;
    }
  }
  return page;
}

std::optional<std::string> GeneratedDataset::address(std::string_view address_id) const {
  const auto key = decode_address_id(timeline_.config().seed, address_id);
  if (!key) return std::nullopt;
  const MunicipalityDef* m = find_municipality(key->municipality_code);
  if (!m || !timeline_.alive(*m, key->index)) return std::nullopt;
  return payloads_.address(*m, key->index);
}

}  // namespace replica
