#include "etl/pipeline/terminal_line.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>

namespace etl {
namespace {

class AboveLineSink final : public spdlog::sinks::sink {
 public:
  explicit AboveLineSink(spdlog::sink_ptr inner) : inner_(std::move(inner)) {}
  void log(const spdlog::details::log_msg& msg) override {
    TerminalLine::on_stderr().above([&] { inner_->log(msg); });
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override { inner_->set_formatter(std::move(formatter)); }

 private:
  spdlog::sink_ptr inner_;
};

}  // namespace

std::size_t terminal_columns(int fd) {
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
  return ws.ws_col;
}

TerminalLine& TerminalLine::on_stderr() {
  static TerminalLine line;
  return line;
}

void TerminalLine::show(const std::string& text) {
  const std::lock_guard lock(mutex_);
  text_ = text;
  std::fprintf(stderr, "\r%s\033[K", text_.c_str());
  std::fflush(stderr);
}

void TerminalLine::clear() {
  const std::lock_guard lock(mutex_);
  if (text_.empty()) return;
  text_.clear();
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
}

void TerminalLine::above(const std::function<void()>& write) {
  const std::lock_guard lock(mutex_);
  if (!text_.empty()) std::fputs("\r\033[K", stderr);
  write();
  if (!text_.empty()) std::fprintf(stderr, "%s\033[K", text_.c_str());
  std::fflush(stderr);
}

spdlog::sink_ptr above_terminal_line(spdlog::sink_ptr inner) { return std::make_shared<AboveLineSink>(std::move(inner)); }

}  // namespace etl
