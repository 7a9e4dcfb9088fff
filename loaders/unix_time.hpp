// The one time unit stores exchange, on its own so the role headers (store.hpp,
// market_reads.hpp) can share it without including each other.
#pragma once

#include <cstdint>

namespace etl {

// Seconds since the Unix epoch, UTC.
using UnixTime = std::int64_t;

}  // namespace etl
