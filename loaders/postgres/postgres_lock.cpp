// PostgreSQL's run lock (see postgres_lock.hpp).
#include "loaders/postgres/postgres_lock.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "etl/core/payload_hash.hpp"
#include "loaders/postgres/postgres_store.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

// The advisory lock keys: one class for propetl, object 0 for the whole database and one per shard.
constexpr std::int32_t kLockClass = 0x70726f70;  // "prop"
std::int32_t shard_object(const std::string& shard) {
  return shard == kWholeRun ? 0 : static_cast<std::int32_t>(payload_hash(shard) & 0x7fffffff) | 1;
}

constexpr const char* kAppName = "propetl-run-lock pid ";

class AdvisoryLock final : public RunLock {
 public:
  explicit AdvisoryLock(const std::string& url) : url_(url) {
    // The application name carries this process's pid, so a refused run can name the holder.
    const std::string conninfo = pg_conninfo(url) +
                                 fmt::format(" connect_timeout=10 application_name='{}{}'", kAppName, getpid());
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) fail("cannot connect");
  }
  ~AdvisoryLock() override { PQfinish(conn_); }

  void take(std::int32_t object, bool exclusive) {
    const std::string sql = fmt::format("SELECT {}($1::int, $2::int)",
                                        exclusive ? "pg_try_advisory_lock" : "pg_try_advisory_lock_shared");
    if (query(sql, object) == "t") return;
    const std::string holder =
        query("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
              "WHERE l.locktype = 'advisory' AND l.classid = $1::int::oid AND l.objid = $2::int::oid "
              "AND l.objsubid = 2 AND l.granted ORDER BY l.pid LIMIT 1",
              object);
    const std::int64_t pid = holder.starts_with(kAppName) ? std::atoll(holder.c_str() + std::strlen(kAppName)) : 0;
    throw RunLockedError(locked_message(pid), pid);
  }

 private:
  // The first value of the first row ("" if none) of `sql` with the class and `object` bound.
  std::string query(const std::string& sql, std::int32_t object) {
    const std::string a = std::to_string(kLockClass), b = std::to_string(object);
    const char* values[] = {a.c_str(), b.c_str()};
    PGresult* res = PQexecParams(conn_, sql.c_str(), 2, nullptr, values, nullptr, nullptr, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
      PQclear(res);
      fail("cannot take the run lock");
    }
    std::string out = PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "";
    PQclear(res);
    return out;
  }

  [[noreturn]] void fail(const char* what) {
    std::string why = PQerrorMessage(conn_);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    std::replace(why.begin(), why.end(), '\n', ' ');
    throw StoreError(redact_text(fmt::format("postgresql {}: {}: {}", url_, what, why), url_));
  }

  std::string url_;
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<RunLock> lock_postgres(const std::string& url, const std::string& shard) {
  auto lock = std::make_unique<AdvisoryLock>(url);
  if (shard == kWholeRun) {
    lock->take(0, true);
  } else {
    lock->take(shard_object(shard), true);
    lock->take(0, false);
  }
  return lock;
}

}  // namespace etl::loaders_detail
