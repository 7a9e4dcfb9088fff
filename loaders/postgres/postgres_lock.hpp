// PostgreSQL's run lock (see loaders/run_lock.hpp): session advisory locks on a connection of
// the lock's own, apart from the store's (which may reconnect); its application name carries
// the holder's pid. Internal to loaders/.
#pragma once

#include <memory>
#include <string>

#include "loaders/run_lock.hpp"

namespace etl::loaders_detail {

std::unique_ptr<RunLock> lock_postgres(const std::string& url, const std::string& shard);

}  // namespace etl::loaders_detail
