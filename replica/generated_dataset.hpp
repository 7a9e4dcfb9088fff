// The dataset generated from --seed/--scale/--epoch. Payloads are built per request; the
// only memory held is a compact per-municipality index (ID order, zip, price, area, address)
// built on first use, and a smaller index of the open cases built on the first case search,
// so search can filter, count and sort without building payloads.
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
  // `full_search_items`: search items are the details byte for byte (--search-items full).
  GeneratedDataset(DatasetConfig config, bool full_search_items);
  ~GeneratedDataset() override;

  SearchPage search(const SearchQuery& query) const override;
  std::optional<std::string> address(std::string_view address_id) const override;
  SearchPage search_cases(const SearchQuery& query) const override;
  std::optional<std::string> case_by_id(std::string_view case_id) const override;

 private:
  struct Entry;
  struct CaseEntry;
  struct MunicipalityIndex;
  struct Hit;

  const MunicipalityIndex& index_of(std::size_t position) const;
  const MunicipalityIndex& cases_of(std::size_t position) const;
  const std::vector<std::vector<std::uint32_t>>& road_ranks() const;
  std::vector<std::size_t> municipalities_of(const SearchQuery& q) const;
  // Puts the first `end` hits in the order the query asks for (sorted, or a fresh shuffle).
  static void order(std::vector<Hit>& hits, const SearchQuery& q, std::size_t end);
  // Counts the hits into `page`, orders as many as the requested page needs and returns the
  // page's range [first, end) of them (empty past the last page).
  static std::pair<std::size_t, std::size_t> page_of(std::vector<Hit>& hits, const SearchQuery& q, SearchPage& page);

  EpochTimeline timeline_;
  PayloadGenerator payloads_;
  bool full_search_items_;
  std::vector<std::unique_ptr<MunicipalityIndex>> indexes_;  // one per municipality_table() row
  mutable std::once_flag roads_built_;
  mutable std::vector<std::vector<std::uint32_t>> road_ranks_;  // per municipality, per road: rank of its name
};

}  // namespace replica
