# Installs the example systemd units and cron file under DOCDIR/examples, their @ETL_BIN@
# replaced by the etl this install puts in BINDIR. Run by `cmake --install` (install(CODE)
# in CMakeLists.txt, which sets ETL_CONTRIB, ETL_STAGING, ETL_BINDIR and ETL_DOCDIR), so
# CMAKE_INSTALL_PREFIX is this install's: `--prefix P`, or /usr for the Debian package (CPack
# installs with DESTDIR, which file(INSTALL) adds, as it must not be in the path written).
foreach(dir IN ITEMS BINDIR DOCDIR)
  if(IS_ABSOLUTE "${ETL_${dir}}")
    set(${dir} "${ETL_${dir}}")
  else()
    set(${dir} "${CMAKE_INSTALL_PREFIX}/${ETL_${dir}}")
  endif()
endforeach()
# A folder per install, so two installs at once (the tests) never share a file.
string(MD5 install_key "$ENV{DESTDIR}|${CMAKE_INSTALL_PREFIX}")
foreach(folder IN ITEMS systemd cron)
  file(GLOB examples "${ETL_CONTRIB}/${folder}/*")
  set(configured)
  foreach(example IN LISTS examples)
    get_filename_component(name "${example}" NAME)
    file(READ "${example}" text)
    string(REPLACE "@ETL_BIN@" "${BINDIR}/etl" text "${text}")
    set(out "${ETL_STAGING}/${install_key}/${folder}/${name}")
    file(WRITE "${out}" "${text}")
    list(APPEND configured "${out}")
  endforeach()
  file(INSTALL DESTINATION "${DOCDIR}/examples/${folder}" TYPE FILE FILES ${configured})
endforeach()
