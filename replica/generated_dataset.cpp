#include "replica/generated_dataset.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

#include "replica/address_id.hpp"
#include "replica/danish_text.hpp"
#include "replica/hashing.hpp"
#include "replica/property_facts.hpp"

namespace replica {

struct GeneratedDataset::Entry {
  std::uint64_t id_order;  // orders like the address ID's text
  std::int64_t valuation;
  std::uint32_t index;
  std::int32_t zip_code;
  std::int32_t living_area;
  std::uint32_t road;
  std::int32_t house_number;
};

struct GeneratedDataset::CaseEntry {
  std::int64_t price_cash;
  std::uint32_t entry;  // position in by_id
  std::int32_t change_permille;  // priceChangePercentage x 10
  std::int32_t days_on_market;
  CaseKind kind;
  std::uint8_t slot;
};

struct GeneratedDataset::MunicipalityIndex {
  std::once_flag built;
  std::vector<Entry> by_id;  // the living properties in index order
  std::once_flag cases_built;
  std::vector<CaseEntry> cases;  // the open cases, by property
};

struct GeneratedDataset::Hit {
  std::int64_t key;
  std::uint64_t tie;
  std::uint32_t item;  // position in by_id or cases
  std::uint16_t municipality;
  std::uint16_t minor;  // the case kind and slot, after the address ID
};

namespace {

const MunicipalityDef* find_municipality(int code) {
  const auto table = municipality_table();
  const auto it = std::lower_bound(table.begin(), table.end(), code,
                                   [](const MunicipalityDef& m, int c) { return m.code < c; });
  return it != table.end() && it->code == code ? &*it : nullptr;
}

bool villas_wanted(const SearchQuery& q) {
  return q.address_types.empty() ||
         std::find(q.address_types.begin(), q.address_types.end(), "villa") != q.address_types.end();
}

bool in_range(std::int64_t v, const std::optional<std::int64_t>& min, const std::optional<std::int64_t>& max) {
  return (!min || v >= *min) && (!max || v <= *max);
}

bool zip_wanted(const SearchQuery& q, int zip) {
  return q.zip_codes.empty() || std::find(q.zip_codes.begin(), q.zip_codes.end(), zip) != q.zip_codes.end();
}

}  // namespace

GeneratedDataset::GeneratedDataset(DatasetConfig config, bool full_search_items)
    : timeline_(config), payloads_(timeline_), full_search_items_(full_search_items) {
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
      const PropertyFacts f = property_facts(seed, m, i, timeline_.base_count(m));
      idx.by_id.push_back({address_id_order(seed, {m.code, i}), f.valuation, i, f.district->zip_code, f.living_area,
                           f.road, f.house_number});
    }
  });
  return idx;
}

const GeneratedDataset::MunicipalityIndex& GeneratedDataset::cases_of(std::size_t position) const {
  const MunicipalityIndex& built = index_of(position);
  MunicipalityIndex& idx = *indexes_[position];
  std::call_once(idx.cases_built, [&] {
    const MunicipalityDef& m = municipality_table()[position];
    const auto today = timeline_.today();
    for (std::uint32_t p = 0; p < built.by_id.size(); ++p) {
      const Entry& e = built.by_id[p];
      const MarketState s = timeline_.market(m, e.index, e.valuation);
      for (const auto& [listing, kind] : {std::pair{&s.sale, CaseKind::real_estate}, std::pair{&s.rental, CaseKind::rental}}) {
        if (!*listing) continue;
        const Listing& l = **listing;
        for (int slot = 0; slot <= l.extra_cases; ++slot) {
          idx.cases.push_back({timeline_.slot_price(m, e.index, l, slot), p,
                               static_cast<std::int32_t>(std::lround(l.change_percentage * 10)),
                               static_cast<std::int32_t>((today - l.listed_since).count()), kind,
                               static_cast<std::uint8_t>(slot)});
        }
      }
    }
    idx.cases.shrink_to_fit();
  });
  return idx;
}

