#include "tests/report/headless_chromium.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

namespace etl::test {

ProcessResult run_chromium(const std::string& page, int proxy_port, const std::vector<std::string>& actions) {
  if (!std::filesystem::exists(kChromium)) {
    ADD_FAILURE() << kChromium << " is missing: `make deps` installs Debian's chromium";
    return {};
  }
  TempDir profile;
  std::vector<std::string> argv{kChromium,
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--disable-extensions",
                                "--disable-default-apps",
                                "--disable-domain-reliability",
                                "--disable-client-side-phishing-detection",
                                "--disable-features=Translate,OptimizationHints,MediaRouter,NetworkTimeServiceQuerying",
                                "--no-pings",
                                "--disable-dev-shm-usage",
                                "--hide-scrollbars",
                                "--user-data-dir=" + profile.path(),
                                "--proxy-server=http://127.0.0.1:" + std::to_string(proxy_port),
                                "--proxy-bypass-list=<-loopback>",
                                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  // the proxy is the one address
                                "--enable-logging=stderr",
                                "--v=0",
                                "--virtual-time-budget=10000"};
  argv.insert(argv.end(), actions.begin(), actions.end());
  argv.push_back("file://" + std::filesystem::absolute(page).string());
  return run_process(argv, {}, std::chrono::seconds(120));
}

std::vector<std::string> console_messages(const std::string& chromium_stderr) {
  std::vector<std::string> messages;
  std::istringstream lines(chromium_stderr);
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos) messages.push_back(line);
  return messages;
}

}  // namespace etl::test
