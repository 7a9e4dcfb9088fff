// One run per database: `etl run` and `etl import-json` hold a run lock from before their
// etl_runs row is begun until they exit, so a second run on the same database stops at once,
// naming the holder, instead of fetching everything again beside it. A whole run (shard
// "1/1") excludes every other run; a shard run ("K/N") excludes the same shard and whole runs,
// so N machines can still fill one database together.
//
// SQLite: flock(2) on files beside the database (DB.lock for the whole, DB.lock.K-N per
// shard; the holder writes its pid into them). PostgreSQL: session advisory locks on a
// connection of the lock's own, apart from the store's (which may reconnect). Both end with
// the process, so a killed run holds nothing, and its `running` row is abandoned by the next.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "etl/core/errors.hpp"

namespace etl {

class RunLock {
 public:
  virtual ~RunLock() = default;
};

// Another run holds the lock; `holder_pid()` is its process (0 if not known).
class RunLockedError : public EtlError {
 public:
  RunLockedError(const std::string& what, std::int64_t holder_pid) : EtlError(what), holder_pid_(holder_pid) {}
  std::int64_t holder_pid() const { return holder_pid_; }

 private:
  std::int64_t holder_pid_;
};

// Takes the run lock of the database at `url` for `shard` ("1/1" or "K/N"), or throws
// RunLockedError at once; StoreError if it cannot be taken at all. Released when destroyed.
std::unique_ptr<RunLock> take_run_lock(const std::string& url, const std::string& shard);

}  // namespace etl
