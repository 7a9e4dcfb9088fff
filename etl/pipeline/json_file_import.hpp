// `etl import-json`: saved API payloads from files through the same parse and load path as
// `etl run`. A file may hold one address object, an array of them, or a search page
// {"addresses": [...]}; directories are read recursively for *.json; "-" is stdin.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

#include "etl/pipeline/run_counters.hpp"
#include "loaders/store.hpp"

namespace etl {

struct JsonImportResult {
  std::size_t files = 0;
  std::string fatal_error;  // the database failed; what was committed stays
  bool interrupted = false;
};

// Counts go to counters row 0. A file that cannot be read, is not JSON or holds no address
// is a recorded failure (stage "import", source = the file name), never a crash.
JsonImportResult import_json_paths(const std::vector<std::string>& paths, ImportStore& store, RunCounters& counters,
                                   std::size_t batch_size, const std::atomic<int>& stop);

}  // namespace etl
