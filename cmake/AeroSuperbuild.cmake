# Drives the cross builds (win7-x86, win7-x64, guest-i686) and the clang fuzz tree from the host
# build, so one `cmake --build` builds everything. Each is this same source tree configured with
# another AERO_TARGET; kernel images are checked with the host-built aero-pecheck as they link.
include(ExternalProject)
option(AERO_SKIP_CROSS "Build only the host tree (for quick local iteration)" OFF)
if(AERO_SKIP_CROSS)
  return()
endif()

set(common_args
  -G Ninja
  -DAERO_OUT_DIR=${AERO_OUT_DIR}
  -DAERO_SHARED_DIR=${AERO_SHARED_DIR}
  -DCMAKE_BUILD_TYPE=Release)

foreach(arch x86 x64)
  ExternalProject_Add(win7-${arch}
    SOURCE_DIR "${CMAKE_SOURCE_DIR}"
    BINARY_DIR "${CMAKE_BINARY_DIR}/win7-${arch}"
    CMAKE_ARGS ${common_args}
      -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/toolchains/win7-${arch}.cmake
      -DAERO_PECHECK=$<TARGET_FILE:aero-pecheck>
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    DEPENDS aero-pecheck
    USES_TERMINAL_BUILD ON)
endforeach()
set(AERO_WIN7_BINARY_DIR_x86 "${CMAKE_BINARY_DIR}/win7-x86" CACHE INTERNAL "")
set(AERO_WIN7_BINARY_DIR_x64 "${CMAKE_BINARY_DIR}/win7-x64" CACHE INTERNAL "")

if(EXISTS "${CMAKE_SOURCE_DIR}/cmake/toolchains/guest-i686.cmake")
  ExternalProject_Add(guest-i686
    SOURCE_DIR "${CMAKE_SOURCE_DIR}"
    BINARY_DIR "${AERO_GUEST_BINARY_DIR}"
    CMAKE_ARGS ${common_args}
      -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/toolchains/guest-i686.cmake
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    USES_TERMINAL_BUILD ON)
endif()

ExternalProject_Add(host-fuzz
  SOURCE_DIR "${CMAKE_SOURCE_DIR}"
  BINARY_DIR "${AERO_FUZZ_BINARY_DIR}"
  CMAKE_ARGS ${common_args}
    -DAERO_TARGET=host-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  USES_TERMINAL_BUILD ON)

# Every kernel image passes the PE checker again as a test (the build already ran it).
foreach(arch x86 x64)
  add_test(NAME binaries.pecheck_${arch}
    COMMAND ${CMAKE_COMMAND} -DPECHECK=$<TARGET_FILE:aero-pecheck>
            -DRECORD_DIR=${CMAKE_BINARY_DIR}/win7-${arch}/pecheck
            -P ${CMAKE_SOURCE_DIR}/cmake/pecheck_all.cmake)
  set_tests_properties(binaries.pecheck_${arch} PROPERTIES LABELS binary)
endforeach()
