// Danish names and texts for generated payloads (UTF-8, as the API returns them).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "replica/hashing.hpp"

namespace replica {

std::string road_name(std::uint64_t seed, int municipality_code, std::uint32_t road);

// The API's slugs: lower case, æ/ø/å transliterated, words joined by '-'.
std::string slugify(std::string_view text);

struct Realtor {
  std::string_view chain;   // e.g. "EDC Poul Erik Bech"
  std::string_view branch;  // the chain's brand, e.g. "EDC"
  std::string_view domain;
};

namespace vocabulary {
extern const std::span<const std::string_view> wall_materials;
extern const std::span<const std::string_view> roof_materials;
extern const std::span<const std::string_view> heating;
extern const std::span<const std::string_view> supplementary_heating;
extern const std::span<const std::string_view> kitchen_conditions;
extern const std::span<const std::string_view> bathroom_conditions;
extern const std::span<const std::string_view> toilet_conditions;
extern const std::span<const std::string_view> outbuildings;
extern const std::span<const std::string_view> energy_labels;
extern const std::span<const Realtor> realtors;
}  // namespace vocabulary

// A sales text of roughly `target_chars` bytes about a villa on `road` in `city`.
std::string sales_text(Draws& d, std::string_view road, std::string_view city, int living_area,
                       std::size_t target_chars);
std::string sales_title(Draws& d, std::string_view city);
std::string realtor_text(Draws& d, const Realtor& realtor, std::string_view city);

}  // namespace replica
