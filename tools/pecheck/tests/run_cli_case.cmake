# One CLI test: generate an image with MAKER, run CHECKER on it, compare the exit status and look
# for EXPECTED_TEXT in the output. Variants handled here: missing-file (no image is written) and
# usage-error (a good image, but --kind left out).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(image "${WORK}/image.sys")

set(maker_variant "${VARIANT}")
if(VARIANT STREQUAL "usage-error")
  set(maker_variant good)
endif()
if(NOT VARIANT STREQUAL "missing-file")
  execute_process(COMMAND "${MAKER}" ${maker_variant} ${ARCH} "${image}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "image maker failed (${rc}) for variant ${maker_variant}")
  endif()
endif()

set(args --arch ${ARCH} --facts "${FACTS}"
    --exports "${FIXTURES}/${ARCH}/ntoskrnl.def" --allow-module ntoskrnl.exe
    --not-in-facts "${FIXTURES}/not-in-facts.txt")
if(ARCH STREQUAL "x86")
  list(APPEND args --exports "${FIXTURES}/x86/hal.def" --allow-module HAL.DLL)
endif()
if(NOT VARIANT STREQUAL "usage-error")
  list(PREPEND args --kind kernel-driver)
endif()

execute_process(COMMAND "${CHECKER}" ${args} "${image}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "exit ${rc}\nstdout:\n${out}\nstderr:\n${err}")
if(NOT rc EQUAL EXPECTED_EXIT)
  message(FATAL_ERROR "aero-pecheck exited ${rc}, expected ${EXPECTED_EXIT}")
endif()
if(NOT EXPECTED_TEXT STREQUAL "")
  string(FIND "${out}${err}" "${EXPECTED_TEXT}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "output lacks '${EXPECTED_TEXT}'")
  endif()
endif()
if(EXPECTED_EXIT EQUAL 0 AND NOT "${out}${err}" STREQUAL "")
  message(FATAL_ERROR "a clean run printed output")
endif()
