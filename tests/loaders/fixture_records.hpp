// PropertyRecords built from the real Boligsiden fixtures (ETL_FIXTURES_DIR) for the load
// tests. Deliberately minimal: it fills the model's fields from the payload so the stores
// can be tested before the real parser (extractors/) exists; it is not that parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "etl/core/property_record.hpp"

namespace etl::test {

// One address object (a detail payload) as a record; raw_json is `json` itself.
PropertyRecord record_from_address_json(const std::string& json);

// Every fixture: the address-*.json detail objects (sorted by file name) and, last, the
// address of case-offering.json with that listing case in cases[].
std::vector<PropertyRecord> load_fixture_records();

// 64-bit FNV-1a, the payload hash used by these tests.
std::uint64_t fnv1a64(std::string_view data);

}  // namespace etl::test
