// Include SOCI through this header. Debian's SOCI 4.0.3 is configured with SOCI_HAVE_BOOST,
// but the package does not pull in the Boost headers; the only Boost use in SOCI's headers
// is optional header-only template glue (Boost.Fusion binding in bind-values.h), so it is
// switched off here rather than adding Boost to the build.
#pragma once

#include <soci/soci-config.h>
#undef SOCI_HAVE_BOOST
#undef SOCI_HAVE_BOOST_DATE_TIME

#include <soci/soci.h>
#include <soci/postgresql/soci-postgresql.h>
