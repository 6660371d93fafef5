# The bare-metal i686 test guest (AERO_TARGET=guest-i686, cmake/toolchains/guest-i686.cmake).
# Portable libraries compile here unchanged; the guest kernels under tests/e2e link them.
if(NOT CMAKE_CXX_COMPILER_TARGET MATCHES "^i686-")
  message(FATAL_ERROR
    "AERO_TARGET=guest-i686 needs -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/guest-i686.cmake")
endif()
enable_language(ASM)

# Freestanding C++: no exceptions, no RTTI, no thread-safe statics (no runtime to back them), no
# hosted headers. Portable libraries link this target PUBLIC.
target_compile_options(aero_platform_flags INTERFACE
  -ffreestanding -fno-builtin -fno-stack-protector -fno-pic -mgeneral-regs-only
  $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti -fno-threadsafe-statics -nostdinc++>
  $<$<COMPILE_LANGUAGE:CXX>:-fno-use-cxa-atexit>)
target_compile_definitions(aero_platform_flags INTERFACE AERO_PLATFORM_GUEST_I686=1)

# aero_add_guest_kernel(<name> SOURCES <files...> [LIBS <libs...>] [LINKER_SCRIPT <file>])
# Links <name>.elf, a multiboot ELF32 kernel for `qemu-system-x86_64 -kernel`. The linker script
# defaults to AERO_GUEST_LINKER_SCRIPT (set by the guest platform in tests/e2e/guest). After
# linking, the e2e harness checks that the file is an ELF32 i386 image with a multiboot header QEMU
# accepts.
function(aero_add_guest_kernel name)
  cmake_parse_arguments(ARG "" "LINKER_SCRIPT" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_LINKER_SCRIPT)
    set(ARG_LINKER_SCRIPT "${AERO_GUEST_LINKER_SCRIPT}")
  endif()
  if(NOT ARG_LINKER_SCRIPT OR NOT EXISTS "${ARG_LINKER_SCRIPT}")
    message(FATAL_ERROR
      "aero_add_guest_kernel(${name}): no linker script (LINKER_SCRIPT or AERO_GUEST_LINKER_SCRIPT)")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  # Every guest kernel lands in <guest build dir>/e2e/, where the host tree's e2e tests look.
  set_target_properties(${name} PROPERTIES SUFFIX ".elf" LINK_DEPENDS "${ARG_LINKER_SCRIPT}"
    RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/e2e")
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} aero::platform_flags aero::warnings)
  target_link_options(${name} PRIVATE -T "${ARG_LINKER_SCRIPT}" --gc-sections
    "-Map=${CMAKE_BINARY_DIR}/e2e/${name}.map")
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_SOURCE_DIR}/tools/e2e/aero_e2e.py" check-kernel
            "$<TARGET_FILE:${name}>"
    COMMENT "Checking ${name}.elf is a multiboot ELF32 kernel"
    VERBATIM)
endfunction()
