# Runs one libFuzzer binary for SECONDS seconds on a scratch corpus seeded from CORPUS.
if(NOT EXISTS "${FUZZER}")
  message(FATAL_ERROR "fuzzer binary missing: ${FUZZER} (was the host-fuzz tree built?)")
endif()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus")
set(dirs "${WORK}/corpus")
if(CORPUS AND EXISTS "${CORPUS}")
  list(APPEND dirs "${CORPUS}")
endif()
execute_process(
  COMMAND "${FUZZER}" -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
          -artifact_prefix=${WORK}/ -print_final_stats=1 ${dirs}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzzer ${FUZZER} failed (exit ${rc}); artifacts in ${WORK}")
endif()
