// Address IDs that carry their own (municipality, index): a detail lookup decodes the ID
// instead of searching a table, and check bits reject IDs the replica never issued.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace replica {

struct PropertyKey {
  int municipality_code = 0;
  std::uint32_t index = 0;  // position in the municipality, new properties get new indices
};

std::string encode_address_id(std::uint64_t seed, PropertyKey key);

// nullopt when the text is not an ID this seed would issue.
std::optional<PropertyKey> decode_address_id(std::uint64_t seed, std::string_view id);

// A version-4-looking UUID for any other generated ID (roads, cases, realtors...).
std::string uuid_from_hash(std::uint64_t h);

}  // namespace replica
