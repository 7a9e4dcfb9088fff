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

enum class CaseKind : std::uint8_t { real_estate = 0, rental = 1 };

// A case: the listing of one property that started in `listing_epoch` (0 also for listings
// older than the records), of one kind; `slot` tells a sale's cases by other realtors apart.
struct CaseKey {
  int municipality_code = 0;
  std::uint32_t index = 0;
  int listing_epoch = 0;  // 0..65535
  CaseKind kind = CaseKind::real_estate;
  int slot = 0;  // 0..31
};

// Case IDs are decodable like address IDs, with their own key, so neither decodes as the other.
std::string encode_case_id(std::uint64_t seed, CaseKey key);
std::optional<CaseKey> decode_case_id(std::uint64_t seed, std::string_view id);

// The first 16 hex digits of the address ID, as a number: ordering by it orders by the ID text
// (up to 60-bit collisions, which do not occur at the replica's sizes).
std::uint64_t address_id_order(std::uint64_t seed, PropertyKey key);

// A version-4-looking UUID for any other generated ID (roads, cases, realtors...).
std::string uuid_from_hash(std::uint64_t h);

}  // namespace replica
