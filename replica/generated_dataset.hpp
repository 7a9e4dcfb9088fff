// The dataset generated from --seed/--scale/--epoch. Payloads are built per request; the
// only memory held is a compact per-municipality index (ID, zip, price, area, address)
// built on first use, so search can filter, count and sort without building payloads.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "replica/dataset.hpp"
#include "replica/epoch_timeline.hpp"
#include "replica/payload_generator.hpp"

namespace replica {

class GeneratedDataset final : public Dataset {
 public:
  explicit GeneratedDataset(DatasetConfig config);
  ~GeneratedDataset() override;

  SearchPage search(const SearchQuery& query) const override;
  std::optional<std::string> address(std::string_view address_id) const override;

 private:
  struct Entry;
  struct MunicipalityIndex;

  const MunicipalityIndex& index_of(std::size_t position) const;

  EpochTimeline timeline_;
  PayloadGenerator payloads_;
  std::vector<std::unique_ptr<MunicipalityIndex>> indexes_;  // one per municipality_table() row
};

}  // namespace replica
