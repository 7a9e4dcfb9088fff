// One page of the address search: totalHits and each hit's ID with the hash of its raw JSON
// text (and the text itself, if asked).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/municipality_discovery.hpp"

namespace etl {

struct SearchPage {
  std::int64_t total_hits = 0;
  std::vector<DiscoveredItem> items;
  std::int64_t items_without_id = 0;  // hits that carried no usable addressID (skipped)
  std::vector<std::string> invalid_ids;  // of those, the string IDs that were not valid_api_id, escaped
};

// Reuses its simdjson parser and padded buffer across pages; one per thread.
class SearchPageParser {
 public:
  SearchPageParser();
  ~SearchPageParser();
  SearchPageParser(const SearchPageParser&) = delete;
  SearchPageParser& operator=(const SearchPageParser&) = delete;

  // Throws ParseError (JSON path + reason) when the body is not a search page. Each item's
  // text is copied into its payload only with `keep_payloads`.
  SearchPage parse(std::string_view body, bool keep_payloads = true);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace etl