// Road names ranked across all municipalities, so one integer orders by (road name, number).
const std::vector<std::vector<std::uint32_t>>& GeneratedDataset::road_ranks() const {
  std::call_once(roads_built_, [&] {
    const auto table = municipality_table();
    const std::uint64_t seed = timeline_.config().seed;
    std::vector<std::tuple<std::string, std::size_t, std::uint32_t>> names;
    road_ranks_.resize(table.size());
    for (std::size_t p = 0; p < table.size(); ++p) {
      road_ranks_[p].resize(road_count(table[p]));
      for (std::uint32_t r = 0; r < road_ranks_[p].size(); ++r) names.emplace_back(road_name(seed, table[p].code, r), p, r);
    }
    std::sort(names.begin(), names.end());
    std::uint32_t rank = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i > 0 && std::get<0>(names[i]) != std::get<0>(names[i - 1])) ++rank;
      road_ranks_[std::get<1>(names[i])][std::get<2>(names[i])] = rank;
    }
  });
  return road_ranks_;
}

std::vector<std::size_t> GeneratedDataset::municipalities_of(const SearchQuery& q) const {
  std::vector<std::size_t> positions;
  if (q.matches_nothing || !villas_wanted(q)) return positions;  // only villas are generated
  const auto table = municipality_table();
  for (std::size_t p = 0; p < table.size(); ++p) {
    if (!q.municipalities.empty() &&
        std::find(q.municipalities.begin(), q.municipalities.end(), table[p].name) == q.municipalities.end()) {
      continue;
    }
    if (std::none_of(table[p].districts.begin(), table[p].districts.end(),
                     [&](const auto& d) { return zip_wanted(q, d.zip_code); })) {
      continue;
    }
    positions.push_back(p);
  }
  return positions;
}

void GeneratedDataset::order(std::vector<Hit>& hits, const SearchQuery& q, std::size_t end) {
  end = std::min(end, hits.size());
  if (q.sort_by == SortBy::none) {
    // A fresh shuffle for every request: only the first `end` places are drawn.
    Draws d(q.shuffle_key);
    for (std::size_t i = 0; i < end; ++i) {
      const auto j = i + static_cast<std::size_t>(d.next() % (hits.size() - i));
      std::swap(hits[i], hits[j]);
    }
    return;
  }
  const auto less = [](const Hit& a, const Hit& b) {
    return std::tie(a.key, a.tie, a.minor) < std::tie(b.key, b.tie, b.minor);
  };
  if (q.ascending) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(end), hits.end(), less);
  } else {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(end), hits.end(),
                      [&](const Hit& a, const Hit& b) { return less(b, a); });
  }
}

std::pair<std::size_t, std::size_t> GeneratedDataset::page_of(std::vector<Hit>& hits, const SearchQuery& q,
                                                             SearchPage& page) {
  page.total_hits = hits.size();
  const std::uint64_t first = static_cast<std::uint64_t>(q.page - 1) * static_cast<std::uint64_t>(q.per_page);
  const std::uint64_t end = std::min<std::uint64_t>(first + static_cast<std::uint64_t>(q.per_page), hits.size());
  if (first >= end) return {0, 0};
  order(hits, q, static_cast<std::size_t>(end));
  return {static_cast<std::size_t>(first), static_cast<std::size_t>(end)};
}

