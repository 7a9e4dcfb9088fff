// The one line at the bottom of the terminal that the progress display redraws in place,
// shared with the log: a log message clears it, is printed, and the line is drawn again
// below it, so no fragment of it is ever left behind.
#pragma once

#include <spdlog/sinks/sink.h>

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace etl {

// Columns of the terminal on `fd` (ioctl TIOCGWINSZ), 0 when it is not a terminal.
std::size_t terminal_columns(int fd);

class TerminalLine {
 public:
  // The line on standard error, for the whole process.
  static TerminalLine& on_stderr();

  // Draws `text` in place of the line: carriage return, the text, clear to the end of the line.
  void show(const std::string& text);
  // Erases the line; output goes on where it was.
  void clear();
  // Runs `write` (which prints whole lines to stderr) with the line erased, then draws it again.
  void above(const std::function<void()>& write);

 private:
  std::mutex mutex_;
  std::string text_;  // empty: no line shown
};

// A log sink that writes through `inner` above the line on standard error.
spdlog::sink_ptr above_terminal_line(spdlog::sink_ptr inner);

}  // namespace etl
