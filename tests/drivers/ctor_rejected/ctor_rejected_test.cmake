# Links global_ctor.cpp the way kernel images are linked and expects check_link_map.cmake to
# reject it, naming the object that brought a .ctors section.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(
  COMMAND i686-w64-mingw32-g++-win32 -O2 -ffreestanding -fno-exceptions -c "${SOURCE}"
          -o "${WORK}/global_ctor.o"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "could not compile the test image")
endif()
execute_process(
  COMMAND i686-w64-mingw32-g++-win32 -nostdlib -Wl,--entry,_DriverEntry@8
          -Wl,-Map,${WORK}/global_ctor.map "${WORK}/global_ctor.o" -o "${WORK}/global_ctor.sys"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "could not link the test image")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -DMAP=${WORK}/global_ctor.map -P ${CHECK}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "check_link_map.cmake accepted an image with a global constructor")
endif()
# (CMake wraps long messages, so look for the pieces.)
if(NOT err MATCHES "not allowed in kernel" OR NOT err MATCHES "\\.ctors[ \t]+0x[0-9a-f]+[ \t]+0x4[ \t]+[^\n]*global_ctor\\.o")
  message(FATAL_ERROR "unexpected message from check_link_map.cmake: ${err}")
endif()
message(STATUS "rejected as expected")
