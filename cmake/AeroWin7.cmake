# Windows 7 kernel-mode builds with mingw-w64 (flags: ../shared/reference/mingw-kernel-notes.md).
if(AERO_TARGET STREQUAL "win7-x86")
  set(AERO_WIN7_ARCH x86)
else()
  set(AERO_WIN7_ARCH x64)
endif()

set(AERO_PECHECK "" CACHE FILEPATH "The host-built aero-pecheck that checks every image after linking")
set(AERO_WDK_FACTS "${AERO_SHARED_DIR}/wdk-abi/wdk-abi-win7.json")
if(NOT EXISTS "${AERO_WDK_FACTS}")
  message(FATAL_ERROR "WDK facts not found at ${AERO_WDK_FACTS} (set AERO_SHARED_DIR)")
endif()

execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=include
                OUTPUT_VARIABLE AERO_GCC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)

# Kernel-mode code generation: freestanding, no exceptions/RTTI, no stack probes, no x87/MMX.
add_library(aero_kernel_flags INTERFACE)
target_compile_options(aero_kernel_flags INTERFACE
  -O2 -ffreestanding -nostdinc -fno-stack-protector -fno-stack-check -mno-stack-arg-probe
  -Wframe-larger-than=2048 -fno-ident -fno-strict-aliasing
  $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti -fno-threadsafe-statics
                             -fno-sized-deallocation -fcheck-new>
  $<$<COMPILE_LANGUAGE:C>:-Werror=incompatible-pointer-types>)
if(AERO_WIN7_ARCH STREQUAL "x86")
  target_compile_options(aero_kernel_flags INTERFACE
    -mgeneral-regs-only -mpreferred-stack-boundary=2 -fno-omit-frame-pointer
    -fno-asynchronous-unwind-tables)
else()
  target_compile_options(aero_kernel_flags INTERFACE -mcmodel=small -mno-80387 -mno-mmx)
endif()
target_compile_definitions(aero_kernel_flags INTERFACE
  NTDDI_VERSION=0x06010000 _WIN32_WINNT=0x0601 AERO_KERNEL_MODE=1
  $<IF:$<STREQUAL:${AERO_WIN7_ARCH},x86>,_X86_=1,_AMD64_=1>)
# -nostdinc drops every default include directory; give back only kcrt's and GCC's freestanding
# headers (as options: CMake filters implicit include directories out of include_directories).
target_compile_options(aero_kernel_flags INTERFACE
  "SHELL:-isystem ${CMAKE_SOURCE_DIR}/lib/kcrt/include" "SHELL:-isystem ${AERO_GCC_INCLUDE}")
target_link_libraries(aero_platform_flags INTERFACE aero_kernel_flags)

# aero_add_import_library(<module>): wdk::<module> from sdk/wdk/lib/<module>.def.in.
function(aero_add_import_library module)
  set(src "${CMAKE_SOURCE_DIR}/sdk/wdk/lib/${module}.def.in")
  set(def "${CMAKE_CURRENT_BINARY_DIR}/${module}.def")
  set(lib "${CMAKE_CURRENT_BINARY_DIR}/lib${module}.a")
  set(kill_at "")
  if(AERO_WIN7_ARCH STREQUAL "x86")
    set(kill_at -k)  # keep the @N in the symbol but import the undecorated name
  endif()
  add_custom_command(OUTPUT "${def}" "${lib}"
    COMMAND ${Python3_EXECUTABLE} "${CMAKE_SOURCE_DIR}/sdk/wdk/lib/gen_def.py" "${src}" ${AERO_WIN7_ARCH} "${def}"
    COMMAND ${AERO_MINGW_TRIPLE}-dlltool ${kill_at} -d "${def}" -l "${lib}"
    DEPENDS "${src}" "${CMAKE_SOURCE_DIR}/sdk/wdk/lib/gen_def.py"
    COMMENT "Import library ${module} (${AERO_WIN7_ARCH})" VERBATIM)
  add_custom_target(wdk_${module}_implib DEPENDS "${lib}")
  add_library(wdk_${module} INTERFACE)
  add_dependencies(wdk_${module} wdk_${module}_implib)
  target_link_libraries(wdk_${module} INTERFACE "${lib}")
  add_library(wdk::${module} ALIAS wdk_${module})
  set_property(GLOBAL PROPERTY AERO_DEF_${module} "${def}")
