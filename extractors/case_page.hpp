// One page of /search/cases: totalHits and, per open listing (case), what the nightly
// refresh compares with the stored cases: its ID, its address's ID, price and distinction,
// and where its address lies (municipality, address type), which the run's scope is checked by.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace etl {

struct ListedCase {
  std::string case_id;
  std::string address_id;                 // the case's address.addressID
  std::optional<std::int64_t> price_cash; // for a rental, a deposit; a float is rounded
  std::string distinction;                // "real_estate", "rental", or absent
  std::string status;                     // "open" for every listing the search returns
  std::uint64_t hash = 0;                 // payload_hash of the case's JSON text: any change shows
  std::optional<std::int64_t> municipality_code{};  // address.municipality.municipalityCode, if given
  std::string address_type{};             // address.addressType, or empty
};

struct CasePage {
  std::int64_t total_hits = 0;
  std::vector<ListedCase> cases;       // `"cases": null` reads as none
  std::int64_t cases_without_id = 0;   // no valid caseID or address.addressID (skipped)
};

// Reuses its simdjson parser and padded buffer across pages; one per thread.
class CasePageParser {
 public:
  CasePageParser();
  ~CasePageParser();
  CasePageParser(const CasePageParser&) = delete;
  CasePageParser& operator=(const CasePageParser&) = delete;

  // Throws ParseError (JSON path + reason) when the body is not a case search page.
  CasePage parse(std::string_view body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace etl
