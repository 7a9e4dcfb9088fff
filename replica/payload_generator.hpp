// Builds the payloads of one generated property, shaped like the real fixtures: same keys,
// types, nesting and absent fields. The address object comes in three forms (see AddressForm);
// cases are shaped like case-offering.json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "replica/address_id.hpp"
#include "replica/epoch_timeline.hpp"
#include "replica/municipality_table.hpp"

namespace replica {

enum class AddressForm {
  detail,     // GET /addresses/{id} (and each search item with --search-items full)
  lean_item,  // a search item: no isOnMarket, slugAddress, casePrice or cases (sometimes "cases": null)
  in_case,    // nested in a case object: the detail without its cases
};

class PayloadGenerator {
 public:
  struct Context;

  explicit PayloadGenerator(const EpochTimeline& timeline) : timeline_(timeline) {}

  // The property must exist at the timeline's epoch.
  std::string address(const MunicipalityDef& m, std::uint32_t index, AddressForm form) const;
  // The open case of this kind and slot, with its property nested; nullopt when no such case is
  // open (or it is open but started in another epoch than `listing_epoch`).
  std::optional<std::string> case_object(const MunicipalityDef& m, std::uint32_t index, CaseKind kind, int slot,
                                         std::optional<int> listing_epoch = std::nullopt) const;

 private:
  Context context(const MunicipalityDef& m, std::uint32_t index) const;
  std::string address(Context& c, const MarketState& market, AddressForm form) const;

  const EpochTimeline& timeline_;
};

}  // namespace replica