endfunction()

# Module file names as they appear in import tables.
set(AERO_MODULE_FILE_ntoskrnl ntoskrnl.exe)
set(AERO_MODULE_FILE_hal hal.dll)
set(AERO_MODULE_FILE_storport storport.sys)
set(AERO_MODULE_FILE_ndis ndis.sys)
set(AERO_MODULE_FILE_hidclass hidclass.sys)
set(AERO_MODULE_FILE_portcls portcls.sys)

# add_win7_kernel_driver(<name> SOURCES <files...> IMPORTS <modules...> [LIBS <libs...>]
#                        [OUTPUT_DIR <dir under AERO_OUT_DIR>])
# Links <name>.sys for the current architecture, refuses global constructors, runs the PE checker
# (imports limited to IMPORTS) and copies the image to ${AERO_OUT_DIR}/<OUTPUT_DIR>/<arch>/.
function(add_win7_kernel_driver name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIR" "SOURCES;IMPORTS;LIBS" ${ARGN})
  if(NOT ARG_IMPORTS)
    set(ARG_IMPORTS ntoskrnl hal)
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR drivers)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES SUFFIX ".sys" PREFIX "")
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} aero::kcrt aero::wdk_headers aero::warnings
                                        aero_kernel_flags)
  set(pe_args --kind kernel-driver --arch ${AERO_WIN7_ARCH} --facts "${AERO_WDK_FACTS}"
              --not-in-facts "${CMAKE_SOURCE_DIR}/sdk/wdk/lib/imports-not-in-facts.txt")
  foreach(module IN LISTS ARG_IMPORTS)
    target_link_libraries(${name} PRIVATE wdk::${module})
    get_property(def GLOBAL PROPERTY AERO_DEF_${module})
    list(APPEND pe_args --exports "${def}" --allow-module ${AERO_MODULE_FILE_${module}})
  endforeach()
  target_link_libraries(${name} PRIVATE aero::kgcc)
  if(AERO_WIN7_ARCH STREQUAL "x86")
    set(entry _DriverEntry@8)
    set(base 0x10000)
  else()
    set(entry DriverEntry)
    set(base 0x140000000)
  endif()
  set(map "${CMAKE_CURRENT_BINARY_DIR}/${name}.map")
  target_link_options(${name} PRIVATE
    -nostdlib -s -Wl,--subsystem,native:6.1 -Wl,--major-os-version,6 -Wl,--minor-os-version,1
    -Wl,--file-alignment,0x200 -Wl,--section-alignment,0x1000 -Wl,--dynamicbase -Wl,--nxcompat
    -Wl,--disable-auto-import -Wl,--disable-runtime-pseudo-reloc -Wl,--fatal-warnings
    -Wl,--no-insert-timestamp -Wl,--entry,${entry} -Wl,--image-base,${base} -Wl,-Map,${map})
  if(NOT AERO_PECHECK)
    message(FATAL_ERROR "AERO_PECHECK is not set: build through the host tree (make), which builds it")
  endif()
  set(out_dir "${AERO_OUT_DIR}/${ARG_OUTPUT_DIR}/${AERO_WIN7_ARCH}")
  # The same check again as a host test (cmake/pecheck_all.cmake reads these records).
  string(REPLACE ";" "\" \"" quoted_args "${pe_args}")
  file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/pecheck/${name}.cmake"
       CONTENT "list(APPEND AERO_PE_IMAGES \"$<TARGET_FILE:${name}>\")\nset(AERO_PE_ARGS_${name} \"${quoted_args}\")\n")
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DMAP=${map} -P "${CMAKE_SOURCE_DIR}/cmake/check_link_map.cmake"
    COMMAND "${AERO_PECHECK}" ${pe_args} $<TARGET_FILE:${name}>
    COMMAND ${CMAKE_COMMAND} -E make_directory "${out_dir}"
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:${name}> "${out_dir}/"
    COMMENT "Checking ${name}.sys (${AERO_WIN7_ARCH}) and copying it to ${out_dir}" VERBATIM)
endfunction()
