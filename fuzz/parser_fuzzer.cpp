// libFuzzer target for the payload parser: any input either parses or throws ParseError;
// anything else (another exception, a crash, a sanitizer report) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "etl/core/errors.hpp"
#include "extractors/property_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static etl::PropertyParser parser;  // reused like the pipeline's per-thread parsers
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const etl::PropertyRecord record = parser.parse(input);
    // Touch what the loader reads so the sanitizers see any bad value.
    volatile std::size_t sink = record.address_id.size() + record.raw_json.size() + record.buildings.size() +
                                record.registrations.size() + record.cases.size();
    (void)sink;
  } catch (const etl::ParseError&) {
  }
  return 0;
}
