// What changed in a municipality's listings since the last run: the open cases the API lists
// now (/search/cases) against the open cases stored. Each changed address is named once,
// with the first reason found; an address whose cases are unchanged is not named at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "extractors/case_page.hpp"
#include "loaders/store.hpp"  // StoredCase

namespace etl {

enum class ListingChange {
  Listed,        // a case the store does not hold (a new listing, or a relisting's new caseID)
  PriceChanged,  // the same case at another price
  Ended,         // a stored open case the API no longer lists (sold, withdrawn, or the property gone)
  Other,         // the same case with another distinction
};

struct ChangedAddress {
  std::string address_id;
  ListingChange change;
};

// Deterministic: ordered by address ID.
std::vector<ChangedAddress> diff_listings(const std::vector<StoredCase>& stored, const std::vector<ListedCase>& listed);

const char* to_string(ListingChange change);

}  // namespace etl
