// Last-wins folding of a batch's records and of a payload's children (see fold.hpp).
#include "loaders/fold.hpp"

#include <string>
#include <unordered_map>

namespace etl::loaders_detail {

namespace {

// `wins(later, earlier)`: whether a later item of the same key takes the earlier one's place.
template <class T, class Key, class Wins>
std::vector<const T*> fold(const std::vector<T>& items, Key key, Wins wins) {
  std::vector<const T*> out;
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& item : items) {
    const auto [it, inserted] = index.emplace(key(item), out.size());
    if (inserted) {
      out.push_back(&item);
    } else if (wins(item, *out[it->second])) {
      out[it->second] = &item;
    }
  }
  return out;
}

template <class T, class Key>
std::vector<const T*> fold_last(const std::vector<T>& items, Key key) {
  return fold(items, key, [](const T&, const T&) { return true; });
}

}  // namespace

bool replaces(const PropertyRecord& record, std::optional<bool> listed) {
  return record.is_on_market.has_value() || !listed.has_value() || record.search_hash.has_value();
}

std::vector<const PropertyRecord*> fold_batch(const std::vector<PropertyRecord>& records) {
  return fold(
      records, [](const PropertyRecord& r) { return r.address_id; },
      [](const PropertyRecord& later, const PropertyRecord& earlier) { return replaces(later, earlier.is_on_market); });
}

FoldedChildren fold_children(const PropertyRecord& record) {
  FoldedChildren out;
  out.buildings = fold_last(record.buildings, [](const Building& b) { return b.building_key; });
  out.registrations = fold_last(record.registrations, [](const Registration& r) { return r.registration_id; });
  for (const ListingCase* c : fold_last(record.cases, [](const ListingCase& c) { return c.case_id; })) {
    out.cases.push_back(FoldedCase{c, fold_last(c->price_changes, [](const PriceChange& p) { return p.date; })});
  }
  return out;
}

}  // namespace etl::loaders_detail
