// Everything one `etl run` needs besides its Store and HttpClient.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "etl/core/area_config.hpp"
#include "etl/core/enum_names.hpp"
#include "etl/pipeline/refresh_policy.hpp"
#include "etl/pipeline/shard.hpp"
#include "extractors/curl_multi_client.hpp"
#include "extractors/municipality_discovery.hpp"
#include "loaders/store.hpp"

namespace etl {

enum class DetailsMode { Always, Never };  // --details
inline constexpr EnumNames<DetailsMode, 2> kDetailsModeNames{{"always", "never"}};
constexpr std::string_view to_string(DetailsMode m) { return kDetailsModeNames(m); }

struct RunOptions {
  std::vector<Municipality> municipalities;  // in the order they are discovered
  std::string area_label;                     // for etl_runs and the summary
  std::string api_url = "https://api.boligsiden.dk";
  std::string address_types = DiscoveryOptions{}.address_type;  // the search's addressTypes; empty = all
  int workers = HttpOptions{}.max_in_flight;
  // Requests per second across all workers: politeness towards the real API by default
  // (0 = unlimited, for the replica and benchmarks).
  double max_rps = 10;
  std::size_t batch_size = 50;
  std::int64_t limit = 0;                     // 0 = no limit
  RefreshPolicy refresh;
  DetailsMode details = DetailsMode::Always;
  Shard shard = Shard::whole();
  bool dry_run = false;
  std::int64_t max_results = DiscoveryOptions{}.max_results;  // the API's cap on page x per_page
  std::string command_line;                   // argv with secrets redacted, for etl_runs

  // The stored properties the search of municipality `i` covers.
  PropertyScope scope(std::size_t i) const {
    PropertyScope s{municipalities[i].code, {}};
    for (std::size_t start = 0; start < address_types.size();) {
      const std::size_t comma = std::min(address_types.find(',', start), address_types.size());
      s.address_types.push_back(address_types.substr(start, comma - start));
      start = comma + 1;
    }
    return s;
  }
};

}  // namespace etl
