#include "etl/cli/output_file.hpp"

#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "etl/core/errors.hpp"

namespace etl::cli {

namespace {
constexpr std::size_t kBufferBytes = 1 << 20;
}

// mkstemp: a new file (O_EXCL), so a planted symlink at the temporary name is never followed.
OutputFile::OutputFile(const std::string& path) {
  if (path.empty() || path == "-") return;
  path_ = path;
  tmp_ = path + ".XXXXXX";
  fd_ = mkstemp(tmp_.data());
  if (fd_ < 0) throw EtlError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
  // mkstemp makes it 0600; the export is as readable as any file the user writes (umask).
  const mode_t mask = umask(0);
  umask(mask);
  fchmod(fd_, 0666 & ~mask);
  buffer_.reserve(kBufferBytes);
}

OutputFile::~OutputFile() {
  if (tmp_.empty()) return;
  close(fd_);
  std::remove(tmp_.c_str());
}

void OutputFile::write(std::string_view text) {
  buffer_ += text;
  if (buffer_.size() >= kBufferBytes) flush();
}

void OutputFile::flush() {
  for (std::size_t done = 0; done < buffer_.size();) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw EtlError(fmt::format("cannot write {}: {}", path_.empty() ? "standard output" : path_,
                                 std::strerror(errno)));
    }
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void OutputFile::commit() {
  flush();
  if (tmp_.empty()) return;
  const int fd = fd_;
  fd_ = -1;
  if (close(fd) != 0 || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    throw EtlError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
  }
  tmp_.clear();
}

}  // namespace etl::cli
