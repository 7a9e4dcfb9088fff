// Last-wins folding of a batch's records and of a payload's children (see fold.hpp).
#include "loaders/fold.hpp"

#include <string>
#include <unordered_map>

namespace etl::loaders_detail {

namespace {

template <class T, class Key>
std::vector<const T*> fold_last(const std::vector<T>& items, Key key) {
  std::vector<const T*> out;
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& item : items) {
    const auto [it, inserted] = index.emplace(key(item), out.size());
    if (inserted) {
      out.push_back(&item);
    } else {
      out[it->second] = &item;
    }
  }
  return out;
}

}  // namespace

std::vector<const PropertyRecord*> fold_batch(const std::vector<PropertyRecord>& records) {
  return fold_last(records, [](const PropertyRecord& r) { return r.address_id; });
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
