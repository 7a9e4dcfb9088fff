// Boligsiden address payload (detail or search item) -> PropertyRecord, with simdjson
// on-demand. One parser per thread; it keeps its buffers between calls.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "etl/core/payload_hash.hpp"  // the record's payload_hash
#include "etl/core/property_record.hpp"

namespace etl {

class PropertyParser {
 public:
  PropertyParser();
  ~PropertyParser();
  PropertyParser(PropertyParser&&) noexcept;
  PropertyParser& operator=(PropertyParser&&) noexcept;

  // Throws ParseError (JSON path + reason) for invalid JSON or a payload without a usable addressID.
  PropertyRecord parse(std::string_view json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace etl
