// release_free_memory (see free_memory.hpp): malloc_trim where glibc has it.
#include "etl/core/free_memory.hpp"

#include <cstdlib>  // defines __GLIBC__ where it applies
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace etl {

void release_free_memory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

}  // namespace etl
