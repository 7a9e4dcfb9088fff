#include "tests/support/pg_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <iterator>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>

#include "loaders/postgres/postgres_store.hpp"
#include "loaders/postgres/soci_compat.hpp"
#include "tests/support/process.hpp"  // TempDir

namespace etl::test {

namespace {

// The password of role pwcheck as an SQL literal: spaces, quotes, a backslash, '@', ':', '/'.
constexpr const char* kPwcheckPasswordSql = R"('p w''"\@:/?&=x')";

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("PgServer: socket() failed: " + std::string(std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string err = std::strerror(errno);
    close(fd);
    throw std::runtime_error("PgServer: cannot find a free port: " + err);
  }
  close(fd);
  return ntohs(addr.sin_port);
}

std::string runuser_path() {
  for (const char* p : {"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"}) {
    if (access(p, X_OK) == 0) return p;
  }
  throw std::runtime_error("PgServer: running as root but runuser is not installed");
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Runs argv with stdout+stderr going to `log` (not a pipe: pg_ctl leaves a daemon behind
// that would hold a pipe open forever) and no other inherited descriptors.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& log, int timeout_s) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("PgServer: fork failed");
  if (pid == 0) {
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = open("/dev/null", O_RDONLY);
    if (out < 0 || in < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    close_range(3, ~0U, 0);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) throw std::runtime_error("PgServer: waitpid failed");
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    usleep(10'000);
  }
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(log);
  result.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return result;
}

std::string describe(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

}  // namespace

PgServer::PgServer() {
  const char* bin = std::getenv("ETL_PG_BIN_DIR");
  bin_dir_ = bin && *bin ? bin : "/usr/lib/postgresql/15/bin";
  if (access((bin_dir_ + "/initdb").c_str(), X_OK) != 0) {
    throw std::runtime_error("PgServer: no PostgreSQL binaries in " + bin_dir_ +
                             " (install the postgresql package or set ETL_PG_BIN_DIR)");
  }
  dir_ = std::make_unique<TempDir>();
  data_dir_ = dir_->file("data");
  socket_dir_ = dir_->path();
  log_file_ = dir_->file("server.log");
  as_postgres_user_ = geteuid() == 0;
  if (as_postgres_user_) {
    const passwd* pw = getpwnam("postgres");
    if (!pw) throw std::runtime_error("PgServer: running as root but there is no `postgres` system user");
    if (chown(dir_->path().c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      throw std::runtime_error("PgServer: cannot chown " + dir_->path() + ": " + std::strerror(errno));
    }
  }

  // Watchdog: a detached shell waiting for EOF on a pipe only this process holds. When the
  // test process exits or dies (crash, SIGKILL), it stops the server and removes the folder.
  {
    std::vector<std::string> pg_ctl_stop = {bin_dir_ + "/pg_ctl", "-D", data_dir_, "-m", "immediate", "-w", "stop"};
    if (as_postgres_user_) pg_ctl_stop.insert(pg_ctl_stop.begin(), {runuser_path(), "-u", "postgres", "--"});
    std::string script = "read _ignored;";
    for (const auto& a : pg_ctl_stop) {
      script += ' ';
      script += shell_quote(a);
    }
    script += " >/dev/null 2>&1; rm -rf ";
    script += shell_quote(dir_->path());
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("PgServer: pipe failed");
    const int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    const char* argv[] = {"/bin/sh", "-c", script.c_str(), nullptr};
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("PgServer: fork failed");
    if (pid == 0) {
      setsid();
      dup2(fds[0], 0);
      dup2(devnull, 1);
      dup2(devnull, 2);
      close_range(3, ~0U, 0);
      execv("/bin/sh", const_cast<char* const*>(argv));
      _exit(127);
    }
    close(fds[0]);
    close(devnull);
    watchdog_fd_ = fds[1];
    watchdog_pid_ = pid;
  }

  // initdb once per machine (a cached, never-started cluster in $TMPDIR), then copy it: the
  // copy takes ~50 ms where initdb takes ~1 s, and ctest runs every test in its own process.
  {
    const std::string tmpl = template_cluster();
    const auto r = run_command({"/bin/cp", "-a", tmpl, data_dir_}, dir_->file("command.log"), 120);
    if (r.exit_code != 0) throw std::runtime_error("PgServer: cannot copy " + tmpl + ": " + r.output);
  }
  {
    std::ofstream conf(data_dir_ + "/postgresql.conf", std::ios::app);
    conf << "\n# propetl test server\n"
         << "listen_addresses = '127.0.0.1'\n"
         << "unix_socket_directories = '" << socket_dir_ << "'\n"
         << "fsync = off\nfull_page_writes = off\n"
         << "max_connections = 40\nshared_buffers = 32MB\n"
         << "log_min_messages = warning\nlog_min_error_statement = panic\n";
    if (!conf) throw std::runtime_error("PgServer: cannot write " + data_dir_ + "/postgresql.conf");
    // trust everywhere, except role pwcheck, whose password is really checked.
    std::ofstream hba(data_dir_ + "/pg_hba.conf", std::ios::trunc);
    hba << "local all all trust\n"
        << "host all pwcheck 127.0.0.1/32 scram-sha-256\n"
        << "host all all 127.0.0.1/32 trust\n";
    if (!hba) throw std::runtime_error("PgServer: cannot write " + data_dir_ + "/pg_hba.conf");
  }
  for (int attempt = 0;; ++attempt) {
    port_ = free_port();
    try {
      start_once();
      break;
    } catch (const std::exception&) {
      // Another process may have taken the port between the probe and the bind: retry.
      if (attempt >= 4 || log_tail(20).find("could not bind") == std::string::npos) throw;
    }
  }
  try {
    soci::session admin(*soci::factory_postgresql(), loaders_detail::pg_conninfo(admin_url()));
    admin << "CREATE ROLE etl LOGIN SUPERUSER PASSWORD 'secret'";
    admin << std::string("CREATE ROLE pwcheck LOGIN SUPERUSER PASSWORD ") + kPwcheckPasswordSql;
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("PgServer: cannot create role etl: ") + e.what() + "\n" + log_tail());
  }
}

PgServer::~PgServer() {
  try {
    stop(true);
  } catch (...) {
    // the watchdog stops it anyway
  }
  if (watchdog_fd_ >= 0) close(watchdog_fd_);
  if (watchdog_pid_ > 0) waitpid(watchdog_pid_, nullptr, 0);
}

PgServer& PgServer::shared() {
  static PgServer server;  // a constructor that throws is retried by the next caller
  return server;
}

std::string PgServer::run_pg(const std::vector<std::string>& argv, bool check) {
  std::vector<std::string> full = argv;
  if (as_postgres_user_) full.insert(full.begin(), {runuser_path(), "-u", "postgres", "--"});
  const auto r = run_command(full, dir_->file("command.log"), 120);
  if (check && r.exit_code != 0) {
    throw std::runtime_error("PgServer: `" + describe(full) + "` failed (exit " + std::to_string(r.exit_code) +
                             "):\n" + r.output + "\n--- server log tail ---\n" + log_tail());
  }
  return r.output;
}

std::string PgServer::template_cluster() {
  const char* base = std::getenv("TMPDIR");
  const std::string root = std::string(base && *base ? base : "/tmp") + "/propetl-pg-template-" +
                           std::to_string(geteuid()) + "-" +
                           std::to_string(std::hash<std::string>{}(bin_dir_) % 1000000) + "-v1";
  const int lock = open((root + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (lock < 0) throw std::runtime_error("PgServer: cannot open " + root + ".lock: " + std::strerror(errno));
  flock(lock, LOCK_EX);  // one initdb at a time across test processes
  struct Unlock {
    int fd;
    ~Unlock() { close(fd); }
  } unlock{lock};
  if (access((root + "/PG_VERSION").c_str(), F_OK) == 0) return root;
  const std::string staging = root + ".staging-" + std::to_string(getpid());
  std::filesystem::remove_all(staging);
  run_pg({bin_dir_ + "/initdb", "-D", staging, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8",
          "--locale=C", "--no-instructions"},
         true);
  if (rename(staging.c_str(), root.c_str()) != 0) {
    throw std::runtime_error("PgServer: cannot rename " + staging + ": " + std::strerror(errno));
  }
  return root;
}

void PgServer::start_once() {
  run_pg({bin_dir_ + "/pg_ctl", "-D", data_dir_, "-l", log_file_, "-w", "-t", "60", "-o",
          "-p " + std::to_string(port_), "start"},
         true);
  running_ = true;
}

void PgServer::start() {
  if (running_) return;
  start_once();
}

void PgServer::stop(bool immediate) {
  if (!running_) return;
  run_pg({bin_dir_ + "/pg_ctl", "-D", data_dir_, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "stop"},
         true);
  running_ = false;
}

std::string PgServer::url(const std::string& dbname) const {
  return "postgresql://etl:secret@127.0.0.1:" + std::to_string(port_) + "/" + dbname;
}

std::string PgServer::admin_url(const std::string& dbname) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + dbname;
}

void PgServer::create_database(const std::string& name) {
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  try {
    soci::session admin(*soci::factory_postgresql(), loaders_detail::pg_conninfo(admin_url()));
    admin << "CREATE DATABASE " + quoted + " OWNER etl TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'";
  } catch (const std::exception& e) {
    throw std::runtime_error("PgServer: cannot create database " + name + ": " + e.what() + "\n" + log_tail());
  }
}

std::string PgServer::fresh_database() {
  std::string base = "t";
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    base += '_';
    base += info->test_suite_name();
    base += '_';
    base += info->name();
  }
  std::string name;
  for (const char c : base) name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  if (name.size() > 50) name = name.substr(0, 50);
  name += '_';
  name += std::to_string(++db_counter_);
  create_database(name);
  return url(name);
}

std::string PgServer::log_tail(std::size_t max_lines) const {
  std::ifstream in(log_file_);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > max_lines) lines.pop_front();
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out.empty() ? "(server log " + log_file_ + " is empty or missing)\n" : out;
}

}  // namespace etl::test
