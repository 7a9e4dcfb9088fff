// The load stage shared by `etl run` and `etl import-json`: collects parsed records,
// removals and failures, and writes them to the Store every `batch_size` rows in one
// transaction (the Store retries a failing batch row by row). Every 1,000 properties written
// it gives the C library's free memory back (etl/core/free_memory.hpp), so the peak RSS of a
// run does not grow with its length.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "etl/pipeline/run_counters.hpp"
#include "loaders/store.hpp"

namespace etl {

class BatchLoader {
 public:
  BatchLoader(PropertyWrites& writes, FailureLog& failures, RunCounters& counters, std::size_t batch_size);

  // `row` is the RunCounters row to count the outcome in; its first_import decides the
  // record's listings_are_news. Throw StoreError if the database fails.
  void add(PropertyRecord record, std::size_t row);
  void add_removed(std::string address_id, std::size_t row);
  void add_failure(const FailureRecord& failure, std::size_t row);
  void flush();

 private:
  PropertyWrites& writes_;
  FailureLog& failures_;
  RunCounters& counters_;
  std::size_t batch_size_;
  std::vector<PropertyRecord> records_;
  std::vector<std::size_t> record_rows_;
  std::vector<std::string> removed_;
  std::vector<std::size_t> removed_rows_;
  std::size_t written_since_release_ = 0;
};

UnixTime now_seconds();

}  // namespace etl
