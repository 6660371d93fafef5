# Host tree: one CTest per harness scenario (label e2e), each booting the guest kernel built by the
# guest-i686 tree, plus the harness's own unit tests. The scenario list comes from the harness.
set(AERO_GUEST_BINARY_DIR "${CMAKE_BINARY_DIR}/guest-i686" CACHE PATH
    "Binary dir of the guest-i686 tree; the e2e tests boot <dir>/e2e/aero_e2e_guest.elf")
set(AERO_E2E_TIMEOUT_SCALE "1" CACHE STRING
    "Multiplier for every e2e harness timeout (slow or heavily shared machines)")

set(harness_dir "${CMAKE_SOURCE_DIR}/tools/e2e")
set(harness "${harness_dir}/aero_e2e.py")
set(guest_kernel "${AERO_GUEST_BINARY_DIR}/e2e/aero_e2e_guest.elf")
set(work_dir "${CMAKE_BINARY_DIR}/e2e-work")

file(GLOB harness_sources CONFIGURE_DEPENDS "${harness_dir}/aero_e2e/*.py")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${harness_sources})
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env PYTHONDONTWRITEBYTECODE=1
          "${Python3_EXECUTABLE}" "${harness}" list --names
  OUTPUT_VARIABLE scenario_names
  ERROR_VARIABLE scenario_error
  RESULT_VARIABLE scenario_rc)
if(NOT scenario_rc EQUAL 0)
  message(FATAL_ERROR "e2e: `aero_e2e.py list` failed: ${scenario_error}")
endif()
string(STRIP "${scenario_names}" scenario_names)
string(REPLACE "\n" ";" scenario_names "${scenario_names}")

foreach(name IN LISTS scenario_names)
  add_test(NAME e2e.${name}
    COMMAND "${CMAKE_COMMAND}" -E env PYTHONDONTWRITEBYTECODE=1
            "AERO_E2E_TIMEOUT_SCALE=${AERO_E2E_TIMEOUT_SCALE}"
            "${Python3_EXECUTABLE}" "${harness}" run
            --kernel "${guest_kernel}" --scenario ${name} --work-dir "${work_dir}"
            --junit "${work_dir}/${name}.junit.xml" --summary "${work_dir}/${name}.summary.txt"
            --cost-json "${work_dir}/${name}.cost.json")
  set_tests_properties(e2e.${name} PROPERTIES LABELS e2e TIMEOUT 600)
endforeach()

foreach(module IN ITEMS test_markers test_qemu_command test_report test_runner test_disk
                        test_bench test_actions test_trace test_kernel_check)
  add_test(NAME e2e_harness.${module}
    COMMAND "${CMAKE_COMMAND}" -E env PYTHONDONTWRITEBYTECODE=1
            "${Python3_EXECUTABLE}" -m unittest -v tests.${module}
    WORKING_DIRECTORY "${harness_dir}")
  set_tests_properties(e2e_harness.${module} PROPERTIES LABELS "unit;e2e-harness" TIMEOUT 300)
endforeach()
