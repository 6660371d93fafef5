# Links tiny_driver.c with mingw-w64 the way the project links kernel drivers (plus EXTRA_FLAGS,
# for the defective variants), builds the import libraries from the fixture .def files, runs
# aero-pecheck on the result and compares its exit status and output with the expectation.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

if(ARCH STREQUAL "x86")
  set(triple i686-w64-mingw32)
  set(dlltool_flags -k)  # Keep the decorated symbol, write the plain import name.
  set(arch_cflags -mgeneral-regs-only -mpreferred-stack-boundary=2 -fno-omit-frame-pointer
                  -fno-asynchronous-unwind-tables)
  set(arch_ldflags -Wl,--entry,_DriverEntry@8 -Wl,--image-base,0x10000)
  set(modules ntoskrnl hal)
else()
  set(triple x86_64-w64-mingw32)
  set(dlltool_flags "")
  set(arch_cflags -mcmodel=small -mno-80387 -mno-mmx)
  set(arch_ldflags -Wl,--entry,DriverEntry -Wl,--image-base,0x140000000)
  set(modules ntoskrnl)
endif()

find_program(cc NAMES ${triple}-gcc-win32 ${triple}-gcc)
find_program(dlltool NAMES ${triple}-dlltool)
if(NOT cc OR NOT dlltool)
  message(FATAL_ERROR "${triple} gcc/dlltool not found (scripts/install-deps.sh installs mingw-w64)")
endif()

set(libs "")
set(check_args "")
foreach(module IN LISTS modules)
  set(def "${FIXTURES}/${ARCH}/${module}.def")
  execute_process(COMMAND "${dlltool}" ${dlltool_flags} -d "${def}" -l "${WORK}/lib${module}.a"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "dlltool failed on ${def}")
  endif()
  list(APPEND libs "${WORK}/lib${module}.a")
  list(APPEND check_args --exports "${def}")
endforeach()

separate_arguments(extra UNIX_COMMAND "${EXTRA_FLAGS}")
set(image "${WORK}/tiny_driver.sys")
execute_process(
  COMMAND "${cc}" -O2 -ffreestanding -fno-stack-protector -fno-stack-check -mno-stack-arg-probe
          -fno-ident ${arch_cflags} -nostdlib
          -Wl,--subsystem,native:6.1 -Wl,--major-os-version,6 -Wl,--minor-os-version,1
          -Wl,--file-alignment,0x200 -Wl,--section-alignment,0x1000 -Wl,--dynamicbase
          -Wl,--nxcompat -Wl,--disable-auto-import -Wl,--disable-runtime-pseudo-reloc
          -Wl,--fatal-warnings -Wl,--no-insert-timestamp ${arch_ldflags} ${extra}
          "${SOURCE}" ${libs} -o "${image}"
  RESULT_VARIABLE rc ERROR_VARIABLE link_err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "linking the tiny driver failed:\n${link_err}")
endif()

execute_process(
  COMMAND "${CHECKER}" --kind kernel-driver --arch ${ARCH} --facts "${FACTS}" ${check_args}
          --allow-module ntoskrnl.exe --allow-module hal.dll
          --not-in-facts "${FIXTURES}/not-in-facts.txt" "${image}"
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
