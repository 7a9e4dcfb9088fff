// A file written whole or not at all: a new temporary file beside the target (mkstemp,
// O_EXCL: a planted symlink is never followed), renamed over it, so no reader ever sees half
// of it (--metrics-file, `etl report --out`).
#pragma once

#include <string>
#include <string_view>

namespace etl {

// Writes `text` to `path` with mode 0644; throws EtlError "PATH: why" (the temporary file
// removed) when it cannot.
void write_file_atomically(const std::string& path, std::string_view text);

}  // namespace etl
