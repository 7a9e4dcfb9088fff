// Reads recorded Boligsiden address payloads from a folder for --payload-dir: each one's exact
// bytes plus the few fields the search filters on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace replica {

struct RecordedAddress {
  std::string id;       // addressID
  std::string payload;  // the object's bytes exactly as recorded
  std::optional<std::string> municipality;  // municipality.name
  std::optional<std::string> address_type;  // addressType
  std::optional<std::int64_t> zip_code;     // zipCode
  std::optional<double> valuation;          // latestValuation
  std::optional<double> living_area;        // livingArea
  std::string road_name;                    // roadName, for sortBy=address
  std::string house_number;                 // houseNumber
  std::string file;                         // where it was read, for log lines
};

// Every address in the *.json files under `dir` (recursively, in path order). A file may hold
// one address object (its payload is then the whole file), an array of them, or a search page
// {"addresses": [...]}. Files and array elements that are not address objects with a string
// addressID are skipped with one line on stderr each.
std::vector<RecordedAddress> read_recorded_addresses(const std::filesystem::path& dir);

}  // namespace replica
