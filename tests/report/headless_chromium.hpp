// Debian's chromium, headless, opening a local file with every other origin refused: all
// requests go to a RefusingProxy (loopback included), and no host name resolves.
#pragma once

#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace etl::test {

inline constexpr const char* kChromium = "/usr/bin/chromium";

// Runs chromium on file://`page` with `actions` (e.g. {"--dump-dom"} or {"--screenshot=F",
// "--window-size=1280,2400"}), a new profile each time, logging the page's console to stderr.
// Fails the calling test (gtest ASSERT) if chromium is missing: `make deps` installs it.
ProcessResult run_chromium(const std::string& page, int proxy_port, const std::vector<std::string>& actions);

// The page's console messages in chromium's stderr ("CONSOLE" lines of --enable-logging).
std::vector<std::string> console_messages(const std::string& chromium_stderr);

}  // namespace etl::test
