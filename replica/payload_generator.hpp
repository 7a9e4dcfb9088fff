// Builds the address object (the detail payload, also each search item) of one generated
// property, shaped like the real fixtures: same keys, types, nesting and absent fields.
#pragma once

#include <cstdint>
#include <string>

#include "replica/epoch_timeline.hpp"
#include "replica/municipality_table.hpp"

namespace replica {

class PayloadGenerator {
 public:
  explicit PayloadGenerator(const EpochTimeline& timeline) : timeline_(timeline) {}

  // The property must exist at the timeline's epoch.
  std::string address(const MunicipalityDef& m, std::uint32_t index) const;

 private:
  const EpochTimeline& timeline_;
};

}  // namespace replica
