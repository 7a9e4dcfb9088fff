// The merge's folding rules: a batch may name an address twice and a payload may repeat a
// child's key; the last occurrence wins, in first-seen order. Internal to loaders/.
#pragma once

#include <vector>

#include "etl/core/property_record.hpp"

namespace etl::loaders_detail {

// The records of a batch with duplicate address IDs folded.
std::vector<const PropertyRecord*> fold_batch(const std::vector<PropertyRecord>& records);

struct FoldedCase {
  const ListingCase* listing = nullptr;
  std::vector<const PriceChange*> price_changes;  // folded by date
};

// A record's children with duplicate keys folded; a repeated case brings its own price
// changes, not those of the case it replaces.
struct FoldedChildren {
  std::vector<const Building*> buildings;
  std::vector<const Registration*> registrations;
  std::vector<FoldedCase> cases;
};
FoldedChildren fold_children(const PropertyRecord& record);

}  // namespace etl::loaders_detail
