#include "replica/payload_dir_dataset.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string_view>
#include <tuple>

namespace replica {
namespace {

// "17A" -> 17, so that 9 sorts before 10 as in the generated dataset's address order.
long leading_number(const std::string& house_number) {
  long n = 0;
  std::from_chars(house_number.data(), house_number.data() + house_number.size(), n);
  return n;
}

bool contains(const auto& wanted, const auto& value) {
  return std::find(wanted.begin(), wanted.end(), value) != wanted.end();
}

// Inclusive range filter; a payload without the field cannot be shown to be in range.
bool in_range(const std::optional<double>& value, const std::optional<std::int64_t>& min,
              const std::optional<std::int64_t>& max) {
  if (!min && !max) return true;
  return value && (!min || *value >= static_cast<double>(*min)) && (!max || *value <= static_cast<double>(*max));
}

bool matches(const SearchQuery& q, const RecordedAddress& a) {
  if (!q.municipalities.empty() && !(a.municipality && contains(q.municipalities, *a.municipality))) return false;
  if (!q.zip_codes.empty() && !(a.zip_code && contains(q.zip_codes, *a.zip_code))) return false;
  // A payload without addressType is found only by searches that do not filter on it.
  if (!q.address_types.empty() && !(a.address_type && contains(q.address_types, *a.address_type))) return false;
  return in_range(a.valuation, q.price_min, q.price_max) && in_range(a.living_area, q.area_min, q.area_max);
}

}  // namespace

PayloadDirDataset::PayloadDirDataset(const std::filesystem::path& dir) : by_id_(read_recorded_addresses(dir)) {
  std::stable_sort(by_id_.begin(), by_id_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  // The same ID in two files: the first in path order wins.
  const auto duplicate = [](const RecordedAddress& kept, const RecordedAddress& dropped) {
    if (kept.id != dropped.id) return false;
    std::fprintf(stderr, "replica-api: skipping %s: addressID %s already read from %s\n", dropped.file.c_str(),
                 dropped.id.c_str(), kept.file.c_str());
    return true;
  };
  by_id_.erase(std::unique(by_id_.begin(), by_id_.end(), duplicate), by_id_.end());

  by_address_.resize(by_id_.size());
  for (std::size_t i = 0; i < by_address_.size(); ++i) by_address_[i] = i;
  const auto address_key = [this](std::size_t i) {
    const RecordedAddress& a = by_id_[i];
    return std::tuple(std::string_view(a.road_name), leading_number(a.house_number),
                      std::string_view(a.house_number), i);
  };
  std::sort(by_address_.begin(), by_address_.end(),
            [&](std::size_t a, std::size_t b) { return address_key(a) < address_key(b); });
  std::fprintf(stderr, "replica-api: serving %zu recorded addresses from %s\n", by_id_.size(), dir.c_str());
}

// Recorded data keeps a stable default order (by addressID), unlike the generated data.
SearchPage PayloadDirDataset::search(const SearchQuery& q) const {
  SearchPage page;
  if (q.matches_nothing) return page;
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < by_id_.size(); ++i) {
    const std::size_t pos = q.sort_by == SortBy::none ? i : by_address_[i];
    if (matches(q, by_id_[pos])) order.push_back(pos);
  }
  // The sorts on a recorded field; a payload without the field comes last. Ties keep the
  // address order. The other sortBy values keep the address order.
  const auto by_field = [&](auto field) {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const std::optional<double> x = field(by_id_[a]), y = field(by_id_[b]);
      if (x && y) return *x < *y;
      return x.has_value() && !y.has_value();
    });
  };
  switch (q.sort_by) {
    case SortBy::price: by_field([](const RecordedAddress& a) { return a.valuation; }); break;
    case SortBy::living_area: by_field([](const RecordedAddress& a) { return a.living_area; }); break;
    case SortBy::zip_code:
      by_field([](const RecordedAddress& a) {
        return a.zip_code ? std::optional<double>(static_cast<double>(*a.zip_code)) : std::nullopt;
      });
      break;
    default: break;
  }
  if (!q.ascending) std::reverse(order.begin(), order.end());
  page.total_hits = order.size();
  const std::uint64_t first = static_cast<std::uint64_t>(q.page - 1) * static_cast<std::uint64_t>(q.per_page);
  for (std::uint64_t k = first; k < order.size() && k < first + static_cast<std::uint64_t>(q.per_page); ++k) {
    page.items.push_back(by_id_[order[k]].payload);
  }
  return page;
}

std::vector<std::string> PayloadDirDataset::extra_address_types() const {
  std::vector<std::string> types;
  for (const auto& a : by_id_) {
    if (a.address_type && !contains(types, *a.address_type)) types.push_back(*a.address_type);
  }
  return types;
}

std::optional<std::string> PayloadDirDataset::address(std::string_view address_id) const {
  const auto it = std::lower_bound(by_id_.begin(), by_id_.end(), address_id,
                                   [](const RecordedAddress& a, std::string_view id) { return a.id < id; });
  if (it == by_id_.end() || it->id != address_id) return std::nullopt;
  return it->payload;
}

}  // namespace replica
