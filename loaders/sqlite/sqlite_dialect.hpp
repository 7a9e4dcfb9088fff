// SQLite's entry in the registry (loaders/dialects.hpp). Internal to loaders/.
#pragma once

#include "loaders/dialects.hpp"

namespace etl::loaders_detail {

const DialectEntry& sqlite_dialect();

}  // namespace etl::loaders_detail
