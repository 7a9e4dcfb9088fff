// The merge's folding rules: a batch may name an address twice and a payload may repeat a
// child's key; the last occurrence wins, in first-seen order, but a search item never
// displaces a detail (replaces). Internal to loaders/.
#pragma once

#include <optional>
#include <vector>

#include "etl/core/property_record.hpp"

namespace etl::loaders_detail {

// Whether `record` replaces a version of its address (stored, or earlier in the batch) that
// says `listed`: a detail says whether the property is on the market (isOnMarket); a search
// item (nullopt) does not, and carries no cases. A saved search item (import-json: no search
// hash) replaces only another search item, so what a detail says is never blanked whatever
// order files are read in. A run's search item (--details never, which loads one only for a
// property its listings do not show) replaces what is stored, as a clean --details never
// import stores it, and records the end of a listing that ended. A detail replaces any version.
bool replaces(const PropertyRecord& record, std::optional<bool> listed);

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
