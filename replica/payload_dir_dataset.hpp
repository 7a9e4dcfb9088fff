// The dataset of --payload-dir: exactly the address payloads recorded in a folder, served byte
// for byte, searchable by the fields the API filters on. Read once at startup; it never changes,
// so every --epoch serves the same data (nothing is removed, listed or re-priced).
#pragma once

#include <filesystem>
#include <vector>

#include "replica/dataset.hpp"
#include "replica/recorded_payloads.hpp"

namespace replica {

class PayloadDirDataset final : public Dataset {
 public:
  // Throws std::filesystem::filesystem_error when `dir` cannot be listed.
  explicit PayloadDirDataset(const std::filesystem::path& dir);

  SearchPage search(const SearchQuery& query) const override;
  std::optional<std::string> address(std::string_view address_id) const override;
  // Recorded folders hold no cases: no hits, every case ID unknown.
  SearchPage search_cases(const SearchQuery&) const override { return {}; }
  std::optional<std::string> case_by_id(std::string_view) const override { return std::nullopt; }
  // Every addressType a recorded payload carries (e.g. "special") is a value the API knows.
  std::vector<std::string> extra_address_types() const override;

  std::size_t size() const { return by_id_.size(); }

 private:
  std::vector<RecordedAddress> by_id_;        // sorted by addressID, each ID once
  std::vector<std::size_t> by_address_;       // positions in by_id_, by road name and house number
};

}  // namespace replica
