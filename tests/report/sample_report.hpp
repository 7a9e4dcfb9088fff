// A MarketReport of a made-up market (six municipalities around Copenhagen, `listings` open
// listings, 13 weeks, 20 cuts), the same every time, with hostile text in names and links.
#pragma once

#include <cstddef>

#include "etl/report/market_report.hpp"

namespace etl::test {

// An address from a hostile API: it tries to end the script, the attribute and the element.
inline constexpr const char* kHostileAddress = "Vej \"1\" 'A' & <b>x</b></script><script>document.title='owned'</script>";

MarketReport sample_report(std::size_t listings = 400);

}  // namespace etl::test