SearchPage GeneratedDataset::search(const SearchQuery& q) const {
  SearchPage page;
  const auto table = municipality_table();
  const auto& ranks = q.sort_by == SortBy::none ? road_ranks_ : road_ranks();
  std::vector<Hit> hits;
  for (const std::size_t p : municipalities_of(q)) {
    const MunicipalityIndex& idx = index_of(p);
    for (std::uint32_t i = 0; i < idx.by_id.size(); ++i) {
      const Entry& e = idx.by_id[i];
      if (!zip_wanted(q, e.zip_code) || !in_range(e.valuation, q.price_min, q.price_max) ||
          !in_range(e.living_area, q.area_min, q.area_max)) {
        continue;
      }
      std::int64_t key = 0;
      switch (q.sort_by) {
        case SortBy::none: break;
        case SortBy::living_area: key = e.living_area; break;
        case SortBy::price: key = e.valuation; break;
        case SortBy::per_area_price: key = e.valuation / e.living_area; break;
        case SortBy::zip_code: key = e.zip_code; break;
        default:  // address, road and the sorts the replica has no facts for
          key = (static_cast<std::int64_t>(ranks[p][e.road]) << 24) | e.house_number;
      }
      hits.push_back({key, e.id_order, i, static_cast<std::uint16_t>(p), 0});
    }
  }
  const auto [first, end] = page_of(hits, q, page);
  const AddressForm form = full_search_items_ ? AddressForm::detail : AddressForm::lean_item;
  for (std::size_t k = first; k < end; ++k) {
    const Hit& h = hits[k];
    page.items.push_back(payloads_.address(table[h.municipality], index_of(h.municipality).by_id[h.item].index, form));
  }
  return page;
}

std::optional<std::string> GeneratedDataset::address(std::string_view address_id) const {
  const auto key = decode_address_id(timeline_.config().seed, address_id);
  if (!key) return std::nullopt;
  const MunicipalityDef* m = find_municipality(key->municipality_code);
  if (!m || !timeline_.alive(*m, key->index)) return std::nullopt;
  return payloads_.address(*m, key->index, AddressForm::detail);
}

SearchPage GeneratedDataset::search_cases(const SearchQuery& q) const {
  SearchPage page;
  const auto table = municipality_table();
  const auto& ranks = road_ranks();
  std::vector<Hit> hits;
  for (const std::size_t p : municipalities_of(q)) {
    const MunicipalityIndex& idx = cases_of(p);
    for (std::uint32_t i = 0; i < idx.cases.size(); ++i) {
      const CaseEntry& c = idx.cases[i];
      const Entry& e = idx.by_id[c.entry];
      if (!zip_wanted(q, e.zip_code) || !in_range(c.price_cash, q.price_min, q.price_max) ||
          !in_range(e.living_area, q.area_min, q.area_max)) {
        continue;
      }
      std::int64_t key = 0;
      switch (q.sort_by) {
        case SortBy::none: break;
        case SortBy::living_area: key = e.living_area; break;
        case SortBy::price: key = c.price_cash; break;
        case SortBy::per_area_price: key = c.price_cash / e.living_area; break;
        case SortBy::price_change: key = c.change_permille; break;
        case SortBy::time_on_market: key = c.days_on_market; break;
        case SortBy::zip_code: key = e.zip_code; break;
        default: key = (static_cast<std::int64_t>(ranks[p][e.road]) << 24) | e.house_number;
      }
      // Ties: the sale's cases by slot, then the rental.
      hits.push_back({key, e.id_order, i, static_cast<std::uint16_t>(p),
                      static_cast<std::uint16_t>(static_cast<int>(c.kind) * 32 + c.slot)});
    }
  }
  const auto [first, end] = page_of(hits, q, page);
  for (std::size_t k = first; k < end; ++k) {
    const Hit& h = hits[k];
    const MunicipalityIndex& idx = cases_of(h.municipality);
    const CaseEntry& c = idx.cases[h.item];
    if (auto body = payloads_.case_object(table[h.municipality], idx.by_id[c.entry].index, c.kind, c.slot)) {
      page.items.push_back(std::move(*body));
    }
  }
  return page;
}

std::optional<std::string> GeneratedDataset::case_by_id(std::string_view case_id) const {
  const auto key = decode_case_id(timeline_.config().seed, case_id);
  if (!key) return std::nullopt;
  const MunicipalityDef* m = find_municipality(key->municipality_code);
  if (!m || !timeline_.alive(*m, key->index)) return std::nullopt;
  return payloads_.case_object(*m, key->index, key->kind, key->slot, key->listing_epoch);
}

}  // namespace replica
