// Where `etl export` writes: standard output, or a file written beside its final name (a new
// temporary file) and renamed over it only when complete, so a failed or interrupted export
// never leaves half a file under that name. Writes are buffered; errors throw EtlError.
#pragma once

#include <string>
#include <string_view>

namespace etl::cli {

class OutputFile {
 public:
  // "" or "-": standard output.
  explicit OutputFile(const std::string& path);
  ~OutputFile();  // removes the temporary file unless commit() renamed it
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view text);
  // Writes what is buffered, closes, and renames the file to its final name.
  void commit();

 private:
  void flush();

  std::string path_;  // empty: standard output
  std::string tmp_;
  int fd_ = 1;
  std::string buffer_;
};

}  // namespace etl::cli
