# The bare-metal i686 test guest: a freestanding multiboot ELF32 kernel QEMU boots with -kernel.
# clang 14 compiles for i686-unknown-elf; ld.lld links directly (clang's driver would hand an *-elf
# link to the host g++), see cmake/AeroGuest.cmake for the kernel helper.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(AERO_GUEST_TRIPLE i686-unknown-elf)

find_program(AERO_GUEST_CC NAMES clang-14 clang REQUIRED)
find_program(AERO_GUEST_CXX NAMES clang++-14 clang++ REQUIRED)
find_program(AERO_GUEST_LD NAMES ld.lld-14 ld.lld REQUIRED)
find_program(AERO_GUEST_AR NAMES llvm-ar-14 llvm-ar REQUIRED)
find_program(AERO_GUEST_RANLIB NAMES llvm-ranlib-14 llvm-ranlib REQUIRED)

set(CMAKE_C_COMPILER ${AERO_GUEST_CC})
set(CMAKE_CXX_COMPILER ${AERO_GUEST_CXX})
set(CMAKE_ASM_COMPILER ${AERO_GUEST_CC})
set(CMAKE_C_COMPILER_TARGET ${AERO_GUEST_TRIPLE})
set(CMAKE_CXX_COMPILER_TARGET ${AERO_GUEST_TRIPLE})
set(CMAKE_ASM_COMPILER_TARGET ${AERO_GUEST_TRIPLE})
set(CMAKE_AR ${AERO_GUEST_AR} CACHE FILEPATH "" FORCE)
set(CMAKE_RANLIB ${AERO_GUEST_RANLIB} CACHE FILEPATH "" FORCE)
set(CMAKE_LINKER ${AERO_GUEST_LD} CACHE FILEPATH "" FORCE)

# There is no C library to link a test program against.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Machine flags every object must share: plain i686, no SSE/x87 state (CR4.OSFXSR is 0 at multiboot
# entry), no PIC, no hosted assumptions. Language restrictions live in aero::platform_flags.
string(JOIN " " AERO_GUEST_MACHINE_FLAGS
  -march=i686 -mgeneral-regs-only -mno-red-zone -fno-pic -ffreestanding -fno-builtin
  -fno-stack-protector)
set(CMAKE_C_FLAGS_INIT "${AERO_GUEST_MACHINE_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${AERO_GUEST_MACHINE_FLAGS} -nostdinc++")
set(CMAKE_ASM_FLAGS_INIT "-march=i686")
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type of the guest tree" FORCE)
endif()

# Link with ld.lld itself: static, no libraries, 4 KiB pages so the multiboot header stays within
# the first 8 KiB of the file.
string(JOIN " " AERO_GUEST_LINK_RULE
  "${AERO_GUEST_LD}" -m elf_i386 -nostdlib -static -z max-page-size=0x1000 -z noexecstack
  <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>)
set(CMAKE_C_LINK_EXECUTABLE "${AERO_GUEST_LINK_RULE}")
set(CMAKE_CXX_LINK_EXECUTABLE "${AERO_GUEST_LINK_RULE}")

set(AERO_TARGET guest-i686 CACHE STRING "" FORCE)
