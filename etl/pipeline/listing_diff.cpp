#include "etl/pipeline/listing_diff.hpp"

#include <map>
#include <unordered_map>

namespace etl {

std::vector<ChangedAddress> diff_listings(const std::vector<StoredCase>& stored, const std::vector<ListedCase>& listed) {
  std::unordered_map<std::string, const StoredCase*> by_case;
  by_case.reserve(stored.size());
  std::vector<const StoredCase*> without_case;  // flagged on market, no open case row
  for (const StoredCase& s : stored) {
    if (s.case_id.empty()) {
      without_case.push_back(&s);
    } else {
      by_case.emplace(s.case_id, &s);
    }
  }
  std::map<std::string, ListingChange> changed;  // the first reason per address wins
  for (const ListedCase& l : listed) {
    const auto it = by_case.find(l.case_id);
    if (it == by_case.end() || it->second->address_id != l.address_id) {
      changed.emplace(l.address_id, ListingChange::Listed);
    } else if (it->second->price_cash != l.price_cash) {
      changed.emplace(l.address_id, ListingChange::PriceChanged);
    } else if (it->second->distinction != l.distinction) {
      changed.emplace(l.address_id, ListingChange::Other);
    }
    if (it != by_case.end()) by_case.erase(it);
  }
  for (const auto& [case_id, s] : by_case) changed.emplace(s->address_id, ListingChange::Ended);
  // Listed without a case it could be compared by: unless the API lists one now, it ended.
  for (const StoredCase* s : without_case) changed.emplace(s->address_id, ListingChange::Ended);
  std::vector<ChangedAddress> out;
  out.reserve(changed.size());
  for (auto& [address_id, change] : changed) out.push_back({address_id, change});
  return out;
}

const char* to_string(ListingChange change) {
  switch (change) {
    case ListingChange::Listed: return "listed";
    case ListingChange::PriceChanged: return "price_changed";
    case ListingChange::Ended: return "ended";
    case ListingChange::Other: return "other";
  }
  return "other";
}

}  // namespace etl
