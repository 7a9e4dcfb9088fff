// payload_hash: the 64-bit hash that tells whether a payload changed since it was stored
// (properties.payload_hash) and which shard owns an address ID. Stable across runs,
// machines and versions: changing it would make every stored payload look changed.
#pragma once

#include <cstdint>
#include <string_view>

namespace etl {

std::uint64_t payload_hash(std::string_view json);

}  // namespace etl
