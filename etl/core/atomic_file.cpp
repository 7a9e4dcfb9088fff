#include "etl/core/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "etl/core/errors.hpp"

namespace etl {

void write_file_atomically(const std::string& path, std::string_view text) {
  std::string tmp = path + ".XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) throw EtlError(path + ": " + std::strerror(errno));
  // mkstemp makes it 0600; a collector or a mail client running as another user must read it.
  bool ok = fchmod(fd, 0644) == 0;
  for (std::size_t done = 0; ok && done < text.size();) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    ok = n > 0 || (n < 0 && errno == EINTR);
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  int error = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (ok && std::rename(tmp.c_str(), path.c_str()) == 0) return;
  if (ok) error = errno;
  std::remove(tmp.c_str());
  throw EtlError(path + ": " + std::strerror(error));
}

}  // namespace etl
