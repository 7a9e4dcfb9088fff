// A municipality's (or the total's) market figures as JSON members: what `etl market --format
// json` prints and `etl report` embeds in its page, under the same names. Numbers exact (a
// script compares them with the database's), an unknown median null.
#pragma once

#include "etl/core/json_writer.hpp"
#include "loaders/market_reads.hpp"

namespace etl {

// The members after the row's name: villas, listed, the medians, the 7/30-day counts, the cut.
void write_market_figures(JsonWriter& w, const MarketRow& r);

}  // namespace etl
