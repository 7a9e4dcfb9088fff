// What etl shows in a real terminal, tmux (Debian's package). Acceptance of the progress
// display (issue 20 item 5): `etl run` against the replica at 80 and at 160 columns, side by
// side, for about 20 s; every capture of the screen while it runs shows exactly one progress
// line, as wide as the terminal at most, and after it the final summary (and no progress line
// left). And NO_COLOR.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "tests/support/process.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {
namespace {

// A tmux server of the test's own (its socket named after the process), killed at the end.
class Tmux {
 public:
  Tmux() : socket_("propetl-test-" + std::to_string(getpid())) {}
  ~Tmux() { tmux({"kill-server"}); }
  ProcessResult tmux(std::vector<std::string> args) const {
    args.insert(args.begin(), {ETL_TMUX, "-L", socket_});
    return run_process(args, {}, std::chrono::seconds(20));
  }
  std::vector<std::string> screen(const std::string& session) const {
    std::istringstream in(tmux({"capture-pane", "-p", "-J", "-t", session}).out);  // -J: a wrapped line stays one
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

 private:
  std::string socket_;
};

bool is_progress(const std::string& line) { return line.find(" | elapsed ") != std::string::npos; }
bool is_summary(const std::string& line) { return line.starts_with("status completed |"); }

std::size_t columns(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

struct Watch {
  int width;
  std::string session;
  int captures_while_running = 0;
  bool finished = false;
};

TEST(ProgressTmux, OneProgressLineAt80And160ColumnsThenTheSummary) {
  ASSERT_EQ(std::string(ETL_TMUX).find("NOTFOUND"), std::string::npos) << "tmux is missing: `make deps` installs it";
  // 144 villas of København at scale 0.01, fetched 2 at a time at 250 ms each: about 20 s.
  ReplicaProcess replica({"--scale", "0.01", "--latency-ms", "250"});
  TempDir dir;
  Tmux tmux;
  std::vector<Watch> watches = {{80, "w80"}, {160, "w160"}};
  for (const Watch& w : watches) {
    std::string command = ETL_BIN;
    command += " run --municipality København --workers 2 --max-rps 0 --api-url ";
    command += replica.base_url();
    command += " --db sqlite:";
    command += dir.file(w.session + ".db");
    command += "; sleep 600";  // keeps the pane (and its screen) after etl exits
    const ProcessResult r = tmux.tmux({"new-session", "-d", "-s", w.session, "-x", std::to_string(w.width), "-y",
                                       "40", command});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    bool all_finished = true;
    for (Watch& w : watches) {
      if (w.finished) continue;
      const std::vector<std::string> screen = tmux.screen(w.session);
      std::size_t progress = 0;
      for (const std::string& line : screen) {
        if (is_summary(line)) w.finished = true;
        if (!is_progress(line)) continue;
        ++progress;
        EXPECT_LT(columns(line), static_cast<std::size_t>(w.width)) << "wider than the terminal: " << line;
      }
      std::string shown;
      for (const std::string& line : screen) {
        shown += line;
        shown += '\n';
      }
      if (w.finished) {
        EXPECT_EQ(progress, 0u) << w.width << " columns, after the run:\n" << shown;
      } else if (progress > 0) {
        ++w.captures_while_running;
        EXPECT_EQ(progress, 1u) << w.width << " columns, while running:\n" << shown;
      }
      all_finished = all_finished && w.finished;
    }
    if (all_finished) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  for (const Watch& w : watches) {
    EXPECT_TRUE(w.finished) << w.width << " columns: no summary within 60 s";
    // About 20 s of run, a capture every half second: the line was seen over the whole run.
    EXPECT_GE(w.captures_while_running, 20) << w.width << " columns";
  }
}

// NO_COLOR (https://no-color.org) set and not empty: no colour codes on a terminal; set but
// empty, or unset, the level is coloured. `etl migrate` logs each migration it applies.
TEST(ProgressTmux, NoColorLeavesTheLogWithoutColourCodes) {
  ASSERT_EQ(std::string(ETL_TMUX).find("NOTFOUND"), std::string::npos) << "tmux is missing: `make deps` installs it";
  TempDir dir;
  Tmux tmux;
  struct Case {
    std::string session, env;
    bool coloured;
  };
  const std::vector<Case> cases = {{"set", "NO_COLOR=1", false}, {"empty", "NO_COLOR=", true}, {"unset", "-u NO_COLOR", true}};
  for (const Case& c : cases) {
    const std::string command = "env " + c.env + " " + ETL_BIN + " migrate --db sqlite:" + dir.file(c.session + ".db") +
                                "; sleep 600";
    const ProcessResult r = tmux.tmux({"new-session", "-d", "-s", c.session, "-x", "200", "-y", "40", command});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  for (const Case& c : cases) {
    std::string screen;  // with its escape sequences (-e)
    for (int i = 0; i < 40 && screen.find("; schema at version") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      screen = tmux.tmux({"capture-pane", "-p", "-e", "-t", c.session}).out;
    }
    ASSERT_NE(screen.find("applied migration"), std::string::npos) << c.session << ":\n" << screen;
    if (c.coloured) {
      EXPECT_NE(screen.find("\033[32minfo"), std::string::npos) << c.session << ":\n" << screen;
    } else {
      EXPECT_EQ(screen.find("\033["), std::string::npos) << c.session << ":\n" << screen;
    }
  }
}

}  // namespace
}  // namespace etl::test
