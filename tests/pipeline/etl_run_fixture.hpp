// Shared by the end-to-end suites: run the real `etl` binary against a ReplicaProcess and
// look at the replica and the resulting SQLite file independently of the code under test.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {

extern const std::string kConfig;  // the shipped municipalities.yaml

std::vector<std::string> area_names(const std::string& area);

// Every ID the replica's search returns for these municipalities, paged independently of the client.
std::set<std::string> replica_ids(ReplicaProcess& replica, const std::vector<std::string>& municipalities);

// GET /__stats: requests.<endpoint> ("search" or "detail").
std::int64_t replica_stat(ReplicaProcess& replica, const char* endpoint);

// address_id of every properties row of a SQLite file matching `where` (trusted test SQL).
std::set<std::string> stored_ids(const std::string& db_file, const std::string& where = "1=1");

class EtlRunTest : public ::testing::Test {
 protected:
  ProcessResult etl(std::vector<std::string> args, const ReplicaProcess& replica, const std::string& db_url);
  std::string sqlite_url(const std::string& name) { return "sqlite:" + dir.file(name); }

  TempDir dir;
};

}  // namespace etl::test
