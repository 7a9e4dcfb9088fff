// Boligsiden address payload (detail or search item) -> PropertyRecord, with simdjson
// on-demand. One parser per thread; it keeps its buffers between calls.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "etl/core/payload_hash.hpp"  // the record's payload_hash
#include "etl/core/property_record.hpp"

namespace etl {

// A UTF-8 byte order mark before a payload (a file saved by some editors): JSON has none,
// and without this message simdjson's own would be "$: expected an object".
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
inline constexpr const char* kBomMessage =
    "starts with a UTF-8 byte order mark (bytes EF BB BF), which JSON does not allow: save it without one";

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
