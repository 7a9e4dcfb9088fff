# cmake -DHELP2MAN=... -DETL=path/to/etl -DOUT=etl.1 -DINCLUDE=etl.h2m -P make_man_page.cmake
# help2man reads `etl --help`; each subcommand's own --help is added as a section of the
# include file, so the page names every subcommand and every flag as the binary has them.
set(sections "")
foreach(sub run areas status failures migrate import-json)
  execute_process(COMMAND ${ETL} ${sub} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ETL} ${sub} --help failed")
  endif()
  string(REPLACE "\\" "\\\\" help "${help}")
  string(APPEND sections "[ETL ${sub}]\n.nf\n${help}\n.fi\n\n")
endforeach()
file(READ "${INCLUDE}" fixed)
file(WRITE "${OUT}.h2m" "${fixed}\n${sections}")
execute_process(COMMAND ${HELP2MAN} --no-info --no-discard-stderr --name "keep a local copy of the Danish housing market"
                        --include "${OUT}.h2m" --output "${OUT}" ${ETL} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed for ${ETL}")
endif()
