// Where a property's failure happened, as recorded in etl_failures.stage.
#pragma once

#include <optional>
#include <string_view>

#include "etl/core/enum_names.hpp"

namespace etl {

enum class FailureStage {
  discover,  // a municipality's search (or an invalid ID it returned): redone by the next search
  fetch,
  parse,
  load,
  import,  // `etl import-json`: only importing the file again retries it
};

inline constexpr EnumNames<FailureStage, 5> kFailureStageNames{{"discover", "fetch", "parse", "load", "import"}};

constexpr std::string_view to_string(FailureStage s) { return kFailureStageNames(s); }

}  // namespace etl
