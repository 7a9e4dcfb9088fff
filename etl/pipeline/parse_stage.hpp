// The parse stage (runs in parallel): payload -> PropertyRecord with one simdjson parser per
// thread; a payload that does not parse, or is for another address, fails the item.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include "etl/pipeline/work_item.hpp"
#include "extractors/property_parser.hpp"

namespace etl {

class ParseStage {
 public:
  // Parses a fetched item in place and frees its payload; other items pass through.
  ItemPtr parse(const ItemPtr& item);

 private:
  tbb::enumerable_thread_specific<PropertyParser> parsers_;
};

}  // namespace etl
