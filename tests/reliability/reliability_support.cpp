#include "tests/reliability/reliability_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/pipeline/etl_run_fixture.hpp"
#include "tests/support/db_dump.hpp"

namespace etl::test {

std::vector<std::string> etl_run_argv(const std::string& api_url, const std::string& db_url,
                                      const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {ETL_BIN, "run", "--config", kConfig, "--api-url", api_url, "--db", db_url,
                                   "--progress", "none"};
  if (std::find(extra.begin(), extra.end(), "--log-level") == extra.end()) {
    argv.push_back("--log-level");
    argv.push_back("warn");
  }
  // Test servers need no politeness: unthrottled unless the test says otherwise.
  if (std::find(extra.begin(), extra.end(), "--max-rps") == extra.end()) {
    argv.push_back("--max-rps");
    argv.push_back("0");
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

std::vector<std::string> municipality_flags(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& n : names) {
    out.push_back("--municipality");
    out.push_back(n);
  }
  return out;
}

std::vector<FailureRow> pending_failures(const std::string& db_url) {
  std::vector<FailureRow> out;
  for (auto& r : query_rows(db_url,
                            "SELECT address_id, stage, reason FROM etl_failures WHERE resolved_at IS NULL ORDER BY address_id"))
    out.push_back(FailureRow{r.at(0), r.at(1), r.at(2)});
  return out;
}

std::set<std::string> property_ids(const std::string& db_url) {
  std::set<std::string> out;
  for (auto& r : query_rows(db_url, "SELECT address_id FROM properties")) out.insert(r.at(0));
  return out;
}

bool listens_on_loopback_only(int port) {
  char port_hex[8];
  std::snprintf(port_hex, sizeof port_hex, "%04X", port);
  int listeners = 0, loopback = 0;
  for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      if (state != "0A") continue;  // TCP_LISTEN
      const auto colon = local.rfind(':');
      if (colon == std::string::npos || local.substr(colon + 1) != port_hex) continue;
      ++listeners;
      const std::string addr = local.substr(0, colon);
      // 127.0.0.1 in /proc/net/tcp is little-endian hex; IPv4-mapped ::ffff:127.0.0.1 in tcp6.
      if (addr == "0100007F" || addr == "0000000000000000FFFF00000100007F") ++loopback;
    }
  }
  if (listeners == 0) throw std::runtime_error("nothing listens on port " + std::to_string(port));
  return listeners == loopback;
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind failed");
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace etl::test
