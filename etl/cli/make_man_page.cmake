# cmake -DHELP2MAN=... -DETL=path/to/etl -DOUT=etl.1 -DINCLUDE=etl.h2m -P make_man_page.cmake
# help2man reads `etl --help`; each subcommand's own --help is added as a section of the
# include file, so the page names every subcommand and every flag as the binary has them.
# The subcommands are read from the "Subcommands:" list of `etl --help` (and theirs from
# their own --help), so a new one is on the page without an edit here.

# The names in the "Subcommands:" list of a --help text, if it has one.
function(subcommands_of help out)
  set(names "")
  string(FIND "${help}" "\nSubcommands:\n" at)
  if(at GREATER -1)
    string(REGEX REPLACE "^.*\nSubcommands:\n" "" listed "${help}")
    string(REGEX MATCHALL "(^|\n)  [a-z-]+ " found "${listed}")
    foreach(name ${found})
      string(STRIP "${name}" name)
      list(APPEND names ${name})
    endforeach()
  endif()
  set(${out} ${names} PARENT_SCOPE)
endfunction()

# `etl WORDS --help` as a section "ETL WORDS", then one for each of its own subcommands
# (failures list, failures clear).
function(add_section words)
  string(REPLACE ";" " " title "${words}")
  execute_process(COMMAND ${ETL} ${words} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ETL} ${title} --help failed")
  endif()
  subcommands_of("${help}" nested)
  string(REPLACE "\\" "\\\\" help "${help}")
  set(sections "${sections}[ETL ${title}]\n.nf\n${help}\n.fi\n\n")
  foreach(sub ${nested})
    add_section("${words};${sub}")
  endforeach()
  set(sections "${sections}" PARENT_SCOPE)
endfunction()

execute_process(COMMAND ${ETL} --help OUTPUT_VARIABLE top RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${ETL} --help failed")
endif()
subcommands_of("${top}" subcommands)
list(LENGTH subcommands count)
if(count LESS 2)
  message(FATAL_ERROR "no subcommands found in `${ETL} --help`")
endif()
set(sections "")
foreach(sub ${subcommands})
  add_section("${sub}")
endforeach()
file(READ "${INCLUDE}" fixed)
file(WRITE "${OUT}.h2m" "${fixed}\n${sections}")
execute_process(COMMAND ${HELP2MAN} --no-info --no-discard-stderr --name "keep a local copy of the Danish housing market"
                        --include "${OUT}.h2m" --output "${OUT}" ${ETL} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed for ${ETL}")
endif()
