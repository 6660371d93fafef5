# Host (Linux) builds. AERO_TARGET=host builds the tools, unit tests and benchmarks with g++;
# AERO_TARGET=host-fuzz is a clang tree (driven by the host build) that builds only the fuzzers.
include(CTest)
include(GoogleTest)

set(AERO_SANITIZE "" CACHE STRING "Sanitizers for host code, e.g. address,undefined or thread")
if(AERO_TARGET STREQUAL "host-fuzz")
  add_compile_options(-fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
elseif(AERO_SANITIZE)
  add_compile_options(-fsanitize=${AERO_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all -g)
  add_link_options(-fsanitize=${AERO_SANITIZE})
endif()

if(AERO_TARGET STREQUAL "host")
  find_package(GTest REQUIRED)
  find_package(benchmark REQUIRED)
endif()

set(AERO_FUZZ_BINARY_DIR "${CMAKE_BINARY_DIR}/host-fuzz" CACHE PATH "Binary dir of the host-fuzz tree")
set(AERO_GUEST_BINARY_DIR "${CMAKE_BINARY_DIR}/guest-i686" CACHE PATH "Binary dir of the guest-i686 tree")
set(AERO_FUZZ_SMOKE_SECONDS 5 CACHE STRING "How long each fuzzer runs in the test command")

# aero_add_gtest(<name> SOURCES <files...> [LIBS <libs...>])
# A GoogleTest executable whose tests CTest runs one by one. Host tree only.
function(aero_add_gtest name)
  if(NOT AERO_TARGET STREQUAL "host")
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} aero::warnings GTest::gtest GTest::gtest_main GTest::gmock)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()

# aero_add_benchmark(<name> SOURCES <files...> [LIBS <libs...>])
# A Google Benchmark executable. Built in the host tree; run by hand or by `make bench`,
# never as a timed test.
function(aero_add_benchmark name)
  if(NOT AERO_TARGET STREQUAL "host")
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} aero::warnings benchmark::benchmark)
  set_property(GLOBAL APPEND PROPERTY AERO_BENCHMARKS ${name})
endfunction()

# aero_add_fuzzer(<name> SOURCES <files...> [LIBS <libs...>] [CORPUS <dir>])
# A libFuzzer target (LLVMFuzzerTestOneInput). The host-fuzz tree builds it; the host tree registers
# a short smoke run of it as a test (AERO_FUZZ_SMOKE_SECONDS), starting from CORPUS when given.
function(aero_add_fuzzer name)
  cmake_parse_arguments(ARG "" "CORPUS" "SOURCES;LIBS" ${ARGN})
  if(AERO_TARGET STREQUAL "host-fuzz")
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_LIBS} aero::warnings)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/fuzzers")
  elseif(AERO_TARGET STREQUAL "host")
    set(work "${CMAKE_BINARY_DIR}/fuzz-work/${name}")
    set(corpus_args "")
    if(ARG_CORPUS)
      set(corpus_args "${ARG_CORPUS}")
    endif()
    add_test(NAME fuzz_smoke.${name}
      COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1
        ${CMAKE_COMMAND} -DFUZZER=${AERO_FUZZ_BINARY_DIR}/fuzzers/${name} -DWORK=${work}
          "-DCORPUS=${corpus_args}" -DSECONDS=${AERO_FUZZ_SMOKE_SECONDS}
          -P ${CMAKE_SOURCE_DIR}/cmake/run_fuzz_smoke.cmake)
    set_tests_properties(fuzz_smoke.${name} PROPERTIES LABELS fuzz TIMEOUT 300)
  endif()
endfunction()

# benchmarks.txt lists the benchmark programs for scripts/run-benchmarks.sh (make bench).
function(aero_write_benchmark_list)
  get_property(names GLOBAL PROPERTY AERO_BENCHMARKS)
  set(paths "")
  foreach(name IN LISTS names)
    string(APPEND paths "$<TARGET_FILE:${name}>\n")
  endforeach()
  file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/benchmarks.txt" CONTENT "${paths}")
endfunction()
