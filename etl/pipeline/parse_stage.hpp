// The parse stage (runs in parallel): payload -> PropertyRecord with one simdjson parser per
// thread. A fetched body that does not parse is fetched again (like a 5xx: the next answer
// is usually whole); one that still does not parse, or is for another address, fails the item.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include "etl/pipeline/work_item.hpp"
#include "extractors/property_parser.hpp"

namespace etl {

class ParseStage {
 public:
  // Times a fetched body that does not parse is fetched again.
  static constexpr int kRefetches = 2;

  enum class Next { Load, Refetch };
  // Parses a fetched item in place and frees its payload; other items pass through to Load.
  Next parse(WorkItem& item);

 private:
  tbb::enumerable_thread_specific<PropertyParser> parsers_;
};

}  // namespace etl
