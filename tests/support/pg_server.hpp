// A real, throw-away PostgreSQL 15 server for tests: initdb into a fresh temp dir, listen on
// a free TCP port on 127.0.0.1 only, fsync off. Runs as a non-root user: when the test runs
// as root (CI), initdb and the server run as the `postgres` system user via runuser.
// Authentication is `trust` for 127.0.0.1; a role etl/secret exists so tests use URLs with
// a password; role `pwcheck` (password kPwcheckPassword) is the one role whose password is
// really checked (scram-sha-256), to test how URLs carry passwords. A failure to start throws with the server log tail: tests fail, never skip.
// initdb runs once per machine into a cached template cluster
// ($TMPDIR/propetl-pg-template-<uid>-<hash>-v1, never started) that each server copies.
// A watchdog process stops the server and removes its folder if the test process dies.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace etl::test {

class TempDir;

// The password of role pwcheck (checked by the server): p w'"\@:/?&=x
inline constexpr const char* kPwcheckPassword = "p w'\"\\@:/?&=x";

class PgServer {
 public:
  PgServer();  // initdb + start; throws std::runtime_error with the log tail
  ~PgServer();  // stops the server, removes the folder
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // One server per test process, started on first use (and stopped at exit).
  static PgServer& shared();

  // "postgresql://etl:secret@127.0.0.1:PORT/dbname"
  std::string url(const std::string& dbname) const;
  // A superuser URL without password (user postgres).
  std::string admin_url(const std::string& dbname = "postgres") const;

  // CREATE DATABASE name (owner etl, UTF8, C collation).
  void create_database(const std::string& name);
  // A new empty database named after the running GoogleTest test; returns its url().
  std::string fresh_database();

  // Stops the server (pg_ctl stop -m fast, or -m immediate: like a crash). Idempotent.
  void stop(bool immediate = false);
  // Starts it again on the same port and data; idempotent.
  void start();
  bool running() const { return running_; }

  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string log_tail(std::size_t max_lines = 40) const;

 private:
  void start_once();
  std::string template_cluster();
  std::string run_pg(const std::vector<std::string>& argv, bool check);

  std::unique_ptr<TempDir> dir_;
  std::string bin_dir_;
  std::string data_dir_;
  std::string socket_dir_;
  std::string log_file_;
  int port_ = 0;
  bool running_ = false;
  bool as_postgres_user_ = false;
  pid_t watchdog_pid_ = -1;
  int watchdog_fd_ = -1;
  int db_counter_ = 0;
};

}  // namespace etl::test
